/**
 * A run's arithmetic done where the data is: one chunk of SKUs at a time, set-based.
 *
 * PGlite's path, and PostgreSQL's with OMNIA_PLANNING_COMPUTE=sql. Shipping 10 million pairs to the
 * process and back as rows and INSERTs cost 4 minutes, which is why this was written; on PostgreSQL
 * the default is now binary COPY both ways with the arithmetic in the process (chunk-copy.ts), which
 * costs the database a third of this statement (docs/planning.md, "Sixth round"). The formulas here are the ones of run-rules.ts (`planSku`: statsFromSums, levels, poolingSaving) and
 * replenishment-rules.ts (`replenishmentProposals` with its largest-remainder split), written with
 * the same float8 operations in the same order; test/planning/sql-agrees.e2e.test.ts proves both
 * give the same results and proposals on a generated sample. Rebalancing stays in the pure rule
 * (`rebalanceProposals`): only the few SKUs with both a donor and a receiver go through it.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import type { RebalanceCandidate, RunParams } from './run-rules.js';
import { proposalsTable, resultsTable } from './store.js';
import { base32, proposalId, proposalIdFrom, type ProposalIds } from './run-ids.js';

export { proposalIdOf, type ProposalIds } from './run-ids.js';

/** SKUs (lo, hi]: a chunk always holds every store of its SKUs (pooling and proposals need them). */
export interface SkuRange {
  /** Exclusive lower bound; null: from the first SKU. */
  lo: string | null;
  /** Inclusive upper bound; null: to the last SKU. */
  hi: string | null;
}

function inRange(col: RawBuilder<unknown>, r: SkuRange): RawBuilder<boolean> {
  const lo = r.lo === null ? sql`true` : sql`${col} > ${r.lo}`;
  const hi = r.hi === null ? sql`true` : sql`${col} <= ${r.hi}`;
  return sql<boolean>`(${lo} and ${hi})`;
}

function inScope(col: RawBuilder<unknown>, stores: string[] | null): RawBuilder<boolean> {
  return stores ? sql<boolean>`${col} = any(cast(${stores} as text[]))` : sql<boolean>`true`;
}

/**
 * The SKU that ends the chunk of about `size` pairs after `lo` (its every store included), or null
 * when fewer pairs are left: the chunks are found along the summary's primary key, a few ms each.
 */
export async function chunkEnd(
  db: Executor,
  lo: string | null,
  size: number,
  stores: string[] | null,
): Promise<string | null> {
  const r = await sql<{ sku: string }>`
    select sku from planning_demand_summary
    where ${lo === null ? sql`true` : sql`sku > ${lo}`} and ${inScope(sql.ref('location_id'), stores)}
    order by sku offset ${size - 1} limit 1`.execute(db);
  return r.rows[0]?.sku ?? null;
}

/** `minmax-rules.roundUp` in SQL: the nearest integer when within 1e-9 of it, else the ceiling. */
function roundUp(x: RawBuilder<number>): RawBuilder<number> {
  return sql<number>`(case when abs(${x} - floor(${x} + 0.5)) < 1e-9 then floor(${x} + 0.5) else ceil(${x}) end)`;
}

export interface LevelParams extends RunParams {
  /** z of the service level (inverseNormalCdf), computed once by the caller. */
  z: number;
}

export interface ChunkFigures {
  /** Per store of the chunk: the sums the run's per-store figures add up. */
  stores: {
    location_id: string;
    skus: number;
    min_units: number;
    max_units: number;
    investment: number;
    safety_alone: number;
    safety_pooled: number;
    saving_value: number;
    /** The store's share of its region's pooled safety stock, and that saving at cost. */
    safety_region_pooled: number;
    region_saving_value: number;
  }[];
  /** Per SKU: Σ mean daily demand over its stores (the simulation picks the best sellers). */
  skus: { sku: string; demand: number }[];
  pairs: number;
  skipped: number;
}

/** A rebalancing donor or receiver sent back to the process (run-rules.ts rebalanceCandidates). */
export type Candidate = RebalanceCandidate;

export interface ChunkOutcome {
  figures: ChunkFigures;
  /** Replenishment proposals written. */
  replenishment: number;
  /** Rebalancing candidates for the pure rule. */
  candidates: Candidate[];
}

/** The tables a chunk writes to (its own, partitions of the run's once attached). */
export interface ChunkInto {
  results: string;
  proposals: string;
}

/**
 * One chunk in one statement, reading the demand summary, the stores' stock and the SKUs' cost
 * once (merge-joined along their primary keys):
 * - results: mean, sd, min, max, investment, safety alone and pooled, for pairs with enough history;
 * - replenishment: warehouse → store up to max for a store at or below its min, a short warehouse
 *   shared by largest remainder, written as proposals numbered from `ids.firstN`;
 * - back: the chunk's per-store and per-SKU sums (from the float8 values, not the real columns
 *   stored, as the pure path summed them), the number of replenishment proposals, and the
 *   rebalancing candidates — donors (a lot or more above max) and receivers (at or below min where
 *   the SKU sells, still a lot or more short after the replenishment) of SKUs that have both, when
 *   a transfer can arrive before the next delivery (else the rule proposes nothing anyway).
 */
export async function planChunk(
  db: Executor,
  runId: string,
  range: SkuRange,
  stores: string[] | null,
  warehouseOf: Map<string, string>,
  p: LevelParams,
  ids: ProposalIds,
  regionOf: Map<string, string | null> = new Map(),
  into: ChunkInto = { results: resultsTable(runId), proposals: proposalsTable(runId) },
): Promise<ChunkOutcome> {
  const T = p.review_days + p.lead_days;
  const sqrtT = Math.sqrt(T);
  // poolingSaving's k = z√h with the horizon capped at 730 days (planSku passes min(730, R + L)).
  const k = p.z * Math.sqrt(Math.min(730, T));
  const R = p.review_days;
  const maxQty =
    p.max_rule === 'order_up_to' ? sql`min_qty` : roundUp(sql<number>`(raw_min + mean * cast(${R} as float8))`);
  const whStores = [...warehouseOf.keys()];
  const whOf = whStores.map((s) => warehouseOf.get(s)!);
  const rebalance = p.transfer_lead_days < T;
  const warehouses = [...new Set(whOf)];
  const table = into.results;
  // Pools by region: a store without one (or a location not in the map) is a pool of its own
  // (region-pooling-rules.ts). Regions travel as small integers: the sums below group by them.
  const regionNo = new Map<string, number>();
  const rgStores: string[] = [];
  const rgNos: number[] = [];
  for (const [store, region] of regionOf) {
    if (!region) continue;
    if (!regionNo.has(region)) regionNo.set(region, regionNo.size);
    rgStores.push(store);
    rgNos.push(regionNo.get(region)!);
  }
  // Warehouses as small integers too (their ids come back by subscript when proposals are written).
  const whNo = new Map(warehouses.map((w, i) => [w, i + 1]));
  const whNos = whOf.map((w) => whNo.get(w)!);
  const r = await sql<{
    t: 's' | 'k' | 'n' | 'c';
    sku: string | null;
    store: string | null;
    a: number;
    b: number;
    c: number;
    d: number;
    e: number;
    f: number;
    g: number;
    h: number;
    i: number;
  }>`
    with base as (
      -- Fixed-width columns first and text last (the rows are copied and read several times: a column
      -- after a text one is found by walking it); sku and location_id in the "C" collation, so the
      -- groupings, windows and sorts below compare bytes.
      select s.observed_days >= ${p.min_observed_days} as ok, s.observed_days, s.censored_days,
             c.unit_cost, a.mean, a.sd, b.safety, a.mean * cast(${T} as float8) + b.safety as raw_min,
             greatest(coalesce(sl.on_hand, 0), 0) as on_hand, coalesce(sl.in_transit, 0) as in_transit,
             s.sku collate "C" as sku, s.location_id collate "C" as location_id,
             rg.region
      from planning_demand_summary s
      left join unnest(cast(${rgStores} as text[]), cast(${rgNos} as int[])) as rg(store, region)
        on rg.store = s.location_id
      left join variants v on v.sku = s.sku and ${inRange(sql.ref('v.sku'), range)}
      left join stock_levels sl on sl.sku = s.sku and sl.location_id = s.location_id
        and ${inRange(sql.ref('sl.sku'), range)}
      cross join lateral (select coalesce(cast(v.unit_cost as float8), 0) as unit_cost,
                                 cast(s.units_sum as float8) as su, cast(s.units_sumsq as float8) as sq) c
      -- statsFromSums: mean = Σx/n, sd = √(max(0, Σx² − (Σx)²/n) / (n − 1))
      cross join lateral (select c.su / nullif(s.observed_days, 0) as mean,
                                 sqrt(greatest(0, c.sq - (c.su * c.su) / nullif(s.observed_days, 0))
                                      / nullif(s.observed_days - 1, 0)) as sd) a
      -- (n < 2 never passes min_observed_days ≥ 2: the nullif()s only keep such rows from dividing by 0)
      -- levels: safety = zσ√(R+L)
      cross join lateral (select cast(${p.z} as float8) * a.sd * cast(${sqrtT} as float8) as safety) b
      where ${inRange(sql.ref('s.sku'), range)} and ${inScope(sql.ref('s.location_id'), stores)}
    ),
    -- The rows as written, once: every later part reads them from here.
    done as materialized (
      select ok, observed_days, censored_days, unit_cost, mean, sd, safety, on_hand, in_transit,
             q.min_qty, ${maxQty} as max_qty,
             -- investment: Math.round((safety + μR/2) × unit cost)
             floor((safety + (mean * cast(${R} as float8)) / 2) * unit_cost + 0.5) as investment,
             cast(${k} as float8) * sd as pool_alone, region, sku, location_id
      from base
      cross join lateral (select ${roundUp(sql<number>`raw_min`)} as min_qty) q
    ),
    -- poolingSaving: alone = kσ, pooled = alone × (k√Σσ²) / Σkσ over the SKU's stores chain-wide (pc)
    -- and within its region (pr: stores back each other up there; a store without one is its own
    -- pool). Hashed sums per SKU and per (SKU, region) joined back where they are used, rather than
    -- windows: a window spools every wide row again after a sort of the chunk (three copies of
    -- 250,000 rows; this cut a tenth to a fifth of a chunk's CPU).
    -- (pc also counts the SKU's pairs and sums its demand: the per-SKU figures sent back.)
    pc as materialized (
      select sku, case when t = 0 then 0 else (cast(${k} as float8) * sqrt(v)) / t end as f, pairs, demand, skipped
      from (select sku, sum(cast(${k} as float8) * sd) filter (where ok) as t, sum(sd * sd) filter (where ok) as v,
                   count(*) filter (where ok) as pairs, coalesce(sum(mean) filter (where ok), 0) as demand,
                   count(*) filter (where not ok) as skipped
            from done group by sku) x
    ),
    pr as (
      select sku, region, case when t = 0 then 0 else (cast(${k} as float8) * sqrt(v)) / t end as f
      from (select sku, region, sum(cast(${k} as float8) * sd) filter (where ok) as t,
                   sum(sd * sd) filter (where ok) as v
            from done where region is not null group by sku, region) x
    ),
    ins as (
      insert into ${sql.table(table)} (run_id, sku, location_id, mean_daily, sd_daily, observed_days, censored_days,
        min_qty, max_qty, unit_cost, investment, safety_alone, safety_pooled)
      select ${runId}, d.sku, d.location_id, mean, sd, observed_days, censored_days, min_qty, max_qty, unit_cost,
             investment, safety, case when pc.f = 0 then 0 else d.pool_alone * pc.f end
      from done d join pc on pc.sku = d.sku where d.ok
    ),
    -- replenishmentProposals: a store at or below its min (on hand + in transit) is brought to max
    lines as (
      select d.sku, d.location_id as store, m.warehouse, d.max_qty - (d.on_hand + d.in_transit) as need
      from done d
      join unnest(cast(${whStores} as text[]), cast(${whNos} as int[])) as m(store, warehouse)
        on m.store = d.location_id
      where d.ok and d.on_hand + d.in_transit <= d.min_qty and d.max_qty - (d.on_hand + d.in_transit) > 0
    ),
    -- what each warehouse can send of the SKUs its stores need: one primary-key probe per
    -- (SKU, warehouse) pair of the lines (a few thousand), not an index range of the whole chunk
    -- filtered by location, and not a probe per line (an index probe per line cost a sixth of a chunk)
    wh as materialized (
      select x.sku, x.warehouse,
             cast(greatest(coalesce(sl.on_hand - sl.reserved - sl.safety_stock, 0), 0) as float8) as avail
      from (select distinct sku, warehouse from lines) x
      join stock_levels sl on sl.sku = (x.sku collate "default")
        and sl.location_id = (cast(${warehouses} as text[]))[x.warehouse]
        -- the chunk's range again, so a plan that prefers a hash join still reads only the chunk
        and ${inRange(sql.ref('sl.sku'), range)}
    ),
    grp as materialized (
      select l.sku, l.store, l.warehouse, l.need, cast(sum(l.need) over g as float8) as total,
             coalesce(ws.avail, 0) as avail
      from lines l
      left join wh ws on ws.sku = l.sku and ws.warehouse = l.warehouse
      window g as (partition by l.sku, l.warehouse)
    ),
    -- largestRemainder, only where the warehouse has less than its stores need (elsewhere each store
    -- gets its need, and ranking every line cost a third of a chunk): floors of the proportional
    -- quotas, the units left one each to the largest fractional parts (ties: store id)
    quota as (
      select *, floor((avail * need) / total) as fl from grp where total > avail
    ),
    ranked as (
      select *, avail - sum(fl) over g as left_over,
             row_number() over (g order by (avail * need) / total - fl desc, store collate "C") as rk
      from quota
      window g as (partition by sku, warehouse)
    ),
    alloc as materialized (
      select sku, store, warehouse, need, cast(need as int) as units from grp where total <= avail
      union all
      select sku, store, warehouse, need, cast(fl + case when rk <= left_over then 1 else 0 end as int) from ranked
    ),
    numbered as (
      select *, ${ids.firstN} + row_number() over (order by sku collate "C", store collate "C") - 1 as n
      from alloc where units > 0
    ),
    -- the millisecond part of the ids, encoded once per 32,768 proposals rather than per row
    heads as (
      select o, ${base32(sql<number>`(cast(${ids.baseMs} as bigint) + o)`, 10)} as head
      from generate_series(cast(${Math.floor(ids.firstN / 32768)} as bigint),
                           (${ids.firstN} + (select count(*) from alloc)) / 32768) as o
    ),
    prop as (
      insert into ${sql.table(into.proposals)} (id, run_id, kind, sku, from_location_id, to_location_id, units, needed, status,
        created_at)
      select ${proposalIdFrom(sql<string>`h.head`, sql<number>`x.n`, ids.tail)}, ${runId}, 'replenishment', x.sku,
             (cast(${warehouses} as text[]))[x.warehouse], x.store, x.units, x.need, 'proposed', ${ids.now}
      from numbered x join heads h on h.o = x.n / 32768
      returning 1
    ),
    st as (
      select d.sku, d.location_id as store, d.min_qty, d.max_qty, d.on_hand, d.in_transit + coalesce(a.units, 0) as in_transit,
             d.mean,
             d.on_hand - d.max_qty >= ${p.min_lot} as donor,
             d.mean > 0 and d.on_hand + d.in_transit + coalesce(a.units, 0) <= d.min_qty
               and d.max_qty - (d.on_hand + d.in_transit + coalesce(a.units, 0)) >= ${p.min_lot} as receiver
      from done d
      left join alloc a on a.sku = d.sku and a.store = d.location_id and a.units > 0
      where d.ok and ${rebalance ? sql`true` : sql`false`}
        -- a receiver after the replenishment was one before it (it only adds to the position)
        and (d.on_hand - d.max_qty >= ${p.min_lot}
             or (d.mean > 0 and d.on_hand + d.in_transit <= d.min_qty
                 and d.max_qty - (d.on_hand + d.in_transit) >= ${p.min_lot}))
    ),
    cand as (
      select *, bool_or(donor) over k as any_donor, bool_or(receiver) over k as any_receiver
      from st where donor or receiver
      window k as (partition by sku)
    )
    select 's' as t, null as sku, location_id as store, cast(count(*) as float8) as a,
           cast(sum(min_qty) as float8) as b, cast(sum(max_qty) as float8) as c, cast(sum(investment) as float8) as d,
           sum(safety) as e, sum(pooled) as f, sum((safety - pooled) * unit_cost) as g,
           sum(region_pooled) as h, sum((safety - region_pooled) * unit_cost) as i
    from (select d.location_id, d.min_qty, d.max_qty, d.investment, d.safety, d.unit_cost,
                 case when pc.f = 0 then 0 else d.pool_alone * pc.f end as pooled,
                 -- a store without a region: its pool of one, the same arithmetic (alone × kσ / kσ)
                 case when d.region is null
                      then (case when d.pool_alone = 0 then 0
                                 else d.pool_alone * ((cast(${k} as float8) * sqrt(d.sd * d.sd)) / d.pool_alone) end)
                      when pr.f = 0 then 0 else d.pool_alone * pr.f end as region_pooled
          from done d join pc on pc.sku = d.sku left join pr on pr.sku = d.sku and pr.region = d.region
          where d.ok) x
    group by location_id
    union all
    select 'k', sku, null, pairs, demand, skipped, 0, 0, 0, 0, 0, 0 from pc
    union all
    select 'n', null, null, count(*), 0, 0, 0, 0, 0, 0, 0, 0 from prop
    union all
    select 'c', sku, store, min_qty, max_qty, on_hand, in_transit, mean, 0, 0, 0, 0
    from cand where any_donor and any_receiver`.execute(db);
  const figures: ChunkFigures = { stores: [], skus: [], pairs: 0, skipped: 0 };
  const candidates: Candidate[] = [];
  let replenishment = 0;
  for (const x of r.rows) {
    const [a, b, c, d, e, f, g, h, i] = [x.a, x.b, x.c, x.d, x.e, x.f, x.g, x.h, x.i].map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    if (x.t === 's') {
      figures.pairs += a;
      figures.stores.push({
        location_id: x.store!,
        skus: a,
        min_units: b,
        max_units: c,
        investment: d,
        safety_alone: e,
        safety_pooled: f,
        saving_value: g,
        safety_region_pooled: h,
        region_saving_value: i,
      });
    } else if (x.t === 'k') {
      figures.skipped += c;
      figures.skus.push({ sku: x.sku!, demand: b });
    } else if (x.t === 'n') replenishment = a;
    else candidates.push({ sku: x.sku!, store: x.store!, min: a, max: b, on_hand: c, in_transit: d, mean: e });
  }
  return { figures, replenishment, candidates };
}

/** Store → store proposals the pure rule made, numbered on from `firstN` like the replenishment. */
export async function insertRebalancing(
  db: Executor,
  runId: string,
  rows: { sku: string; from: string; to: string; units: number }[],
  ids: ProposalIds,
  into = proposalsTable(runId),
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into ${sql.table(into)} (id, run_id, kind, sku, from_location_id, to_location_id, units,
      needed, status, created_at)
    select ${proposalId(ids, sql<number>`(${ids.firstN} + t.i - 1)`)}, ${runId}, 'rebalancing', t.sku, t.f,
           t.tt, t.units, t.units, 'proposed', ${ids.now}
    from unnest(cast(${rows.map((x) => x.sku)} as text[]), cast(${rows.map((x) => x.from)} as text[]),
                cast(${rows.map((x) => x.to)} as text[]), cast(${rows.map((x) => x.units)} as int[]))
         with ordinality as t(sku, f, tt, units, i)`.execute(db);
}
