/**
 * What a run reads, in keyset pages: the demand summary of each SKU × store with the store's stock
 * (stock_levels) and the SKU's unit cost (variants), the warehouses' stock of a page's SKUs, and the
 * daily history of a few SKUs for the simulation. Read-only, set-based reads of other modules'
 * tables, for the same reason as demand-sql.ts (10 million pairs do not go through services).
 */
import { sql } from 'kysely';
import type { Executor } from '../platform/db/schema.js';

export interface SummaryRow {
  sku: string;
  location_id: string;
  observed_days: number;
  censored_days: number;
  units_sum: number;
  units_sumsq: number;
  unit_cost: number;
  on_hand: number;
  in_transit: number;
}

export async function countPairs(db: Executor, stores: string[] | null): Promise<number> {
  const r = await sql<{ n: string }>`
    select count(*) as n from planning_demand_summary
    where ${stores ? sql`location_id in (${sql.join(stores)})` : sql`true`}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * The next page after (sku, location_id), ordered so that a SKU's stores come together. The keyset
 * is repeated on the joined tables: the planner merge-joins along their primary keys and, without
 * it, scanned stock_levels from its first row for every page (16 s a page at 10 million rows,
 * 150 ms with it).
 */
export async function summaryPage(
  db: Executor,
  after: [string, string] | null,
  limit: number,
  stores: string[] | null,
): Promise<SummaryRow[]> {
  const r = await sql<SummaryRow>`
    select s.sku, s.location_id, s.observed_days, s.censored_days,
           cast(s.units_sum as float8) as units_sum, cast(s.units_sumsq as float8) as units_sumsq,
           coalesce(cast(v.unit_cost as float8), 0) as unit_cost,
           coalesce(sl.on_hand, 0) as on_hand, coalesce(sl.in_transit, 0) as in_transit
    from planning_demand_summary s
    left join variants v on v.sku = s.sku and ${after ? sql`v.sku >= ${after[0]}` : sql`true`}
    left join stock_levels sl on sl.sku = s.sku and sl.location_id = s.location_id
      and ${after ? sql`(sl.sku, sl.location_id) > (${after[0]}, ${after[1]})` : sql`true`}
    where ${after ? sql`(s.sku, s.location_id) > (${after[0]}, ${after[1]})` : sql`true`}
      and ${stores ? sql`s.location_id in (${sql.join(stores)})` : sql`true`}
    order by s.sku, s.location_id
    limit ${limit}`.execute(db);
  return r.rows;
}

/** Available (on hand − reserved − safety stock) of these SKUs at these warehouses. */
export async function warehouseStock(
  db: Executor,
  skus: string[],
  warehouses: string[],
): Promise<{ sku: string; location_id: string; available: number }[]> {
  if (skus.length === 0 || warehouses.length === 0) return [];
  const r = await sql<{ sku: string; location_id: string; available: number }>`
    select sku, location_id, on_hand - reserved - safety_stock as available
    from stock_levels
    where sku = any(cast(${skus} as text[])) and location_id = any(cast(${warehouses} as text[]))`.execute(db);
  return r.rows;
}

/** Daily demand of a few SKUs over [from, to) for the simulation. */
export async function dailyOf(
  db: Executor,
  skus: string[],
  from: string,
  to: string,
): Promise<{ sku: string; location_id: string; day: string; units: number }[]> {
  if (skus.length === 0) return [];
  const r = await sql<{ sku: string; location_id: string; day: string; units: number }>`
    select sku, location_id, to_char(day, 'YYYY-MM-DD') as day, units
    from planning_demand_daily
    where sku = any(cast(${skus} as text[])) and day >= cast(${from} as date) and day < cast(${to} as date)`.execute(
    db,
  );
  return r.rows;
}
