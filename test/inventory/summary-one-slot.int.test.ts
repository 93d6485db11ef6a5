import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { TestDatabase } from '../helpers/db.js';
import { ManualClock } from '../../src/platform/clock.js';
import type { InventoryService } from '../../src/inventory/index.js';
import { addReservedSynced, summaryMismatches, syncAtp } from '../../src/inventory/atp-summary-store.js';
import { oneInventoryProcess, type Retail } from './fixtures.js';

/**
 * The summary's one-slot write (atp-summary-store.ts `oneSlotWrites`: PostgreSQL's `free[slot] = v`
 * on the stored array) and the cases it must hand to the full sync: an empty array (a subscript
 * assignment would make it `[slot:slot]`), a safety stock that changed, several slots of one SKU.
 * Each case compares the whole stored arrays, bounds included, with what the stock rows say.
 */
describe('availability summary: one-slot writes and their edge cases', () => {
  let d: TestDatabase;
  let r: Retail;
  let inv: InventoryService;
  const clock = new ManualClock('2026-05-01T12:00:00Z');
  /** the store with the highest slot (≥ 2, so "past the end" and "empty" differ from slot 1) */
  let far: { id: string; slot: number };
  let near: { id: string; slot: number };

  beforeAll(async () => {
    ({ d, r, inv } = await oneInventoryProcess(clock, { stores: 3, skus: 6, prefix: 'os' }));
    // every store gets a slot, in this order, through the first SKU
    for (const s of r.stores)
      await inv.recordMovement({ sku: r.skus[0]!, location_id: s.id, type: 'receipt', quantity: 5 });
    const slots = (
      await sql<{ location_id: string; slot: number }>`
        select location_id, slot from atp_location_slots
        where location_id = any(${sql.val(r.stores.map((s) => s.id))}::text[]) order by slot`.execute(d.db)
    ).rows;
    near = { id: slots[0]!.location_id, slot: slots[0]!.slot };
    far = { id: slots.at(-1)!.location_id, slot: slots.at(-1)!.slot };
    expect(far.slot).toBeGreaterThanOrEqual(2);
  });
  afterAll(async () => d?.close());

  const row = async (sku: string) =>
    (
      await sql<{ fdims: string; free: string; sdims: string; safety: string; version: string }>`
        select array_dims(free) as fdims, array_to_string(free, ',', '_') as free,
          array_dims(safety) as sdims, array_to_string(safety, ',', '_') as safety, version::text as version
        from atp_summary where sku = ${sku}`.execute(d.db)
    ).rows[0]!;
  /** `n` slots, `at` (slot → value) set, the rest NULL (shown as `_`) */
  const arr = (n: number, at: Record<number, number>) =>
    Array.from({ length: n }, (_, i) => (at[i + 1] === undefined ? '_' : String(at[i + 1]))).join(',');
  const grant = (sku: string, location_id: string, quantity = 1) =>
    d.db.transaction().execute((trx) => addReservedSynced(trx, [{ sku, location_id, quantity }], 0, clock.now()));

  it('one slot: sets it in place, keeps the safety array and both lower bounds at 1', async () => {
    const sku = r.skus[0]!;
    const before = await row(sku);
    expect(before.fdims).toBe(`[1:${far.slot}]`);
    const got = await grant(sku, far.id, 2);
    expect(got).toHaveLength(1);
    const after = await row(sku);
    expect(after.free).toBe(
      before.free
        .split(',')
        .map((v, i) => (i + 1 === far.slot ? '3' : v))
        .join(','),
    );
    expect([after.fdims, after.sdims]).toEqual([before.fdims, before.sdims]);
    expect(after.safety).toBe(before.safety);
    expect(BigInt(after.version)).toBeGreaterThan(BigInt(before.version));
  });

  it('a slot past the end of a non-empty array: the gap fills with NULLs', async () => {
    const sku = r.skus[1]!;
    await inv.recordMovement({ sku, location_id: far.id, type: 'receipt', quantity: 7 });
    // a summary written before the far store had a slot for this SKU: one element only
    await sql`update atp_summary set free = '{null}', safety = ${sql.val(`{${arr(far.slot, { [far.slot]: 0 }).replaceAll('_', 'null')}}`)}::int[]
      where sku = ${sku}`.execute(d.db);
    expect((await row(sku)).fdims).toBe('[1:1]');
    await grant(sku, far.id);
    const after = await row(sku);
    expect(after.fdims).toBe(`[1:${far.slot}]`);
    expect(after.free).toBe(arr(far.slot, { [far.slot]: 6 }));
    expect(after.safety).toBe(arr(far.slot, { [far.slot]: 0 }));
    expect(await summaryMismatches(d.db)).toEqual([]);
  });

  it('an empty array is rebuilt from slot 1, never assigned into ([slot:slot])', async () => {
    const sku = r.skus[2]!;
    await inv.recordMovement({ sku, location_id: far.id, type: 'receipt', quantity: 4 });
    // free emptied, safety left whole: only the empty array keeps this SKU off the one-slot write
    await sql`update atp_summary set free = '{}' where sku = ${sku}`.execute(d.db);
    await grant(sku, far.id);
    const after = await row(sku);
    expect(after.fdims).toBe(`[1:${far.slot}]`);
    expect(after.free).toBe(arr(far.slot, { [far.slot]: 3 }));
    expect(after.sdims).toBe(`[1:${far.slot}]`);
    expect(await summaryMismatches(d.db)).toEqual([]);
  });

  it('safety stock changed behind the service: the next write stores it; unchanged: the array is kept', async () => {
    const [sku, other] = [r.skus[3]!, r.skus[4]!];
    for (const s of [sku, other])
      await inv.recordMovement({ sku: s, location_id: near.id, type: 'receipt', quantity: 9 });
    await sql`update stock_levels set safety_stock = 2 where sku = ${sku} and location_id = ${near.id}`.execute(d.db);
    const kept = await row(other);
    await d.db.transaction().execute((trx) =>
      addReservedSynced(
        trx,
        [
          { sku, location_id: near.id, quantity: 1 },
          { sku: other, location_id: near.id, quantity: 1 },
        ],
        0,
        clock.now(),
      ),
    );
    const a = await row(sku);
    expect(a.safety.split(',')[near.slot - 1]).toBe('2');
    expect(a.free.split(',')[near.slot - 1]).toBe('8');
    const b = await row(other);
    expect(b.safety).toBe(kept.safety);
    expect(b.free.split(',')[near.slot - 1]).toBe('8');
    expect(await summaryMismatches(d.db)).toEqual([]);
  });

  it('several slots of one SKU in one sync, and a SKU without a summary row yet', async () => {
    const sku = r.skus[5]!;
    for (const s of [near, far]) await inv.recordMovement({ sku, location_id: s.id, type: 'receipt', quantity: 10 });
    await sql`update stock_levels set on_hand = on_hand + 5 where sku = ${sku}`.execute(d.db);
    await d.db.transaction().execute((trx) =>
      syncAtp(
        trx,
        [near, far].map((s) => ({ sku, location_id: s.id })),
        clock.now(),
      ),
    );
    const a = await row(sku);
    expect(a.free.split(',')[near.slot - 1]).toBe('15');
    expect(a.free.split(',')[far.slot - 1]).toBe('15');
    // a row deleted behind the service: the sync makes it again
    await sql`delete from atp_summary where sku = ${sku}`.execute(d.db);
    await d.db.transaction().execute((trx) => syncAtp(trx, [{ sku, location_id: far.id }], clock.now()));
    expect((await row(sku)).free).toBe(arr(far.slot, { [far.slot]: 15 }));
    expect((await row(sku)).fdims).toBe(`[1:${far.slot}]`);
  });
});
