/**
 * The daily demand summary, filled by SQL from what other modules recorded: order lines (web, app,
 * marketplace… sourced at a store) and till sales (orders of the store's POS) give the units; the
 * stock movement ledger tells which days the SKU ran out at the store.
 *
 * This is the one place planning reads other modules' tables (orders, order_lines, stock_movements,
 * stock_levels, locations, analytics_lost_demand), read-only and set-based: a read model over months of history that going
 * through the services row by row could not build in reasonable time. Nothing here writes outside
 * planning's own tables.
 */
import { sql } from 'kysely';
import type { Executor } from '../platform/db/schema.js';

/** A date (YYYY-MM-DD) as the UTC midnight that starts it. */
const utc = (day: string) => sql`(cast(${day} as date)::timestamp at time zone 'UTC')`;

/**
 * Rebuilds `planning_demand_daily` for [from, to) (days, UTC) for every SKU stocked at a store.
 * A day is flagged as a stock-out when the store's on-hand of the SKU was at or below zero at the
 * start of the day (the last ledger figure before it) or touched zero during it, or when demand for
 * it was answered "out of stock" there (analytics_lost_demand): that day's sales are a lower bound
 * of demand (censored), not demand. Before the ledger's first figure the stock is unknown, and the
 * day counts as uncensored.
 */
export async function refreshDaily(trx: Executor, from: string, to: string): Promise<number> {
  // Two refreshes at once would insert the same keys: one waits for the other's commit.
  await sql`select pg_advisory_xact_lock(8100)`.execute(trx);
  await sql`delete from planning_demand_daily where day >= cast(${from} as date) and day < cast(${to} as date)`.execute(
    trx,
  );
  const res = await sql`
    insert into planning_demand_daily (sku, location_id, day, units, stockout)
    with pairs as (
      select sl.sku, sl.location_id
      from stock_levels sl join locations l on l.id = sl.location_id
      where l.type = 'store'
    ),
    days as (
      select cast(d as date) as day
      from generate_series(cast(${from} as date), cast(${to} as date) - 1, interval '1 day') d
    ),
    sales as (
      select ol.sku, coalesce(ol.location_id, o.location_id) as location_id,
             cast(o.placed_at at time zone 'UTC' as date) as day, sum(ol.quantity) as units
      from order_lines ol join orders o on o.id = ol.order_id
      where o.status <> 'cancelled' and o.placed_at >= ${utc(from)} and o.placed_at < ${utc(to)}
      group by 1, 2, 3
    ),
    moves as (
      select sku, location_id, cast(created_at at time zone 'UTC' as date) as day,
             min(on_hand_after) as low, (array_agg(on_hand_after order by created_at desc, id desc))[1] as eod
      from stock_movements
      where created_at >= ${utc(from)} and created_at < ${utc(to)}
      group by 1, 2, 3
    ),
    -- demand answered "out of stock" at the store (availability, cart, checkout; analytics records it)
    lost as (
      select distinct sku, location_id, day from analytics_lost_demand
      where location_id is not null and day >= cast(${from} as date) and day < cast(${to} as date)
    ),
    opening as (
      select p.sku, p.location_id,
             (select m.on_hand_after from stock_movements m
              where m.sku = p.sku and m.location_id = p.location_id and m.created_at < ${utc(from)}
              order by m.created_at desc, m.id desc limit 1) as on_hand
      from pairs p
    ),
    grid as (
      select p.sku, p.location_id, d.day, mv.low, mv.eod,
             count(mv.eod) over (partition by p.sku, p.location_id order by d.day) as grp
      from pairs p cross join days d
      left join moves mv on mv.sku = p.sku and mv.location_id = p.location_id and mv.day = d.day
    ),
    carried as (
      select g.*, first_value(g.eod) over (partition by g.sku, g.location_id, g.grp order by g.day) as eod_carried
      from grid g
    ),
    flagged as (
      select c.sku, c.location_id, c.day, c.low,
             -- null when the ledger starts later (stock loaded after the history): unknown, not a stock-out
             coalesce(lag(c.eod_carried) over (partition by c.sku, c.location_id order by c.day), o.on_hand)
               as opening_on_hand
      from carried c join opening o on o.sku = c.sku and o.location_id = c.location_id
    )
    select f.sku, f.location_id, f.day, coalesce(s.units, 0),
           coalesce(f.low <= 0, false) or coalesce(f.opening_on_hand <= 0, false) or lost.sku is not null
    from flagged f
    left join sales s on s.sku = f.sku and s.location_id = f.location_id and s.day = f.day
    left join lost on lost.sku = f.sku and lost.location_id = f.location_id and lost.day = f.day
  `.execute(trx);
  return Number(res.numAffectedRows ?? 0);
}

/** Rebuilds `planning_demand_summary` (n, Σx, Σx² of uncensored days per SKU × store) over [from, to). */
export async function refreshSummary(trx: Executor, from: string, to: string): Promise<number> {
  await sql`select pg_advisory_xact_lock(8101)`.execute(trx);
  await sql`delete from planning_demand_summary`.execute(trx);
  const res = await sql`
    insert into planning_demand_summary (sku, location_id, observed_days, censored_days, units_sum, units_sumsq)
    select sku, location_id,
           count(*) filter (where not stockout),
           count(*) filter (where stockout),
           coalesce(sum(units) filter (where not stockout), 0),
           coalesce(sum(cast(units as bigint) * units) filter (where not stockout), 0)
    from planning_demand_daily
    where day >= cast(${from} as date) and day < cast(${to} as date)
    group by sku, location_id
  `.execute(trx);
  return Number(res.numAffectedRows ?? 0);
}
