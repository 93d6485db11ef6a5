import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { TestDatabase } from '../helpers/db.js';
import { ManualClock } from '../../src/platform/clock.js';
import type { InventoryService } from '../../src/inventory/index.js';
import { oneInventoryProcess, type Retail } from './fixtures.js';

/**
 * The batcher plans a batch on the availability summary (one row per SKU), not on every stock row.
 * The stock rows stay the truth: where the summary does not cover a batch's asks, the stock rows
 * are read, so a stale summary (changed behind the service) can neither refuse stock the rows hold
 * nor grant stock they lack.
 */
describe('batches planned on the availability summary', () => {
  let d: TestDatabase;
  let r: Retail;
  let inv: InventoryService;
  const clock = new ManualClock('2026-05-01T12:00:00Z');

  beforeAll(async () => {
    ({ d, r, inv } = await oneInventoryProcess(clock, { stores: 2, skus: 3, prefix: 'sp' }));
  });
  afterAll(async () => d?.close());

  /** Two requests of another SKU take the two batches in flight; the `n` asks of `sku` then queue into one batch. */
  const burst = (sku: string, n: number) => {
    const reserve = (s: string, i: number) =>
      inv.reserve({ channel: 'web', lines: [{ sku: s, quantity: 1 }], ttl_seconds: 300, reference: `${s}-${i}` });
    return Promise.allSettled([
      reserve(r.skus[2]!, 0),
      reserve(r.skus[2]!, 1),
      ...Array.from({ length: n }, (_, i) => reserve(sku, i)),
    ]).then((all) => all.slice(2));
  };
  const reservedAt = async (sku: string) =>
    Object.fromEntries(
      (
        await sql<{
          location_id: string;
          reserved: number;
        }>`select location_id, reserved from stock_levels where sku = ${sku}`.execute(d.db)
      ).rows.map((x) => [x.location_id, x.reserved]),
    );

  it('grants what the stock rows hold where the summary says less', async () => {
    const [sku] = r.skus;
    const [a, b] = r.stores;
    await inv.recordMovement({ sku: r.skus[2]!, location_id: a!.id, type: 'receipt', quantity: 100 });
    await inv.recordMovement({ sku: sku!, location_id: a!.id, type: 'receipt', quantity: 2 });
    await inv.recordMovement({ sku: sku!, location_id: b!.id, type: 'receipt', quantity: 1 });
    await inv.recordMovement({ sku: sku!, location_id: b!.id, type: 'adjustment', quantity: -1 });
    // behind the service: the units move from store a to store b; the summary still says a: 2, b: 0
    await sql`update stock_levels set on_hand = case when location_id = ${a!.id} then 0 else 10 end where sku = ${sku!}`.execute(
      d.db,
    );
    const res = await burst(sku!, 10);
    expect(res.filter((x) => x.status === 'fulfilled')).toHaveLength(10);
    expect(await reservedAt(sku!)).toEqual({ [a!.id]: 0, [b!.id]: 10 });
  });

  it('grants no more than the stock rows hold where the summary says more', async () => {
    const sku = r.skus[1]!;
    const [a, b] = r.stores;
    await inv.recordMovement({ sku, location_id: a!.id, type: 'receipt', quantity: 10 });
    await inv.recordMovement({ sku, location_id: b!.id, type: 'receipt', quantity: 10 });
    // behind the service: store a is emptied, store b keeps 3; the summary still says 10 and 10
    await sql`update stock_levels set on_hand = case when location_id = ${a!.id} then 0 else 3 end where sku = ${sku}`.execute(
      d.db,
    );
    const res = await burst(sku, 12);
    expect(res.filter((x) => x.status === 'fulfilled')).toHaveLength(3);
    for (const x of res) if (x.status === 'rejected') expect(x.reason).toMatchObject({ type: 'insufficient_stock' });
    expect(await reservedAt(sku)).toEqual({ [a!.id]: 0, [b!.id]: 3 });
  });
});
