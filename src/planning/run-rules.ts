/**
 * One min/max run, SKU by SKU: the pure part. The service streams the demand summary SKU by SKU
 * (every store of a SKU together, so pooling and proposals see the whole chain for it), hands each
 * SKU's rows here and writes what comes back. No I/O, no clock.
 */
import { roundUp } from './minmax-rules.js';
import { poolingSaving } from './pooling-rules.js';
import { regionPooling } from './region-pooling-rules.js';
import { rebalanceProposals, replenishmentProposals } from './replenishment-rules.js';
import type { DemandStats, Proposal, RebalanceStore, ReplenishmentProposal, Result } from './types.js';
import { badInt, badServiceLevel, fail, firstError, ok } from './validate.js';
import { inverseNormalCdf } from './normal.js';

/**
 * How max is set. `order_up_to` (the default): max = min, i.e. every review brings the position
 * back to S = μ(R+L) + zσ√(R+L) — the textbook (R, S) policy, whose cycle service level is the target.
 * `min_plus_review`: max = min + μR, the first formula; it covers one review period more than
 * the target needs and overshoots it (measured: 100 % instead of 95 %, see docs/planning.md).
 */
export const MAX_RULES = ['order_up_to', 'min_plus_review'] as const;
export type MaxRule = (typeof MAX_RULES)[number];

export interface RunParams {
  service_level: number;
  review_days: number;
  lead_days: number;
  max_rule: MaxRule;
  /** Fewer uncensored days than this: no figure for the pair (reported as skipped). */
  min_observed_days: number;
  /** Store-to-store transfer time, days. */
  transfer_lead_days: number;
  /** Smallest store-to-store transfer, units. */
  min_lot: number;
}

export function checkRunParams(p: RunParams): Result<RunParams> {
  const bad = firstError<RunParams>(
    badServiceLevel('service_level', p.service_level),
    badInt('review_days', p.review_days, 1, 365),
    badInt('lead_days', p.lead_days, 0, 365),
    badInt('min_observed_days', p.min_observed_days, 2, 3650),
    badInt('transfer_lead_days', p.transfer_lead_days, 0, 365),
    badInt('min_lot', p.min_lot, 1, 100_000),
  );
  if (bad) return bad;
  if (!MAX_RULES.includes(p.max_rule)) return fail('max_rule', `must be one of ${MAX_RULES.join(', ')}`);
  return ok(p);
}

/** Mean and sample sd from n, Σx, Σx² of the uncensored days (the summary table's columns). */
export function statsFromSums(
  observed: number,
  censored: number,
  sum: number,
  sumsq: number,
  minObservedDays: number,
): Result<DemandStats> {
  if (observed < minObservedDays)
    return fail(
      'days',
      `at least ${minObservedDays} days without a stock-out are needed, got ${observed}`,
      'insufficient_history',
    );
  const mean = sum / observed;
  // Σ(x−μ)² = Σx² − (Σx)²/n; max() absorbs float noise of a constant series.
  const variance = Math.max(0, sumsq - (sum * sum) / observed) / (observed - 1);
  return ok({ mean, sd: Math.sqrt(variance), observed_days: observed, censored_days: censored });
}

/** One SKU at one store as the service reads it. */
export interface PairInput {
  location_id: string;
  observed_days: number;
  censored_days: number;
  units_sum: number;
  units_sumsq: number;
  unit_cost: number;
  on_hand: number;
  in_transit: number;
  /** The warehouse that delivers to this store; null: none (no replenishment proposal). */
  warehouse_id: string | null;
  /** The store's region (address.region); null or absent: none, a pool of one. */
  region?: string | null;
}

export interface PairResult {
  sku: string;
  location_id: string;
  mean: number;
  sd: number;
  observed_days: number;
  censored_days: number;
  min: number;
  max: number;
  unit_cost: number;
  /** Expected average stock at cost (safety + half a review period's demand), minor units. */
  investment: number;
  safety_alone: number;
  safety_pooled: number;
  /** The store's share of its region's pooled safety stock (set by planSku; not stored per pair). */
  safety_region_pooled?: number;
}

export interface SkuPlan {
  results: PairResult[];
  skipped: { location_id: string; reason: string }[];
  replenishment: ReplenishmentProposal[];
  rebalancing: Proposal[];
}

/** Levels for a mean and sd under the run's rule; z computed once per run by the caller. */
export function levels(
  mean: number,
  sd: number,
  z: number,
  p: RunParams,
): { min: number; max: number; safety: number } {
  const T = p.review_days + p.lead_days;
  const safety = z * sd * Math.sqrt(T);
  const rawMin = mean * T + safety;
  const min = roundUp(rawMin);
  const max = p.max_rule === 'order_up_to' ? min : roundUp(rawMin + mean * p.review_days);
  return { min, max, safety };
}

/**
 * Min/max, the pooling saving and the proposals of one SKU across the stores in scope.
 * `warehouseAvailable` is what each warehouse can send of this SKU.
 */
export function planSku(
  sku: string,
  rows: PairInput[],
  warehouseAvailable: Map<string, number>,
  p: RunParams,
  z = inverseNormalCdf(p.service_level),
): SkuPlan {
  const results: PairResult[] = [];
  const skipped: SkuPlan['skipped'] = [];
  const kept: PairInput[] = [];
  for (const r of rows) {
    const st = statsFromSums(r.observed_days, r.censored_days, r.units_sum, r.units_sumsq, p.min_observed_days);
    if (!st.ok) {
      skipped.push({ location_id: r.location_id, reason: st.error.message });
      continue;
    }
    const { min, max, safety } = levels(st.value.mean, st.value.sd, z, p);
    const avgStock = safety + (st.value.mean * p.review_days) / 2;
    results.push({
      sku,
      location_id: r.location_id,
      mean: st.value.mean,
      sd: st.value.sd,
      observed_days: st.value.observed_days,
      censored_days: st.value.censored_days,
      min,
      max,
      unit_cost: r.unit_cost,
      investment: Math.round(avgStock * r.unit_cost),
      safety_alone: safety,
      safety_pooled: safety,
    });
    kept.push(r);
  }
  if (results.length > 0) {
    const pool = poolingSaving({
      stores: results.map((x) => ({ id: x.location_id, sd: x.sd })),
      service_level: p.service_level,
      horizon_days: Math.min(730, p.review_days + p.lead_days),
    });
    if (pool.ok) pool.value.stores.forEach((s, i) => (results[i]!.safety_pooled = s.pooled));
    const byRegion = regionPooling({
      stores: results.map((x, i) => ({ id: x.location_id, sd: x.sd, region: kept[i]!.region ?? null })),
      service_level: p.service_level,
      horizon_days: Math.min(730, p.review_days + p.lead_days),
    });
    if (byRegion.ok) byRegion.value.stores.forEach((s, i) => (results[i]!.safety_region_pooled = s.pooled));
  }
  const lines = kept
    .map((r, i) => ({ r, res: results[i]! }))
    .filter((x) => x.r.warehouse_id !== null)
    .map((x) => ({
      sku,
      store: x.r.location_id,
      warehouse: x.r.warehouse_id!,
      min: x.res.min,
      max: x.res.max,
      on_hand: Math.max(0, x.r.on_hand),
      in_transit: x.r.in_transit,
    }))
    // Only a store at or below its min gets anything: the others need not go through the rule (a
    // chain of 500 stores has a few dozen per SKU; validating the rest cost 10 s on 10 million pairs).
    .filter((l) => l.on_hand + l.in_transit <= l.min);
  const stock = [...warehouseAvailable].map(([warehouse, available]) => ({
    warehouse,
    sku,
    available: Math.max(0, available),
  }));
  const rep = replenishmentProposals(lines, stock);
  const replenishment = rep.ok ? rep.value : [];
  const coming = new Map(replenishment.map((x) => [x.to, x.units]));
  // Rebalance what the warehouse could not cover: receivers count the replenishment as in transit.
  const stores = kept.map((r, i) => ({
    sku,
    store: r.location_id,
    min: results[i]!.min,
    max: results[i]!.max,
    on_hand: Math.max(0, r.on_hand),
    in_transit: r.in_transit + (coming.get(r.location_id) ?? 0),
    mean_daily_demand: results[i]!.mean,
    days_to_next_delivery: p.review_days + p.lead_days,
  }));
  // Only donors (a lot or more above max) and receivers (at or below min where it sells) take part.
  const donors = stores.filter((s) => s.on_hand - s.max >= p.min_lot);
  const receivers = stores.filter((s) => s.mean_daily_demand > 0 && s.on_hand + s.in_transit <= s.min);
  let rebalancing: Proposal[] = [];
  if (donors.length > 0 && receivers.length > 0) {
    const rb = rebalanceProposals({
      stores: [...donors, ...receivers],
      lead_days: () => p.transfer_lead_days,
      min_lot: p.min_lot,
    });
    rebalancing = rb.ok ? rb.value : [];
  }
  return { results, skipped, replenishment, rebalancing };
}

/**
 * A donor or receiver of a chunk's rebalancing (run-sql.ts and chunk-rules.ts send them back): the
 * rule's store, in transit including the replenishment just proposed, with its mean daily demand.
 */
export type RebalanceCandidate = Omit<RebalanceStore, 'mean_daily_demand' | 'days_to_next_delivery'> & {
  mean: number;
};

/**
 * Store → store transfers among a chunk's candidates (SKUs with both a donor and a receiver): the pure
 * rule, every receiver's next warehouse delivery R + L days away, transfers taking the run's lead time.
 */
export function rebalanceCandidates(candidates: RebalanceCandidate[], p: RunParams): Result<Proposal[]> {
  const T = p.review_days + p.lead_days;
  return rebalanceProposals({
    stores: candidates.map((x) => ({
      sku: x.sku,
      store: x.store,
      min: x.min,
      max: x.max,
      on_hand: x.on_hand,
      in_transit: x.in_transit,
      mean_daily_demand: x.mean,
      days_to_next_delivery: T,
    })),
    lead_days: () => p.transfer_lead_days,
    min_lot: p.min_lot,
  });
}
