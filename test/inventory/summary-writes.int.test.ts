import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { TestDatabase } from '../helpers/db.js';
import { ManualClock } from '../../src/platform/clock.js';
import type { InventoryService } from '../../src/inventory/index.js';
import { summaryMismatches } from '../../src/inventory/atp-summary-store.js';
import { oneInventoryProcess, type Retail } from './fixtures.js';

/**
 * How the availability summary is written (atp-summary-store.ts `maintenance`, migration 9850): a
 * write keeps the stored safety array when the stock rows' safety stock equals it, and rewrites it
 * when not — including a safety stock changed behind the service, which the next write repairs.
 * Batches are planned from the packed arrays in the process (summary-pick.ts): the reservations
 * land where the stock rows hold the most.
 */
describe('availability summary writes', () => {
  let d: TestDatabase;
  let r: Retail;
  let inv: InventoryService;
  const clock = new ManualClock('2026-05-01T12:00:00Z');

  beforeAll(async () => {
    ({ d, r, inv } = await oneInventoryProcess(clock, { stores: 3, skus: 12, prefix: 'sw' }));
  });
  afterAll(async () => d?.close());

  const summarySafety = async (sku: string, location: string) =>
    (
      await sql<{ v: number | null }>`
        select a.safety[s.slot] as v from atp_summary a, atp_location_slots s
        where a.sku = ${sku} and s.location_id = ${location}`.execute(d.db)
    ).rows[0]?.v;

  it('keeps both arrays in the row', async () => {
    const cols = (
      await sql<{ attname: string; attstorage: string }>`
        select attname, attstorage from pg_attribute
        where attrelid = 'atp_summary'::regclass and attname in ('free', 'safety') order by attname`.execute(d.db)
    ).rows;
    expect(cols).toEqual([
      { attname: 'free', attstorage: 'm' },
      { attname: 'safety', attstorage: 'm' },
    ]);
  });

  it('repairs safety stock changed behind the service at the next reservation, batched or alone', async () => {
    const [a, b, c] = r.stores;
    for (const sku of r.skus) {
      await inv.recordMovement({ sku, location_id: a!.id, type: 'receipt', quantity: 9 });
      await inv.recordMovement({ sku, location_id: b!.id, type: 'receipt', quantity: 3 });
      await inv.recordMovement({ sku, location_id: c!.id, type: 'receipt', quantity: 4 });
    }
    // behind the service: store a now keeps 2 units of every even SKU back; the summary still says 0
    const changed = r.skus.filter((_, i) => i % 2 === 0);
    await sql`update stock_levels set safety_stock = 2
      where location_id = ${a!.id} and sku = any(${sql.val(changed)}::text[])`.execute(d.db);
    expect(await summarySafety(changed[0]!, a!.id)).toBe(0);
    // all at once: the first goes alone, the rest queue into batches of one ask per SKU
    const res = await Promise.all(
      r.skus.map((sku, i) =>
        inv.reserve({ channel: 'web', lines: [{ sku, quantity: 1 }], ttl_seconds: 300, reference: `sw-${i}` }),
      ),
    );
    // a is the best location whether its safety stock is read as 0 (the stale summary) or 2 (the rows)
    for (const x of res) expect(x.lines[0]!.location_id).toBe(a!.id);
    for (const sku of changed) expect(await summarySafety(sku, a!.id)).toBe(2);
    for (const sku of r.skus.filter((_, i) => i % 2 === 1)) expect(await summarySafety(sku, a!.id)).toBe(0);
    expect(await summaryMismatches(d.db)).toEqual([]);
  });

  it('plans on the packed arrays: the location with the most to promise, ties to the smaller id', async () => {
    const [a, b, c] = r.stores;
    const sku = r.skus[3]!;
    // after the test above: a 9 − 1 reserved − safety 0 = 8, b 3, c 4; c gets 4 more to tie with a
    await inv.recordMovement({ sku, location_id: c!.id, type: 'receipt', quantity: 4 });
    const [first, second] = [a!.id, c!.id].sort();
    const one = await inv.reserve({ channel: 'web', lines: [{ sku, quantity: 1 }], ttl_seconds: 300, reference: 'p1' });
    expect(one.lines[0]!.location_id).toBe(first);
    // two requests of another SKU take the batches in flight; the three of `sku` then go in one batch,
    // FIFO on the plan: second (8 against 7), then the tie of 7 and 7 to the smaller id
    const burst = await Promise.all(
      [r.skus[5]!, r.skus[5]!, sku, sku, sku].map((s, i) =>
        inv.reserve({ channel: 'web', lines: [{ sku: s, quantity: 1 }], ttl_seconds: 300, reference: `p2-${i}` }),
      ),
    );
    expect(burst.slice(2).map((x) => x.lines[0]!.location_id)).toEqual([second, first, second]);
    expect(burst.every((x) => x.lines[0]!.location_id !== b!.id)).toBe(true);
    expect(await summaryMismatches(d.db)).toEqual([]);
  });
});
