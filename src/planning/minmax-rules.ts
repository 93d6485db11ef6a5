/**
 * Min/max per size per store: demand statistics from a daily history with stock-out days treated as
 * censored, the reorder point and order-up-to level of a periodic review, and the stock investment
 * they imply at cost. See docs/planning.md for the formulas and their assumptions.
 */
import { inverseNormalCdf } from './normal.js';
import type { DemandDay, DemandStats, MinMax, MinMaxInput, Result } from './types.js';
import { badInt, badNumber, badServiceLevel, fail, firstError, ok } from './validate.js';

/**
 * Mean and sample standard deviation of daily demand, leaving out stock-out days.
 *
 * Why not count a stock-out day as what was sold (or zero): on such a day sales are only a lower
 * bound of demand — the shelf was empty, not the shoppers absent. Zero-filling drags the mean and
 * usually inflates the variance with artificial lows; counting sales as demand drags the mean down
 * exactly where the store ran out. Either way the next min/max is lower, the store runs out more,
 * and the bias feeds itself. Dropping the censored days assumes demand on them is like the other
 * days' (missing at random), which is the usual, conservative-enough choice for a reorder point.
 */
export function demandStats(days: DemandDay[], minObservedDays = 2): Result<DemandStats> {
  const minErr = badInt('min_observed_days', minObservedDays, 2);
  if (minErr) return { ok: false, error: minErr };
  for (const [i, d] of days.entries()) {
    const e = badInt(`days[${i}].units`, d.units, 0);
    if (e) return { ok: false, error: e };
  }
  const observed = days.filter((d) => !d.stockout).map((d) => d.units);
  const n = observed.length;
  if (n < minObservedDays) {
    return fail(
      'days',
      `at least ${minObservedDays} days without a stock-out are needed, got ${n}`,
      'insufficient_history',
    );
  }
  const mean = observed.reduce((s, u) => s + u, 0) / n;
  const variance = observed.reduce((s, u) => s + (u - mean) ** 2, 0) / (n - 1);
  return ok({ mean, sd: Math.sqrt(variance), observed_days: n, censored_days: days.length - n });
}

/** z for a cycle service level (probability of no stock-out in a replenishment cycle). */
export function zForServiceLevel(serviceLevel: number): Result<number> {
  const bad = firstError<number>(badServiceLevel('service_level', serviceLevel));
  return bad ?? ok(inverseNormalCdf(serviceLevel));
}

/**
 * Periodic review, order-up-to. Between two deliveries R days apart, an order placed now arrives
 * after L days, so the stock must cover R + L days of demand: with i.i.d. normal daily demand
 * (μ, σ), that cover is normal with mean μ(R+L) and sd σ√(R+L).
 *   min (reorder point) = μ(R+L) + zσ√(R+L)
 *   max (order-up-to)   = min + μR   (a delivery covers the next review period on top of the min)
 * Both are rounded up: rounding down would miss the target service level.
 */
export function minMax(input: MinMaxInput): Result<MinMax> {
  const bad = firstError<MinMax>(
    badNumber('mean', input.mean, 0),
    badNumber('sd', input.sd, 0),
    badServiceLevel('service_level', input.service_level),
    badInt('review_days', input.review_days, 1, 365),
    badInt('lead_days', input.lead_days, 0, 365),
  );
  if (bad) return bad;
  const { mean, sd, review_days: R, lead_days: L } = input;
  const z = inverseNormalCdf(input.service_level);
  const safety = z * sd * Math.sqrt(R + L);
  const rawMin = mean * (R + L) + safety;
  const rawMax = rawMin + mean * R;
  return ok({ min: roundUp(rawMin), max: roundUp(rawMax), z, safety_stock: safety, raw_min: rawMin, raw_max: rawMax });
}

/**
 * Round a unit level up, but not past float noise: 18.000000000001 is 18 (a product of decimals like
 * 4 × 3 can land a hair above the integer), 18.01 is 19.
 */
export function roundUp(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - r) < 1e-9 ? r : Math.ceil(x);
}

/**
 * Stock held on average under a min/max policy: the safety stock plus half a review period's demand
 * (the cycle stock, a saw-tooth from μR down to 0 above the safety stock).
 */
export function expectedAverageStock(mean: number, safetyStock: number, reviewDays: number): number {
  return safetyStock + (mean * reviewDays) / 2;
}

/** Money tied up by units at a unit cost, integer minor units; fractional units are rounded half up. */
export function stockInvestment(items: { units: number; unit_cost: number }[]): Result<number> {
  let total = 0;
  for (const [i, it] of items.entries()) {
    const bad = firstError<number>(
      badNumber(`items[${i}].units`, it.units, 0),
      badInt(`items[${i}].unit_cost`, it.unit_cost, 0),
    );
    if (bad) return bad;
    total += Math.round(it.units * it.unit_cost);
  }
  if (!Number.isSafeInteger(total)) return fail('items', 'the total does not fit a safe integer');
  return ok(total);
}
