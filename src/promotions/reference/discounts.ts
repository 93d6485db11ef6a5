/** What one promotion takes off its lines, as before issue 17 (the reference engine's part, see engine.ts). */
import { distribute, percentOf } from '../rounding.js';
import { scopeMatches, type CompiledPromotion } from '../compile.js';
import type { PricedLine } from '../types.js';

export interface Slot {
  line: PricedLine;
  /** What is still payable on the line after earlier promotions. */
  remaining: number;
}

export type Outcome = { amounts: number[]; reason: string } | { amounts: null; reason: string };

const pct = (bp: number) => `${bp / 100}%`;

function sumRemaining(slots: readonly Slot[]): number {
  let s = 0;
  for (const x of slots) s += x.remaining;
  return s;
}

function spread(total: number, slots: readonly Slot[]): number[] {
  return distribute(
    total,
    slots.map((s) => s.remaining),
  );
}

export function computeDiscount(p: CompiledPromotion, slots: readonly Slot[], money: (n: number) => string): Outcome {
  switch (p.kind) {
    case 'item_percent':
      return { amounts: slots.map((s) => percentOf(s.remaining, p.bp)), reason: p.label };
    case 'item_amount': {
      const a = p.amount;
      // a × quantity may pass 2^53 for absurd quantities; then it certainly exceeds the remaining
      return { amounts: slots.map((s) => Math.min(a * s.line.quantity, s.remaining)), reason: p.label };
    }
    case 'basket_percent': {
      const total = percentOf(sumRemaining(slots), p.bp);
      return { amounts: spread(total, slots), reason: p.label };
    }
    case 'basket_amount': {
      const total = Math.min(p.amount, sumRemaining(slots));
      return { amounts: spread(total, slots), reason: p.label };
    }
    case 'tiered_spend': {
      const sub = sumRemaining(slots);
      let best: CompiledPromotion['tiers'][number] | undefined;
      for (const t of p.tiers) if (t.threshold <= sub) best = t;
      if (!best) {
        const first = p.tiers[0];
        return {
          amounts: null,
          reason: first
            ? `spend ${money(first.threshold - sub)} more on qualifying items to reach ${money(first.threshold)}`
            : 'no tiers',
        };
      }
      const total = best.amount !== null ? Math.min(best.amount, sub) : percentOf(sub, best.bp);
      const what = best.amount !== null ? money(best.amount) : pct(best.bp);
      return { amounts: spread(total, slots), reason: `${what} off for spending over ${money(best.threshold)}` };
    }
    case 'buy_x_get_y':
      return buyXGetY(p, slots);
    case 'bundle_price':
      return bundle(p, slots);
    case 'free_shipping':
      return { amounts: null, reason: 'applies to shipping, not to lines' };
  }
}

/** For every buy+get qualifying units, the `get` cheapest units get get_percent off (100 = free). */
function buyXGetY(p: CompiledPromotion, slots: readonly Slot[]): Outcome {
  const buy = p.buy;
  const get = p.get;
  let units = 0;
  for (const s of slots) units += s.line.quantity;
  const label = p.label;
  let free = Math.floor(units / (buy + get)) * get;
  if (free === 0)
    return { amounts: null, reason: `${label}: needs ${buy + get} qualifying units, the basket has ${units}` };
  const order = slots.map((_, i) => i).sort((a, b) => slots[a]!.line.unit_price - slots[b]!.line.unit_price || a - b);
  const amounts = new Array<number>(slots.length).fill(0);
  for (const i of order) {
    if (free === 0) break;
    const s = slots[i]!;
    const take = Math.min(s.line.quantity, free);
    free -= take;
    amounts[i] = Math.min(s.remaining, percentOf(take * s.line.unit_price, p.getBp));
  }
  return { amounts, reason: label };
}

/**
 * A bundle is formed from units of the lines matching each component, components filled in order
 * from the dearest units (the customer's advantage, and deterministic). The number of bundles is
 * the largest that this greedy filling can make; the discount is the bundles' value above the
 * bundle price, spread over the units used.
 */
function bundle(p: CompiledPromotion, slots: readonly Slot[]): Outcome {
  const price = p.bundlePrice;
  const comps = p.components;
  if (comps.length === 0) return { amounts: null, reason: 'the bundle has no components' };
  const byPriceDesc = slots
    .map((_, i) => i)
    .sort((a, b) => slots[b]!.line.unit_price - slots[a]!.line.unit_price || a - b);
  const matching = comps.map((c) => byPriceDesc.filter((i) => scopeMatches(c, slots[i]!.line)));
  const fill = (n: number): number[] | null => {
    const used = new Array<number>(slots.length).fill(0);
    for (let k = 0; k < comps.length; k++) {
      let need = comps[k]!.quantity * n;
      for (const i of matching[k]!) {
        if (need === 0) break;
        const take = Math.min(slots[i]!.line.quantity - used[i]!, need);
        used[i]! += take;
        need -= take;
      }
      if (need > 0) return null;
    }
    return used;
  };
  // binary search the largest n the greedy filling reaches (the result is always a feasible n)
  let hi = Infinity;
  comps.forEach((c, k) => {
    let units = 0;
    for (const i of matching[k]!) units += slots[i]!.line.quantity;
    hi = Math.min(hi, Math.floor(units / c.quantity));
  });
  let lo = 0;
  let best: number[] | null = null;
  while (lo < hi) {
    const mid = lo + Math.ceil((hi - lo) / 2);
    const used = fill(mid);
    if (used) {
      lo = mid;
      best = used;
    } else hi = mid - 1;
  }
  const label = p.label;
  if (lo === 0 || !best) return { amounts: null, reason: `${label}: the basket does not hold a complete bundle` };
  const weights = best.map((u, i) => Math.min(u * slots[i]!.line.unit_price, slots[i]!.remaining));
  let value = 0;
  for (const w of weights) value += w;
  const total = value - lo * price;
  if (total <= 0) return { amounts: null, reason: `${label}: the items already cost no more than the bundle price` };
  return { amounts: distribute(total, weights), reason: lo > 1 ? `${label} (×${lo})` : label };
}
