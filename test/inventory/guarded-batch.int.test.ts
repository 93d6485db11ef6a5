import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { TestDatabase } from '../helpers/db.js';
import { ManualClock } from '../../src/platform/clock.js';
import type { InventoryService } from '../../src/inventory/index.js';
import { oneInventoryProcess, type Retail } from './fixtures.js';

/**
 * A batch whose SKUs each have one ask skips the lock statement: its guarded UPDATE locks and checks
 * each row (batcher.ts `guardAlone`). A row that no longer holds what the plan read must not be
 * granted from: here the summary says every SKU has a unit at store a, but behind the service half
 * of the rows were emptied. Those requests go alone and are refused; the others are granted; no
 * reservation exists without its units reserved.
 */
describe('spread batches without the lock statement', () => {
  let d: TestDatabase;
  let r: Retail;
  let inv: InventoryService;
  const clock = new ManualClock('2026-05-01T12:00:00Z');

  beforeAll(async () => {
    ({ d, r, inv } = await oneInventoryProcess(clock, { stores: 2, skus: 40, prefix: 'gb' }));
  });
  afterAll(async () => d?.close());

  it('grants only from rows that still hold the unit, and refuses the rest', async () => {
    const a = r.stores[0]!;
    for (const sku of r.skus) await inv.recordMovement({ sku, location_id: a.id, type: 'receipt', quantity: 1 });
    const emptied = r.skus.filter((_, i) => i % 2 === 1);
    // behind the service: the summary still says 1 at store a for every SKU
    await sql`update stock_levels set on_hand = 0 where sku = any(${sql.val(emptied)}::text[])`.execute(d.db);
    // one request first (it goes alone), then the rest at once: they queue into batches of one ask per SKU
    const res = await Promise.allSettled(
      r.skus.map((sku, i) =>
        inv.reserve({ channel: 'web', lines: [{ sku, quantity: 1 }], ttl_seconds: 300, reference: `gb-${i}` }),
      ),
    );
    res.forEach((x, i) => {
      if (i % 2 === 1) expect(x).toMatchObject({ status: 'rejected', reason: { type: 'insufficient_stock' } });
      else expect(x).toMatchObject({ status: 'fulfilled', value: { lines: [{ location_id: a.id, quantity: 1 }] } });
    });
    const rows = (
      await sql<{ sku: string; on_hand: number; reserved: number; lines: number }>`
        select l.sku, l.on_hand, l.reserved,
          (select count(*) from reservation_lines x join reservations v on v.id = x.reservation_id
           where x.sku = l.sku and x.location_id = l.location_id and v.status = 'active')::int as lines
        from stock_levels l where l.sku = any(${sql.val(r.skus)}::text[]) order by l.sku`.execute(d.db)
    ).rows;
    for (const row of rows) {
      expect(row.reserved).toBe(row.lines);
      expect(row.reserved).toBeLessThanOrEqual(row.on_hand);
    }
    expect(rows.reduce((n, x) => n + x.reserved, 0)).toBe(r.skus.length / 2);
  });
});
