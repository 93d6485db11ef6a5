import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/db.js';
import { ManualClock } from '../../src/platform/clock.js';
import type { Executor } from '../../src/platform/db/schema.js';
import { AppError } from '../../src/platform/http/problems.js';
import { runChecks } from '../../src/platform/doctor.js';
import { NetworkService, distanceKm } from '../../src/network/index.js';
import { CatalogService } from '../../src/catalog/index.js';
import {
  atp,
  InventoryService,
  inventoryChecks,
  type Availability,
  type Reservation,
} from '../../src/inventory/index.js';
import { setupRetail, type Retail } from './fixtures.js';

/**
 * The availability summary (one row per SKU, atp-summary-store.ts) always answers what the sum over
 * the stock rows answers. Random interleavings of the inventory suite's operations (reserve — through
 * the hot-SKU batcher of two "processes" and in transactions of their own —, release, confirm, expire,
 * receive, count, transfer) plus what changes which locations feed a channel and what it holds back
 * (safety stock per row, channel policies, locations closing and opening), from several concurrent
 * clients. While they run, readers compare the summary's answer with the sum inside one snapshot;
 * after each run every channel's answer (everywhere, near a point, within a radius) is compared, and
 * the doctor (which now compares summary and stock rows) must be clean. On PGlite the clients
 * interleave by transaction; on PostgreSQL (OMNIA_TEST_DB=pg) they run on real connections.
 */
type Op =
  | { k: 'reserve'; sku: number; qty: number; loc: number | null; lines: number; ch: number }
  | { k: 'release'; i: number }
  | { k: 'confirm'; i: number; part: boolean }
  | { k: 'expire'; ms: number }
  | { k: 'receive'; sku: number; loc: number; qty: number }
  | { k: 'count'; sku: number; loc: number; qty: number }
  | { k: 'transfer'; sku: number; from: number; to: number; qty: number }
  | { k: 'safety'; sku: number; loc: number; qty: number }
  | { k: 'policy'; ch: number; safety: number; buffer: number; some: boolean }
  | { k: 'close'; loc: number; active: boolean }
  | { k: 'read'; ch: number; near: boolean };

const SKUS = 3;
const LOCS = 4;
const CHANNELS = ['web', 'mkt', 'pos'] as const;
const nat = (n: number) => fc.nat(n - 1);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      k: fc.constant('reserve' as const),
      sku: nat(SKUS),
      qty: fc.integer({ min: 1, max: 4 }),
      loc: fc.option(nat(LOCS), { freq: 3 }),
      lines: fc.integer({ min: 1, max: 2 }),
      ch: nat(CHANNELS.length),
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('release' as const), i: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('confirm' as const), i: fc.nat(20), part: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('expire' as const), ms: fc.integer({ min: 0, max: 40_000 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('receive' as const),
      sku: nat(SKUS),
      loc: nat(LOCS),
      qty: fc.integer({ min: 1, max: 5 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('count' as const),
      sku: nat(SKUS),
      loc: nat(LOCS),
      qty: fc.integer({ min: 0, max: 8 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('transfer' as const),
      sku: nat(SKUS),
      from: nat(LOCS),
      to: nat(LOCS),
      qty: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('safety' as const),
      sku: nat(SKUS),
      loc: nat(LOCS),
      qty: fc.integer({ min: 0, max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('policy' as const),
      ch: nat(CHANNELS.length),
      safety: fc.integer({ min: 0, max: 2 }),
      buffer: fc.constantFrom(0, 25, 50),
      some: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('close' as const), loc: nat(LOCS), active: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('read' as const), ch: nat(CHANNELS.length), near: fc.boolean() }),
  },
);
/** Problems a client may legitimately get back; anything else fails the property. */
const EXPECTED = new Set([
  'insufficient_stock',
  'already_released',
  'invalid_transition',
  'validation_failed',
  'unprocessable',
  'conflict',
  'location_not_allowed',
]);
const POINT = { lat: 40.45, lng: -3.65 };

describe('the availability summary equals the sum over stock rows under concurrent writers', () => {
  let d: TestDatabase;
  let network: NetworkService;
  let inv: [InventoryService, InventoryService];
  const clock = new ManualClock('2026-05-01T12:00:00Z');
  let run = 0;

  beforeAll(async () => {
    d = await createTestDatabase({ poolSize: 16 });
    network = new NetworkService(d.db, clock);
    const catalog = new CatalogService(d.db, clock, network);
    // two services on one database: two processes, each with its own batcher and slot cache
    inv = [
      new InventoryService({ db: d.db, clock, network, catalog }),
      new InventoryService({ db: d.db, clock, network, catalog }),
    ];
    await network.createChannel({ code: 'web', type: 'web', name: 'Web', stock_policy: { safety_stock: 1 } });
    await network.createChannel({ code: 'mkt', type: 'marketplace', name: 'M', stock_policy: { buffer_pct: 25 } });
    await network.createChannel({ code: 'pos', type: 'pos', name: 'POS', stock_policy: {} });
    // a retailer whose stock predates the runs, so slots exist before the first run's locations appear
    await setupRetail({ network, catalog }, { stores: 2, skus: 1, prefix: 'pre' });
  });
  afterAll(async () => d?.close());

  /** The answer the summary replaces: every stock row of the channel's locations, atp() each. */
  async function fromStockRows(
    db: Executor,
    channel: string,
    skus: string[],
    near?: { lat: number; lng: number; radius_km?: number },
  ): Promise<Availability[]> {
    const snap = await network.snapshot(db.isTransaction ? { trx: db } : {});
    const ch = snap.channelByCode.get(channel)!;
    let locs =
      ch.stock_policy.locations === 'all'
        ? snap.locations.filter((l) => l.active && l.type !== 'pickup_point').map((l) => l.id)
        : ch.stock_policy.locations.filter((id) => snap.locationById.get(id)?.active);
    const dist = new Map(
      locs.map((id) => {
        const l = snap.locationById.get(id)!;
        return [id, near ? distanceKm(near.lat, near.lng, l.lat, l.lng) : 0];
      }),
    );
    if (near?.radius_km !== undefined) locs = locs.filter((id) => dist.get(id)! <= near.radius_km!);
    const rows = await sql<{
      sku: string;
      location_id: string;
      on_hand: number;
      reserved: number;
      safety_stock: number;
    }>`
      select sku, location_id, on_hand, reserved, safety_stock from stock_levels where sku = any(${skus}::text[])`.execute(
      db,
    );
    return skus.map((sku) => {
      const locations = rows.rows
        .filter((r) => r.sku === sku && locs.includes(r.location_id))
        .map((r) => ({
          location_id: r.location_id,
          available: atp(r, ch.stock_policy),
          distance_km: near ? Math.round(dist.get(r.location_id)! * 100) / 100 : null,
        }))
        .filter((l) => l.available > 0)
        .sort(
          (a, b) =>
            (near ? a.distance_km! - b.distance_km! : b.available - a.available) ||
            (a.location_id < b.location_id ? -1 : 1),
        );
      return { sku, channel, available: locations.reduce((s, l) => s + l.available, 0), locations };
    });
  }

  it('in every snapshot a reader sees, and after every run', async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { minLength: 1, maxLength: 12 }), { minLength: 2, maxLength: 4 }),
        async (clients) => {
          const r: Retail = await setupRetail(
            { network, catalog: new CatalogService(d.db, clock, network) },
            { stores: LOCS - 1, skus: SKUS, prefix: `as${run++}` },
          );
          const locs = [...r.stores.map((s) => s.id), r.warehouse.id];
          const [mkt] = await Promise.all([network.requireChannel('mkt')]);
          await network.updateChannel(mkt.id, { stock_policy: { locations: [locs[0]!, locs[3]!] } });
          for (const sku of r.skus)
            for (const loc of locs.slice(0, 3))
              await inv[0].recordMovement({ sku, location_id: loc, type: 'receipt', quantity: 4 });
          const granted: Reservation[] = [];
          const oneClient = async (ops: Op[], c: number) => {
            const svc = inv[c % 2]!;
            const mine: Reservation[] = [];
            for (const o of ops) {
              try {
                switch (o.k) {
                  case 'reserve': {
                    const lines = Array.from({ length: o.lines }, (_, j) => ({
                      sku: r.skus[(o.sku + j) % SKUS]!,
                      quantity: o.qty,
                      ...(o.loc !== null ? { location_id: locs[o.loc] } : {}),
                    }));
                    const res = await svc.reserve({ channel: CHANNELS[o.ch]!, lines, ttl_seconds: 30, reference: 'p' });
                    mine.push(res);
                    granted.push(res);
                    break;
                  }
                  case 'release':
                    if (mine.length) await svc.release(mine[o.i % mine.length]!.id);
                    break;
                  case 'confirm': {
                    const res = mine[o.i % Math.max(1, mine.length)];
                    if (!res) break;
                    if (o.part) await svc.confirmLines(res.id, [{ sku: res.lines[0]!.sku, quantity: 1 }]);
                    else await svc.confirm(res.id);
                    break;
                  }
                  case 'expire':
                    clock.advance(o.ms);
                    await svc.expireDue();
                    break;
                  case 'receive':
                  case 'count':
                    await svc.recordMovement({
                      sku: r.skus[o.sku]!,
                      location_id: locs[o.loc]!,
                      type: o.k === 'receive' ? 'receipt' : 'count',
                      quantity: o.qty,
                    });
                    break;
                  case 'transfer': {
                    const tr = await svc.createTransfer({
                      from_location_id: locs[o.from]!,
                      to_location_id: locs[o.to]!,
                      lines: [{ sku: r.skus[o.sku]!, quantity: o.qty }],
                    });
                    await svc.receiveTransfer(tr.id, { lines: [{ sku: r.skus[o.sku]!, quantity: o.qty }] });
                    break;
                  }
                  case 'safety':
                    await svc.setLevelPolicy(r.skus[o.sku]!, locs[o.loc]!, { safety_stock: o.qty });
                    break;
                  case 'policy': {
                    const ch = await network.requireChannel(CHANNELS[o.ch]!);
                    await network.updateChannel(ch.id, {
                      stock_policy: {
                        safety_stock: o.safety,
                        buffer_pct: o.buffer,
                        locations: o.some ? [locs[o.ch]!, locs[3]!] : 'all',
                      },
                    });
                    break;
                  }
                  case 'close':
                    await network.updateLocation(locs[o.loc]!, { active: o.active });
                    break;
                  case 'read': {
                    await network.snapshot(); // warm, so the reader's snapshot is the cached one
                    const near = o.near ? { ...POINT, radius_km: 20 } : undefined;
                    await d.db
                      .transaction()
                      .setIsolationLevel('repeatable read')
                      .execute(async (trx) => {
                        const before = await network.snapshot({ trx });
                        const got = await svc.availability(
                          { channel: CHANNELS[o.ch]!, skus: r.skus, ...near },
                          { trx },
                        );
                        const want = await fromStockRows(trx, CHANNELS[o.ch]!, r.skus, near);
                        // a policy or location change between the two reads changes the question, not the answer
                        if (before !== (await network.snapshot({ trx }))) return;
                        expect(got).toEqual(want);
                        compared++;
                      });
                    break;
                  }
                }
              } catch (err) {
                if (!(err instanceof AppError) || !EXPECTED.has(err.type)) throw err;
              }
            }
          };
          await Promise.all(clients.map(oneClient));
          for (const svc of inv)
            for (const channel of CHANNELS)
              for (const near of [undefined, POINT, { ...POINT, radius_km: 20 }]) {
                expect(await svc.availability({ channel, skus: r.skus, ...near })).toEqual(
                  await fromStockRows(d.db, channel, r.skus, near),
                );
              }
          const results = await runChecks(d.db, inventoryChecks, clock.now());
          expect(results.filter((c) => c.result.status !== 'ok')).toEqual([]);
          for (const g of granted) {
            const now = await inv[0].getReservation(g.id);
            expect(now.lines.map((l) => l.quantity + l.confirmed)).toEqual(g.lines.map((l) => l.quantity));
          }
          // the next run starts with every location open
          for (const loc of locs) await network.updateLocation(loc, { active: true });
        },
      ),
      { numRuns: onPostgres ? 20 : 12 },
    );
    expect(compared).toBeGreaterThan(0);
  });

  it('a stock row changed behind the service is caught by the doctor and repaired by its next change', async () => {
    const r = await setupRetail(
      { network, catalog: new CatalogService(d.db, clock, network) },
      { stores: 1, skus: 1, prefix: 'drift' },
    );
    const [sku] = r.skus;
    const loc = r.stores[0]!.id;
    const pos = await network.requireChannel('pos');
    await network.updateChannel(pos.id, { stock_policy: { locations: 'all', safety_stock: 0, buffer_pct: 0 } });
    await inv[0].recordMovement({ sku: sku!, location_id: loc, type: 'receipt', quantity: 5 });
    await sql`update stock_levels set on_hand = on_hand + 2 where sku = ${sku} and location_id = ${loc}`.execute(d.db);
    const failing = (await runChecks(d.db, inventoryChecks, clock.now())).filter((c) => c.result.status === 'fail');
    expect(failing.map((c) => c.name)).toContain('inventory: the availability summary equals the stock rows');
    await inv[0].recordMovement({ sku: sku!, location_id: loc, type: 'adjustment', quantity: -2, reason: 'fix' });
    for (const svc of inv) expect((await svc.availability({ channel: 'pos', skus: [sku!] }))[0]!.available).toBe(5);
    const names = (await runChecks(d.db, inventoryChecks, clock.now()))
      .filter((c) => c.result.status === 'fail')
      .map((c) => c.name);
    expect(names).not.toContain('inventory: the availability summary equals the stock rows');
  });
});
