import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { omnia } from '../helpers/cli.js';
import { systemClock } from '../../src/platform/clock.js';
import { NetworkService } from '../../src/network/index.js';
import { CatalogService } from '../../src/catalog/index.js';
import { InventoryService } from '../../src/inventory/index.js';
import { setupRetail, type Retail } from '../inventory/fixtures.js';
import { api, omniaCli, startServer, stopServer, type Server } from '../inventory/procs.js';

/**
 * Process roles on one PostgreSQL: an `api` process serves HTTP and runs no consumers, so the events it
 * commits wait in the outbox until a `worker` runs; the worker serves no API, delivers the backlog, and
 * afterwards is woken by the API process (LISTEN/NOTIFY) for each new event.
 */
describe('omnia serve --role api|worker', () => {
  let d: TestDatabase;
  let r: Retail;
  let key: string;
  const servers: Server[] = [];
  const received: { type: string; id: string }[] = [];
  let receiver: http.Server;
  let hookUrl = '';

  beforeAll(async () => {
    d = await createTestDatabase({ forcePg: true, poolSize: 4 });
    const network = new NetworkService(d.db, systemClock);
    const catalog = new CatalogService(d.db, systemClock, network);
    const inventory = new InventoryService({ db: d.db, clock: systemClock, network, catalog });
    await network.createChannel({ code: 'web', type: 'web', name: 'Web' });
    r = await setupRetail({ network, catalog }, { stores: 1, skus: 2, prefix: 'rl' });
    await inventory.recordMovement({ sku: r.skus[0]!, location_id: r.warehouse.id, type: 'receipt', quantity: 50 });
    const k = omniaCli(
      [
        'api-key',
        'create',
        '--channel',
        'web',
        '--scopes',
        'inventory:read,reservations:write,webhooks:manage',
        '--json',
      ],
      { url: d.url! },
    );
    expect(k.status, k.stderr).toBe(0);
    key = JSON.parse(k.stdout).key;
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const e = JSON.parse(body);
        received.push({ type: e.type, id: e.id });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    for (const s of servers) await stopServer(s, 'SIGKILL');
    receiver?.close();
    await d?.close();
  });

  const reserve = (s: Server, ref: string) =>
    api(s.base, key, 'POST', '/v1/reservations', {
      lines: [{ sku: r.skus[0]!, quantity: 1 }],
      ttl_seconds: 600,
      reference: ref,
    });
  const until = async (what: () => boolean, ms = 20_000) => {
    const end = Date.now() + ms;
    while (!what() && Date.now() < end) await new Promise((ok) => setTimeout(ok, 50));
    return what();
  };
  const hookEnv = { OMNIA_ALLOW_PRIVATE_WEBHOOKS: '1' };

  it('refuses api and worker roles on the embedded database, with the reason', () => {
    const res = omnia(['serve', '--role', 'api', '--port', '0', '--no-demo', '--data-dir', '/tmp/omnia-role-none']);
    expect(res.code).not.toBe(0);
    expect(res.stderr + res.stdout).toMatch(/OMNIA_ROLE=api needs DATABASE_URL/);
  });

  it('an api process leaves events to the workers; a worker delivers the backlog, then each new event', async () => {
    const apiProc = await startServer(d.url!, { ...hookEnv, OMNIA_ROLE: 'api' });
    servers.push(apiProc);
    const hook = await api(apiProc.base, key, 'POST', '/v1/webhooks', {
      url: hookUrl,
      event_types: ['reservation.created'],
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const first = await reserve(apiProc, 'before-worker');
    expect(first.status).toBe(201);
    // No worker: nothing leaves the outbox (the `all` role would have delivered within a poll of 250 ms).
    await new Promise((ok) => setTimeout(ok, 2_000));
    expect(received).toEqual([]);

    const worker = await startServer(d.url!, { ...hookEnv, OMNIA_ROLE: 'worker' });
    servers.push(worker);
    expect((await fetch(`${worker.base}/health`)).status).toBe(200);
    expect((await fetch(`${worker.base}/v1/reservations`)).status).toBe(404); // a worker serves no API
    expect(await until(() => received.length === 1)).toBe(true);

    const second = await reserve(apiProc, 'with-worker');
    expect(second.status).toBe(201);
    expect(await until(() => received.length === 2)).toBe(true);
    expect(new Set(received.map((e) => e.id)).size).toBe(2); // each event once
    expect(received.every((e) => e.type === 'reservation.created')).toBe(true);
  });
});
