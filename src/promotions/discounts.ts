/**
 * What one promotion takes off the lines it is allowed to touch. Pure and integer-only: every
 * function writes per-line amounts that never exceed a line's remaining amount, or says it gives
 * nothing. The engine (engine.ts) decides which lines a promotion may touch.
 *
 * Shaped for the engine's hot loop (issue 17): amounts go into the caller's buffer `out[0..n)` rather
 * than a new array per promotion, and a promotion that gives nothing returns null without putting its
 * reason into words; `refusalOf` builds that text only when someone will read it (an explained quote,
 * or a coupon's verdict), since formatting money was a tenth of a plain quote's cost.
 */
import { distributeInto, percentOf } from './rounding.js';
import { scopeMatches, type CompiledPromotion, type LineFacts } from './compile.js';

/** One line as a promotion sees it: the engine's copy of the caller's line facts, and what is left. */
export interface Slot extends LineFacts {
  unitPrice: number;
  quantity: number;
  /** What is still payable on the line after earlier promotions. */
  remaining: number;
}

/** Shared weights buffer of `spread` (the engine is synchronous: one call at a time). */
let weightsBuf: number[] = [];

function sumRemaining(slots: readonly Slot[], n: number): number {
  let s = 0;
  for (let k = 0; k < n; k++) s += slots[k]!.remaining;
  return s;
}

function spread(total: number, slots: readonly Slot[], n: number, out: number[]): void {
  const w = weightsBuf.length >= n ? weightsBuf : (weightsBuf = new Array<number>(n).fill(0));
  for (let k = 0; k < n; k++) w[k] = slots[k]!.remaining;
  distributeInto(total, w, n, out);
}

/**
 * Writes into `out[0..n)` what `p` takes off each of the first `n` slots and returns the reason shown
 * with the discount (amounts may all be 0); null when it gives nothing (see `refusalOf` for why).
 * `sub` is the slots' remaining total, which the engine has already summed.
 */
export function computeDiscount(
  p: CompiledPromotion,
  slots: readonly Slot[],
  n: number,
  sub: number,
  out: number[],
): string | null {
  switch (p.kind) {
    case 'item_percent':
      for (let k = 0; k < n; k++) out[k] = percentOf(slots[k]!.remaining, p.bp);
      return p.label;
    case 'item_amount': {
      const a = p.amount;
      // a × quantity may pass 2^53 for absurd quantities; then it certainly exceeds the remaining
      for (let k = 0; k < n; k++) out[k] = Math.min(a * slots[k]!.quantity, slots[k]!.remaining);
      return p.label;
    }
    case 'basket_percent':
      spread(percentOf(sub, p.bp), slots, n, out);
      return p.label;
    case 'basket_amount':
      spread(Math.min(p.amount, sub), slots, n, out);
      return p.label;
    case 'tiered_spend': {
      const best = bestTier(p, sub);
      if (!best) return null;
      spread(best.amount !== null ? Math.min(best.amount, sub) : percentOf(sub, best.bp), slots, n, out);
      return best.reason;
    }
    case 'buy_x_get_y':
      return buyXGetY(p, slots, n, out);
    case 'bundle_price': {
      const found = bundle(p, slots, n, out);
      return found > 0 ? (found > 1 ? `${p.label} (×${found})` : p.label) : null;
    }
    case 'free_shipping':
      return null;
  }
}

/** Why `computeDiscount` gave nothing for these slots: text for a person, built on request. */
export function refusalOf(
  p: CompiledPromotion,
  slots: readonly Slot[],
  n: number,
  money: (n: number) => string,
): string {
  const label = p.label;
  switch (p.kind) {
    case 'tiered_spend': {
      const first = p.tiers[0];
      const sub = sumRemaining(slots, n);
      return first
        ? `spend ${money(first.threshold - sub)} more on qualifying items to reach ${money(first.threshold)}`
        : 'no tiers';
    }
    case 'buy_x_get_y': {
      let units = 0;
      for (let k = 0; k < n; k++) units += slots[k]!.quantity;
      return `${label}: needs ${p.buy + p.get} qualifying units, the basket has ${units}`;
    }
    case 'bundle_price': {
      if (p.components.length === 0) return 'the bundle has no components';
      return bundle(p, slots, n, new Array<number>(n).fill(0)) === 0
        ? `${label}: the basket does not hold a complete bundle`
        : `${label}: the items already cost no more than the bundle price`;
    }
    case 'free_shipping':
      return 'applies to shipping, not to lines';
    default:
      return label;
  }
}

function bestTier(p: CompiledPromotion, sub: number): CompiledPromotion['tiers'][number] | undefined {
  let best: CompiledPromotion['tiers'][number] | undefined;
  for (const t of p.tiers) if (t.threshold <= sub) best = t;
  return best;
}

/** Slot positions 0..n-1 by unit price (ascending, or descending with `desc`), ties by position. */
function byPrice(slots: readonly Slot[], n: number, desc: boolean): number[] {
  const order = new Array<number>(n);
  for (let k = 0; k < n; k++) order[k] = k;
  // most promotions of these kinds meet one or two lines: skip the sort's setup for one
  if (n > 1)
    order.sort((a, b) =>
      desc ? slots[b]!.unitPrice - slots[a]!.unitPrice || a - b : slots[a]!.unitPrice - slots[b]!.unitPrice || a - b,
    );
  return order;
}

/** For every buy+get qualifying units, the `get` cheapest units get get_percent off (100 = free). */
function buyXGetY(p: CompiledPromotion, slots: readonly Slot[], n: number, out: number[]): string | null {
  const buy = p.buy;
  const get = p.get;
  let units = 0;
  for (let k = 0; k < n; k++) units += slots[k]!.quantity;
  let free = Math.floor(units / (buy + get)) * get;
  if (free === 0) return null;
  for (let k = 0; k < n; k++) out[k] = 0;
  for (const i of byPrice(slots, n, false)) {
    if (free === 0) break;
    const s = slots[i]!;
    const take = Math.min(s.quantity, free);
    free -= take;
    out[i] = Math.min(s.remaining, percentOf(take * s.unitPrice, p.getBp));
  }
  return p.label;
}

/** Units of each slot used by `n` bundles under the greedy filling, or null when it cannot make them. */
function fill(
  comps: CompiledPromotion['components'],
  matching: number[][],
  slots: readonly Slot[],
  count: number,
  bundles: number,
): number[] | null {
  const used = new Array<number>(count).fill(0);
  for (let k = 0; k < comps.length; k++) {
    let need = comps[k]!.quantity * bundles;
    for (const i of matching[k]!) {
      if (need === 0) break;
      const take = Math.min(slots[i]!.quantity - used[i]!, need);
      used[i]! += take;
      need -= take;
    }
    if (need > 0) return null;
  }
  return used;
}

/**
 * A bundle is formed from units of the lines matching each component, components filled in order
 * from the dearest units (the customer's advantage, and deterministic). The number of bundles is
 * the largest that this greedy filling can make; the discount is the bundles' value above the
 * bundle price, spread over the units used. Returns how many bundles it made: 0 when none, negated
 * when they cost no more than the bundle price (no discount then, and `out` untouched).
 */
function bundle(p: CompiledPromotion, slots: readonly Slot[], n: number, out: number[]): number {
  const comps = p.components;
  if (comps.length === 0) return 0;
  const byPriceDesc = byPrice(slots, n, true);
  const matching = comps.map((c) => byPriceDesc.filter((i) => scopeMatches(c, slots[i]!)));
  // binary search the largest n the greedy filling reaches (the result is always a feasible n)
  let hi = Infinity;
  for (let k = 0; k < comps.length; k++) {
    let units = 0;
    for (const i of matching[k]!) units += slots[i]!.quantity;
    hi = Math.min(hi, Math.floor(units / comps[k]!.quantity));
  }
  let lo = 0;
  let best: number[] | null = null;
  while (lo < hi) {
    const mid = lo + Math.ceil((hi - lo) / 2);
    const used = fill(comps, matching, slots, n, mid);
    if (used) {
      lo = mid;
      best = used;
    } else hi = mid - 1;
  }
  if (lo === 0 || !best) return 0;
  const weights = new Array<number>(n);
  let value = 0;
  for (let i = 0; i < n; i++) {
    weights[i] = Math.min(best[i]! * slots[i]!.unitPrice, slots[i]!.remaining);
    value += weights[i]!;
  }
  const total = value - lo * p.bundlePrice;
  if (total <= 0) return -lo;
  distributeInto(total, weights, n, out);
  return lo;
}
