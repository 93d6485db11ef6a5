import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { TestDatabase } from '../helpers/db.js';
import { ManualClock } from '../../src/platform/clock.js';
import { AppError } from '../../src/platform/http/problems.js';
import { runChecks } from '../../src/platform/doctor.js';
import { InventoryService, inventoryChecks } from '../../src/inventory/index.js';
import { twoInventoryProcesses, type Retail } from './fixtures.js';

/**
 * Reservations spread over many SKUs go through the batcher in batches planned on the availability
 * summary (many SKUs per batch, one commit). Under real concurrency on PostgreSQL — two services (two
 * processes' batchers) on one database, releases and receipts racing the reservations — no SKU
 * is ever reserved past its stock, the reserved counters equal the active reservation lines, and the
 * summary equals the stock rows afterwards.
 */
describe('spread reservations batched across SKUs (PostgreSQL)', () => {
  let d: TestDatabase;
  let r: Retail;
  const clock = new ManualClock('2026-05-01T12:00:00Z');
  let one: InventoryService;
  let two: InventoryService;

  beforeAll(async () => {
    ({ d, r, one, two } = await twoInventoryProcesses(clock, { stores: 3, skus: 40, prefix: 'sb' }));
  });
  afterAll(async () => d?.close());

  it('never oversell, leave reserved equal to the active lines and the summary exact', async () => {
    const locs = [...r.stores, r.warehouse];
    // uneven small stock: SKU i holds 1 + (i * j) % 5 units at location j (safety stock 1 is held back)
    for (const [i, sku] of r.skus.entries())
      for (const [j, l] of locs.entries())
        await one.recordMovement({ sku, location_id: l.id, type: 'receipt', quantity: 1 + ((i * (j + 1)) % 5) });
    const promisable = new Map(
      r.skus.map((sku, i) => [sku, locs.reduce((n, _l, j) => n + ((i * (j + 1)) % 5), 0)] as const),
    );
    const asks = Array.from({ length: 900 }, (_, k) => ({
      svc: k % 2 ? one : two,
      sku: r.skus[(k * 7) % r.skus.length]!,
      qty: 1 + (k % 3 === 0 ? 1 : 0),
    }));
    const released: string[] = [];
    const results = await Promise.allSettled(
      asks.map(async (a, k) => {
        const res = await a.svc.reserve({
          channel: 'web',
          lines: [{ sku: a.sku, quantity: a.qty }],
          ttl_seconds: 300,
          reference: `s-${k}`,
        });
        // every 10th grant is released at once: units come back while other batches plan
        if (k % 10 === 0) {
          await a.svc.release(res.id);
          released.push(res.id);
        }
        return res;
      }),
    );
    for (const x of results)
      if (x.status === 'rejected') expect((x.reason as AppError).type).toBe('insufficient_stock');
    const held = new Map<string, number>();
    results.forEach((x, k) => {
      if (x.status === 'fulfilled' && !released.includes(x.value.id))
        held.set(asks[k]!.sku, (held.get(asks[k]!.sku) ?? 0) + asks[k]!.qty);
    });
    for (const sku of r.skus) expect(held.get(sku) ?? 0).toBeLessThanOrEqual(promisable.get(sku)!);
    // the counters equal the lines of the active reservations, row by row
    const drift = await sql<{ sku: string }>`
      select s.sku from stock_levels s
      left join (
        select l.sku, l.location_id, sum(l.quantity)::int as q from reservation_lines l
        join reservations x on x.id = l.reservation_id and x.status = 'active' group by 1, 2
      ) a on a.sku = s.sku and a.location_id = s.location_id
      where s.reserved <> coalesce(a.q, 0) or s.on_hand - s.reserved < greatest(s.safety_stock, 1)`.execute(d.db);
    expect(drift.rows).toEqual([]);
    const sum = await sql<{ n: number }>`select coalesce(sum(reserved), 0)::int as n from stock_levels`.execute(d.db);
    expect(sum.rows[0]!.n).toBe([...held.values()].reduce((a, b) => a + b, 0));
    // and nothing was refused that the stock could give: a SKU that refused a 1-unit ask and had
    // none of its grants released (stock only went down) ends with all it could promise reserved
    const releasedSkus = new Set(
      results.flatMap((x, k) => (x.status === 'fulfilled' && released.includes(x.value.id) ? [asks[k]!.sku] : [])),
    );
    const soldOut = new Set(
      results.flatMap((x, k) => (x.status === 'rejected' && asks[k]!.qty === 1 ? [asks[k]!.sku] : [])),
    );
    const checked = [...soldOut].filter((sku) => !releasedSkus.has(sku));
    expect(checked.length).toBeGreaterThan(10);
    for (const sku of checked) expect([sku, held.get(sku) ?? 0]).toEqual([sku, promisable.get(sku)]);
    const res = await runChecks(d.db, inventoryChecks, clock.now());
    expect(res.filter((c) => c.result.status !== 'ok')).toEqual([]);
  });
});
