/**
 * What a run reads besides run-sql.ts's chunks: how many pairs it covers (the progress bar's total)
 * and the daily history of a few SKUs for the simulation. Read-only, set-based reads of other
 * modules' tables, for the same reason as demand-sql.ts (10 million pairs do not go through services).
 */
import { sql } from 'kysely';
import type { Executor } from '../platform/db/schema.js';

export async function countPairs(db: Executor, stores: string[] | null): Promise<number> {
  const r = await sql<{ n: string }>`
    select count(*) as n from planning_demand_summary
    where ${stores ? sql`location_id in (${sql.join(stores)})` : sql`true`}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
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
