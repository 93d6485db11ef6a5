/**
 * A hand-checkable planning fixture: a warehouse W and two stores A and B selling one SKU (TEE-M,
 * cost 10.00 €) over 10 days of history (2026-11-01 … 10), written as till orders and ledger rows
 * at those dates.
 *
 * Store A sells 4, 6, 4, 6, 4, 6, 4, 6, 1, 5: on day 9 it ran out (the ledger touches 0), so that
 * day is censored. Left out: 9 days, Σ = 45, Σx² = 233 → μ = 5, σ = 1. R = 2, L = 1, 95 %:
 * min = ⌈15 + 1.6449·1·√3⌉ = ⌈17.849⌉ = 18. (Counting day 9 would give μ = 4.6 and min 17.)
 * Store B sells 1, 3, 1, 3, … : μ = 2, σ = √(10/9) = 1.0541 → min = ⌈6 + 3.0032⌉ = 10.
 * Pooling: alone 2.849·(1 + 1.0541) = 5.852 units; pooled 2.849·√(1 + 10/9) = 4.140; ratio 1.4135.
 *
 * Current stock: W 5, A 3, B 30. Replenishment W → A: A needs 18 − 3 = 15, W has 5 → 5.
 * Rebalancing B → A: B holds 30 − 10 = 20 above its max; A still needs 18 − 8 = 10 → 10.
 */
import { sql } from 'kysely';
import type { TestApp } from '../helpers/app.js';

export const AS_OF = '2026-11-11';
export const A_SALES = [4, 6, 4, 6, 4, 6, 4, 6, 1, 5];
export const B_SALES = [1, 3, 1, 3, 1, 3, 1, 3, 1, 3];
const address = { line1: 'Calle Mayor 1', city: 'Madrid', postal_code: '28013', country: 'ES' };

export interface PlanningFixture {
  W: string;
  A: string;
  B: string;
  sku: string;
}

export async function setupPlanning(t: TestApp): Promise<PlanningFixture> {
  const s = t.omnia.services;
  const [w, a, b] = await s.network.createLocations([
    { code: 'pl-wh', type: 'warehouse', name: 'W', lat: 40.3, lng: -3.6, address, capabilities: ['ship'] },
    { code: 'pl-a', type: 'store', name: 'A', lat: 40.41, lng: -3.7, address, capabilities: ['pickup'] },
    { code: 'pl-b', type: 'store', name: 'B', lat: 40.5, lng: -3.6, address, capabilities: ['pickup'] },
  ]);
  const channel = await s.network.createChannel({ code: 'pl-pos', type: 'pos', name: 'Tills' });
  const sku = 'TEE-M';
  await s.catalog.createProduct({
    code: 'pl-tee',
    name: 'Tee',
    category: 'clothing',
    variants: [{ sku, size: 'M', unit_cost: 1000, weight_g: 200, prices: [{ currency: 'EUR', list_amount: 1995 }] }],
  });
  const db = t.omnia.services.ctx.db;
  // History: the ledger and the till orders of each day (a sale at 12:00, A's day-9 refill at 18:00).
  let onHandA = 41;
  let onHandB = 40;
  const moves: [string, string, string, number, number][] = [
    [a!.id, '2026-10-31T09:00:00Z', 'receipt', 41, onHandA],
    [b!.id, '2026-10-31T09:00:00Z', 'receipt', 40, onHandB],
  ];
  let n = 0;
  for (let d = 0; d < 10; d++) {
    const day = `2026-11-${String(d + 1).padStart(2, '0')}`;
    for (const [loc, units] of [
      [a!.id, A_SALES[d]!],
      [b!.id, B_SALES[d]!],
    ] as const) {
      if (loc === a!.id) onHandA -= units;
      else onHandB -= units;
      moves.push([loc, `${day}T12:00:00Z`, 'sale', -units, loc === a!.id ? onHandA : onHandB]);
      const id = `ord_pl${++n}`;
      await sql`insert into orders (id, channel_id, channel_type, location_id, status, currency, subtotal,
          discount_total, shipping_amount, shipping_discount, tax_total, total, delivery, placed_at, updated_at)
        values (${id}, ${channel.id}, 'pos', ${loc}, 'completed', 'EUR', 0, 0, 0, 0, 0, 0, '{}',
          ${`${day}T12:00:00Z`}, ${`${day}T12:00:00Z`})`.execute(db);
      await sql`insert into order_lines (id, order_id, position, sku, quantity, unit_price, discount, total, location_id)
        values (${`oln_pl${n}`}, ${id}, 0, ${sku}, ${units}, 1995, 0, 0, ${loc})`.execute(db);
    }
    if (d === 8) {
      onHandA += 20;
      moves.push([a!.id, `${day}T18:00:00Z`, 'receipt', 20, onHandA]);
    }
  }
  for (const [loc, at, type, q, after] of moves)
    await sql`insert into stock_movements (sku, location_id, type, quantity, on_hand_after, actor, created_at)
      values (${sku}, ${loc}, ${type}, ${q}, ${after}, 'fixture', ${at})`.execute(db);
  // Today's stock, through the inventory service.
  await s.inventory.recordMovement({ sku, location_id: w!.id, type: 'receipt', quantity: 5 });
  await s.inventory.recordMovement({ sku, location_id: a!.id, type: 'receipt', quantity: 3 });
  await s.inventory.recordMovement({ sku, location_id: b!.id, type: 'receipt', quantity: 30 });
  return { W: w!.id, A: a!.id, B: b!.id, sku };
}
