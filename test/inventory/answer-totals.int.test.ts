import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../helpers/db.js';
import { ManualClock } from '../../src/platform/clock.js';
import { inTx } from '../../src/platform/db/tx.js';
import { NetworkService } from '../../src/network/index.js';
import { CatalogService } from '../../src/catalog/index.js';
import { InventoryService, type Availability, type AvailabilityQuery } from '../../src/inventory/index.js';
import { answerQueries, answerWorld, setupRetail, type Retail } from './fixtures.js';

/**
 * Total answers (`fields=total`: no location list, `location_count`) are made from the same held
 * summary rows as the full answers (answer-cache.ts). Each total — as objects and as the JSON the
 * route sends — must equal the full answer of a service holding nothing (it reads the row), now:
 * its `available` and the length of its `locations`, for one SKU, many, near a point with and
 * without a radius (the few slots of a point read and held), across writes another process (another
 * InventoryService on the same database: its own cache) commits, and inside a transaction. PGlite
 * by default, PostgreSQL with OMNIA_TEST_DB=pg.
 */
describe('availability total answers', () => {
  let d: TestDatabase;
  let r: Retail;
  let reader: InventoryService;
  let writer: InventoryService;
  let deps: ConstructorParameters<typeof InventoryService>[0];
  let network: NetworkService;
  let catalog: CatalogService;
  const clock = new ManualClock('2026-05-01T12:00:00Z');

  beforeAll(async () => {
    ({ d, r, reader, writer, deps, network, catalog } = await answerWorld(clock, 'at'));
  });
  afterAll(async () => d?.close());

  const queries = (): AvailabilityQuery[] => answerQueries(r);
  const totalOf = (a: Availability) => ({
    sku: a.sku,
    channel: a.channel,
    available: a.available,
    location_count: a.locations.length,
  });

  /** The totals `svc` answers for `q` are the sum and count of the full answer read from the rows now. */
  async function sameAsFull(svc: InventoryService, q: AvailabilityQuery): Promise<Availability[]> {
    const full = await new InventoryService(deps).availability(q);
    const want = full.map(totalOf);
    // twice: the second answer comes from the held row (and the whole-channel JSON kept with it)
    for (let i = 0; i < 2; i++) {
      expect(await svc.answers.totals(q)).toEqual(want);
      expect(await svc.answers.totalJson(q)).toEqual(want.map((t) => JSON.stringify(t)));
    }
    // the full answer from the same held row is unchanged by the totals kept with it
    expect(await svc.answers.json(q)).toEqual(full.map((a) => JSON.stringify(a)));
    return full;
  }
  async function totalsFresh(svc: InventoryService): Promise<void> {
    for (const q of queries()) await sameAsFull(svc, q);
  }
  const total = async (svc: InventoryService) => (await svc.answers.totals({ channel: 'web', skus: [r.skus[0]!] }))[0]!;

  it('equal the full answer’s sum and count, across every change another process commits', async () => {
    await totalsFresh(reader);
    const start = await total(reader);
    expect(start.location_count).toBe(4);
    const shipped = reader.answers.stats.shipped;
    await reader.answers.totalJson({ channel: 'web', skus: [r.skus[0]!] });
    expect(reader.answers.stats.shipped).toBe(shipped); // nothing changed: the held row answered

    const res = await writer.reserve({
      channel: 'web',
      lines: [{ sku: r.skus[0]!, quantity: 2, location_id: r.stores[0]!.id }],
      reference: 'at-1',
      ttl_seconds: 300,
    });
    expect((await total(reader)).available).toBe(start.available - 2);
    await totalsFresh(reader);
    await writer.release(res.id);
    expect(await total(reader)).toEqual(start);
    await totalsFresh(reader);

    // a store sells out (a count to the safety stock): one location fewer to list
    await writer.recordMovement({ sku: r.skus[0]!, location_id: r.stores[0]!.id, type: 'count', quantity: 1 });
    expect((await total(reader)).location_count).toBe(3);
    await totalsFresh(reader);

    // a SKU that had no summary row gets one
    await writer.recordMovement({ sku: r.skus[1]!, location_id: r.stores[2]!.id, type: 'receipt', quantity: 4 });
    await totalsFresh(reader);

    // safety stock changes the promise without changing on_hand or reserved
    await writer.setLevelPolicy(r.skus[0]!, r.warehouse.id, { safety_stock: 6 });
    await totalsFresh(reader);
    await writer.recordMovement({ sku: r.skus[0]!, location_id: r.warehouse.id, type: 'count', quantity: 9 });
    await totalsFresh(reader);

    // the reader's own writes
    for (let i = 0; i < 3; i++) {
      const before = await total(reader);
      await reader.recordMovement({ sku: r.skus[0]!, location_id: r.stores[1]!.id, type: 'receipt', quantity: 1 });
      expect((await total(reader)).available).toBe(before.available + 1);
      await totalsFresh(reader);
    }
  });

  it('inside a transaction, total its uncommitted writes and hold nothing of them', async () => {
    await totalsFresh(reader);
    const committed = await total(reader);
    await expect(
      inTx(d.db, undefined, async (trx) => {
        await reader.reserve(
          {
            channel: 'web',
            lines: [{ sku: r.skus[0]!, quantity: 3, location_id: r.stores[1]!.id }],
            reference: 'at-2',
            ttl_seconds: 60,
          },
          { trx },
        );
        const q = { channel: 'web', skus: [r.skus[0]!] };
        const inside = await reader.answers.totals(q, { trx });
        expect(inside[0]!.available).toBe(committed.available - 3);
        expect(inside).toEqual((await reader.availability(q, { trx })).map(totalOf));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await total(reader)).toEqual(committed);
    await totalsFresh(reader);
  });

  it('near me, count only the locations within the radius, from the point’s few slots', async () => {
    // 12 stores ~14 km apart on a line: a 20 km radius holds two or three of them
    const far = await setupRetail({ network, catalog }, { stores: 12, skus: 1, prefix: 'atn' });
    const sku = far.skus[0]!;
    for (const [i, s] of far.stores.entries())
      await writer.recordMovement({ sku, location_id: s.id, type: 'receipt', quantity: 3 + i });
    await writer.recordMovement({ sku, location_id: far.warehouse.id, type: 'receipt', quantity: 1 });
    const at = (i: number, radius_km?: number) => ({
      channel: 'web',
      skus: [sku],
      lat: 40.4 + i * 0.1,
      lng: -3.7 + i * 0.1,
      ...(radius_km === undefined ? {} : { radius_km }),
    });
    for (const round of [0, 1]) {
      const near = await sameAsFull(reader, at(10, 20));
      expect(near[0]!.locations.length).toBeGreaterThan(1);
      const all = await sameAsFull(reader, at(10));
      expect(all[0]!.locations.length).toBeGreaterThan(near[0]!.locations.length);
      await sameAsFull(reader, at(5, 20));
      await sameAsFull(reader, at(0, 20));
      // nobody within 1 m of a point between the stores
      expect((await reader.answers.totals({ ...at(10, 0.001), lat: 41.45 }))[0]).toMatchObject({
        available: 0,
        location_count: 0,
      });
      await writer.reserve({
        channel: 'web',
        lines: [{ sku, quantity: 1, location_id: far.stores[10]!.id }],
        reference: `atn-${round}`,
        ttl_seconds: 300,
      });
      await sameAsFull(reader, at(10, 20));
      await writer.recordMovement({ sku, location_id: far.stores[0]!.id, type: 'receipt', quantity: 2 });
      await sameAsFull(reader, at(0, 20));
      await sameAsFull(reader, at(10));
    }
  });
});
