import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestApp } from '../helpers/app.js';
import { setupShop, GOOD_CARD, HOME_ADDRESS, type Shop } from '../checkout/fixtures.js';
import { omniaCli, startServer, stopServer, type Server } from '../inventory/procs.js';
import { STREAM } from '../../src/platform/events/nats.js';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const FLASH_UNITS = 50;
const FLASH_FLOWS = 120;
const SPREAD_FLOWS = 150;
const CLIENTS = 16;

/**
 * Scale-out on one PostgreSQL with NATS JetStream: 3 `--role api` processes and 1 `--role worker`.
 * Shopper flows (create cart, add a line, delivery options, checkout) go round-robin to the API
 * processes, no sticky sessions: a flash sale of 50 units wanted 120 times, and checkouts of spread
 * SKUs. A third of the way in, one API process and the worker are killed with SIGKILL and restarted.
 * A client whose process died retries its step on another one with the same Idempotency-Key, as a
 * real client would. Afterwards: nothing oversold, every acknowledged order in the database, every
 * `order.placed` event on the NATS stream exactly once, every webhook delivered, doctor clean.
 */
describe('3 API processes + 1 worker, kill -9 mid-load', () => {
  let d: TestDatabase;
  let shop: Shop;
  const flashSku = () => shop.skus[3]!;
  const startedAt = new Date();
  const hooks = new Map<string, number>(); // event id → deliveries received
  let receiver: http.Server;
  const procs: { apis: Server[]; worker?: Server } = { apis: [] };
  const env = (role: string) => ({
    OMNIA_ROLE: role,
    NATS_URL,
    OMNIA_ALLOW_PRIVATE_WEBHOOKS: '1',
    OMNIA_DB_POOL: '8',
  });

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const e = JSON.parse(body) as { id: string };
        hooks.set(e.id, (hooks.get(e.id) ?? 0) + 1);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    d = await createTestDatabase({ forcePg: true, poolSize: 4 });
    const setup = await startTestApp({ database: d, env: { OMNIA_ALLOW_PRIVATE_WEBHOOKS: '1' } });
    shop = await setupShop(setup, { prefix: 'np', stock: 100_000 });
    await setup.omnia.services.inventory.recordMovement({
      sku: flashSku(),
      location_id: shop.store.id,
      type: 'receipt',
      quantity: FLASH_UNITS - 1, // the fixture has one
    });
    const hook = await setup.request('POST', '/v1/webhooks', { body: { url: hookUrl, event_types: ['order.placed'] } });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    await setup.omnia.close(); // the database stays: the processes below share it

    const started = await Promise.all([
      startServer(d.url!, env('api')),
      startServer(d.url!, env('api')),
      startServer(d.url!, env('api')),
      startServer(d.url!, env('worker')),
    ]);
    procs.apis = started.slice(0, 3);
    procs.worker = started[3];
  }, 240_000);

  afterAll(async () => {
    for (const s of [...procs.apis, procs.worker]) if (s) await stopServer(s, 'SIGKILL');
    receiver?.close();
    await d?.close();
  });

  /** One step of a flow, retried on another process when the one asked dies (same Idempotency-Key). */
  let rr = 0;
  async function step(
    method: string,
    path: string,
    key: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> {
    for (let attempt = 0; attempt < 40; attempt++) {
      const base = procs.apis[rr++ % procs.apis.length]!.base;
      try {
        const res = await fetch(base + path, {
          method,
          headers: {
            authorization: `Bearer ${shop.keys.web}`,
            'idempotency-key': key,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        const text = await res.text();
        const parsed = text ? JSON.parse(text) : undefined;
        // The first attempt died holding the key: its lease lapses, then a retry takes it over.
        if (res.status === 409 && parsed?.code === 'idempotency_in_progress') {
          await new Promise((ok) => setTimeout(ok, 500));
          continue;
        }
        return { status: res.status, body: parsed };
      } catch {
        await new Promise((ok) => setTimeout(ok, 100)); // connection refused or reset: another process
      }
    }
    return { status: 0, body: undefined }; // never answered: not acknowledged
  }

  it('sells no more than the stock, loses no acknowledged order, publishes each event once, delivers every webhook', async () => {
    const acked: string[] = [];
    const outcomes: Record<string, number> = {};
    const flows = [
      ...Array.from({ length: FLASH_FLOWS }, (_, i) => ({ i, sku: flashSku() })),
      ...Array.from({ length: SPREAD_FLOWS }, (_, i) => ({ i: FLASH_FLOWS + i, sku: shop.skus[i % 3]! })),
    ].sort((a, b) => ((a.i * 7919) % 271) - ((b.i * 7919) % 271)); // flash and spread interleaved
    let next = 0;
    let done = 0;
    let killed = false;
    const flow = async (f: { i: number; sku: string }) => {
      const cart = await step('POST', '/v1/carts', `np-${f.i}-cart`, {});
      if (cart.status !== 201) return `cart ${cart.status}`;
      const id = cart.body.id as string;
      const line = await step('POST', `/v1/carts/${id}/items`, `np-${f.i}-line`, { sku: f.sku, quantity: 1 });
      if (line.status !== 201 && line.status !== 200) return `line ${line.status} ${line.body?.code ?? ''}`;
      const opts = await step('GET', `/v1/carts/${id}/delivery-options`, `np-${f.i}-opts`);
      if (opts.status !== 200) return `options ${opts.status}`;
      const out = await step('POST', `/v1/carts/${id}/checkout`, `np-${f.i}-checkout`, {
        delivery: { method: 'home', address: HOME_ADDRESS },
        payment: { provider: 'test', card_number: GOOD_CARD },
      });
      if (out.status === 201 || out.status === 200) {
        acked.push(out.body.id as string);
        return 'ordered';
      }
      return `checkout ${out.status} ${out.body?.code ?? ''}`;
    };
    const client = async () => {
      while (next < flows.length) {
        const f = flows[next++]!;
        const o = await flow(f);
        outcomes[o] = (outcomes[o] ?? 0) + 1;
        done++;
        if (!killed && done >= flows.length / 3) {
          killed = true;
          // Mid-load: one API process and the worker die without a chance to clean up, then come back.
          const [victim] = procs.apis.splice(0, 1);
          await Promise.all([stopServer(victim!, 'SIGKILL'), stopServer(procs.worker!, 'SIGKILL')]);
          const [api2, worker2] = await Promise.all([
            startServer(d.url!, env('api')),
            startServer(d.url!, env('worker')),
          ]);
          procs.apis.push(api2);
          procs.worker = worker2;
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    expect(killed).toBe(true);
    console.info('n-processes outcomes', JSON.stringify(outcomes));
    expect(outcomes.ordered ?? 0, JSON.stringify(outcomes)).toBeGreaterThanOrEqual(FLASH_UNITS);

    // Nothing oversold: the flash SKU's live orders hold at most its units, and the counters agree.
    const sold = await sql<{ n: string }>`
      select coalesce(sum(l.quantity), 0) as n from order_lines l join orders o on o.id = l.order_id
      where l.sku = ${flashSku()} and o.status <> 'cancelled'`.execute(d.db);
    expect(Number(sold.rows[0]!.n)).toBeLessThanOrEqual(FLASH_UNITS);
    const levels = await sql<{ on_hand: number; reserved: number }>`
      select on_hand, reserved from stock_levels where sku = ${flashSku()}`.execute(d.db);
    for (const l of levels.rows) expect(l.reserved).toBeLessThanOrEqual(l.on_hand);
    console.info('flash sold', sold.rows[0]!.n, 'levels', JSON.stringify(levels.rows));

    // Every acknowledged order is there.
    const ids = await sql<{ id: string }>`select id from orders`.execute(d.db);
    const stored = new Set(ids.rows.map((r) => r.id));
    expect(acked.filter((id) => !stored.has(id))).toEqual([]);

    // The worker drains the outbox and every delivery (webhooks, NATS, consumers) settles.
    const deadline = Date.now() + 120_000;
    let pending = -1;
    while (Date.now() < deadline) {
      const r = await sql<{ n: string }>`
        select (select count(*) from outbox where dispatched_at is null)
             + (select count(*) from event_deliveries where status = 'pending')
             + (select count(*) from webhook_deliveries where status <> 'delivered') as n`.execute(d.db);
      pending = Number(r.rows[0]!.n);
      if (pending === 0) break;
      await new Promise((ok) => setTimeout(ok, 500));
    }
    expect(pending).toBe(0);
    const dead = await sql<{ n: string }>`select count(*) as n from event_deliveries where status = 'dead'`.execute(
      d.db,
    );
    expect(Number(dead.rows[0]!.n)).toBe(0);

    const placed = await sql<{ id: string; order_id: string }>`
      select id, payload ->> 'order_id' as order_id from outbox where type = 'order.placed'`.execute(d.db);
    const placedIds = placed.rows.map((r) => r.id);
    // Every acknowledged order was announced, once, and nothing else was. (An order whose checkout died
    // before its payment settled is cancelled by the reconciliation and never announced.)
    const announced = placed.rows.map((r) => r.order_id);
    expect(new Set(announced).size).toBe(announced.length);
    expect(acked.filter((id) => !announced.includes(id))).toEqual([]);
    expect(announced.filter((id) => !stored.has(id))).toEqual([]);
    // Every webhook delivered (at least once: a worker killed mid-call may repeat one, with the same id).
    expect(placedIds.filter((id) => !hooks.has(id))).toEqual([]);

    // Each event exactly once on the stream (JetStream de-duplicates re-publications by message id).
    const nc = await connect({ servers: NATS_URL });
    try {
      const jsm = await jetstreamManager(nc);
      const consumer = await jsm.consumers.add(STREAM, {
        ack_policy: AckPolicy.None,
        deliver_policy: DeliverPolicy.StartTime,
        opt_start_time: startedAt.toISOString(),
        filter_subject: 'omnia.events.order.placed',
      });
      const c = await jetstream(nc).consumers.get(STREAM, consumer.name);
      const onStream = new Map<string, number>();
      const mine = new Set(placedIds);
      for (;;) {
        let got = 0;
        for await (const m of await c.fetch({ max_messages: 1000, expires: 2000 })) {
          got++;
          const id = m.json<{ id: string }>().id;
          if (mine.has(id)) onStream.set(id, (onStream.get(id) ?? 0) + 1);
        }
        if (got === 0) break;
      }
      await jsm.consumers.delete(STREAM, consumer.name);
      expect(placedIds.filter((id) => onStream.get(id) !== 1)).toEqual([]);
    } finally {
      await nc.close();
    }

    const doctor = omniaCli(['doctor'], { url: d.url! });
    expect(doctor.status, doctor.stdout + doctor.stderr).toBe(0);
  }, 600_000);
});
