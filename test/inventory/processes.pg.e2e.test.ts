import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { systemClock } from '../../src/platform/clock.js';
import { NetworkService } from '../../src/network/index.js';
import { CatalogService } from '../../src/catalog/index.js';
import { InventoryService } from '../../src/inventory/index.js';
import { setupRetail, type Retail } from './fixtures.js';
import { api, omniaCli, startServer, stopServer, type Server } from './procs.js';

/**
 * Two `omnia serve` processes on one PostgreSQL database, each with its own in-process batcher and
 * sold-out hints, race for the last units of one SKU: exactly the stock is granted, never more.
 * Then a crash: kill -9 in the middle of a reservation load, restart, doctor passes and every
 * acknowledged reservation is there.
 */
describe('several server processes on one PostgreSQL (no oversell, crash-safe)', () => {
  let d: TestDatabase;
  let r: Retail;
  let key: string;
  const servers: Server[] = [];

  beforeAll(async () => {
    d = await createTestDatabase({ forcePg: true, poolSize: 4 });
    const network = new NetworkService(d.db, systemClock);
    const catalog = new CatalogService(d.db, systemClock, network);
    const inventory = new InventoryService({ db: d.db, clock: systemClock, network, catalog });
    await network.createChannel({ code: 'web', type: 'web', name: 'Web' });
    r = await setupRetail({ network, catalog }, { stores: 2, skus: 40, prefix: 'mp' });
    await inventory.recordMovement({ sku: r.skus[0]!, location_id: r.warehouse.id, type: 'receipt', quantity: 37 });
    for (const sku of r.skus.slice(1))
      await inventory.recordMovement({ sku, location_id: r.stores[0]!.id, type: 'receipt', quantity: 1000 });
    const admin = omniaCli(['create-admin', '--email', 'ops@test.omnia', '--password-stdin'], {
      url: d.url!,
      input: 'a long enough password\n',
    });
    expect(admin.status, admin.stderr).toBe(0);
    const k = omniaCli(
      ['api-key', 'create', '--channel', 'web', '--scopes', 'inventory:read,reservations:write', '--json'],
      { url: d.url! },
    );
    expect(k.status, k.stderr).toBe(0);
    key = JSON.parse(k.stdout).key;
  });
  afterAll(async () => {
    for (const s of servers) await stopServer(s, 'SIGKILL');
    await d?.close();
  });

  it('grants exactly the last 37 units to 300 concurrent requests spread over two processes', async () => {
    const [a, b] = await Promise.all([startServer(d.url!), startServer(d.url!)]);
    servers.push(a!, b!);
    const hot = r.skus[0]!;
    // Warm both processes (pool connections, JIT) so the race is between two ready servers: a cold
    // one would only lose every unit to the warm one, which proves nothing about cross-process locks.
    await Promise.all(
      [a!, b!].flatMap((s) =>
        Array.from({ length: 8 }, () => api(s.base, key, 'GET', `/v1/availability?sku=${r.skus[1]!}`)),
      ),
    );
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        api((i % 2 ? a : b)!.base, key, 'POST', '/v1/reservations', {
          lines: [{ sku: hot, quantity: 1 }],
          ttl_seconds: 600,
          reference: `race-${i}`,
        }),
      ),
    );
    const codes = results.map((x) => x.status);
    expect(codes.filter((c) => c === 201)).toHaveLength(37);
    expect(codes.filter((c) => c === 409)).toHaveLength(263);
    expect(results.filter((x) => x.status === 409).every((x) => x.body.code === 'insufficient_stock')).toBe(true);
    // Each process answered its half, every answer a grant or a clean refusal. Which process wins the
    // units is timing (CI once saw one process win all 37 under load), so the test does not assert it.
    for (const half of [0, 1]) {
      const mine = results.filter((_, i) => i % 2 === half);
      expect(mine).toHaveLength(150);
      expect(mine.every((x) => x.status === 201 || x.status === 409)).toBe(true);
    }
    const stock = await api(a!.base, key, 'GET', `/v1/availability?sku=${hot}`);
    expect(stock.body.available).toBe(0);
    const doctor = omniaCli(['doctor'], { url: d.url! });
    expect(doctor.status, doctor.stdout).toBe(0);
    await Promise.all([stopServer(a!), stopServer(b!)]);
  });

  it('survives kill -9 mid-load: doctor passes and every acknowledged reservation is there', async () => {
    const s = await startServer(d.url!);
    servers.push(s);
    const acked: { id: string; sku: string }[] = [];
    let stop = false;
    let i = 0;
    const worker = async () => {
      while (!stop) {
        const sku = r.skus[1 + (i++ % (r.skus.length - 1))]!;
        let res: Awaited<ReturnType<typeof api>>;
        try {
          res = await api(s.base, key, 'POST', '/v1/reservations', {
            lines: [
              { sku, quantity: 1 },
              { sku: r.skus[1]!, quantity: 1 },
            ],
            ttl_seconds: 600,
            reference: `load-${i}`,
          });
        } catch {
          return; // the connection died with the server
        }
        // Outside the try: an answer other than 201 or 409 fails the test instead of ending the worker.
        if (res.status === 201) acked.push({ id: res.body.id, sku });
        else expect(res.status).toBe(409);
      }
    };
    const load = Promise.all(Array.from({ length: 16 }, worker));
    let settled = false; // a worker that failed its assertion ends the load (awaited below)
    load.then(
      () => (settled = true),
      () => (settled = true),
    );
    // Kill once enough reservations are acknowledged (16 more are in flight), not after a fixed time:
    // on a loaded machine 1.5 s could pass with almost none acknowledged.
    while (acked.length <= 20 && !settled) await new Promise((res) => setTimeout(res, 20));
    s.proc.kill('SIGKILL');
    await s.exited;
    stop = true;
    await load;
    expect(acked.length).toBeGreaterThan(20);

    const again = await startServer(d.url!);
    servers.push(again);
    const doctor = omniaCli(['doctor', '--json'], { url: d.url! });
    expect(doctor.status, doctor.stdout).toBe(0);
    expect(JSON.parse(doctor.stdout).ok).toBe(true);
    for (const a of acked) {
      const got = await api(again.base, key, 'GET', `/v1/reservations/${a.id}`);
      expect(got.status).toBe(200);
      expect(got.body.status).toBe('active');
      expect(got.body.lines.reduce((n: number, l: { quantity: number }) => n + l.quantity, 0)).toBe(2);
    }
    await stopServer(again);
  });
});
