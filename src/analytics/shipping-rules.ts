/**
 * Shipping cost and free shipping: the real fulfilment cost per order by zone, basket band and method
 * against what shoppers paid; the contribution per band; and the free-shipping what-if on the same
 * history with its break-even threshold.
 */
import type { BandMargin, Result, ShippingCostRow, ShippingOrder, WhatIf, WhatIfOptions } from './types.js';
import { badInt, fail, firstError, ok } from './validate.js';

/** Bands are given by their lower bounds, ascending, the first 0: [0, 2500, 5000] → 0–2499, 2500–4999, 5000+. */
export function bandLabel(bounds: number[], value: number): string {
  let i = 0;
  while (i + 1 < bounds.length && value >= bounds[i + 1]!) i++;
  const lo = bounds[i]!;
  const next = bounds[i + 1];
  return next === undefined ? `${lo}+` : `${lo}-${next - 1}`;
}

function validate<T>(orders: ShippingOrder[], bounds: number[]): Result<T> | null {
  if (bounds[0] !== 0) return fail('bands', 'band bounds must start at 0');
  for (let i = 1; i < bounds.length; i++) {
    const e = badInt(`bands[${i}]`, bounds[i]!, bounds[i - 1]! + 1);
    if (e) return { ok: false, error: e };
  }
  for (const [i, o] of orders.entries()) {
    const bad = firstError<T>(
      badInt(`orders[${i}].merchandise`, o.merchandise, 0),
      badInt(`orders[${i}].shipping_paid`, o.shipping_paid, 0),
      badInt(`orders[${i}].fulfilment_cost`, o.fulfilment_cost, 0),
    );
    if (bad) return bad;
  }
  return null;
}

export function shippingCostByBand(orders: ShippingOrder[], bounds: number[]): Result<ShippingCostRow[]> {
  const bad = validate<ShippingCostRow[]>(orders, bounds);
  if (bad) return bad;
  const rows = new Map<string, ShippingCostRow>();
  for (const o of orders) {
    const band = bandLabel(bounds, o.merchandise);
    const key = `${o.zone}|${band}|${o.method}`;
    const r = rows.get(key) ?? {
      zone: o.zone,
      band,
      method: o.method,
      orders: 0,
      paid: 0,
      cost: 0,
      shipping_margin: 0,
      average_paid: 0,
      average_cost: 0,
    };
    r.orders++;
    r.paid += o.shipping_paid;
    r.cost += o.fulfilment_cost;
    rows.set(key, r);
  }
  const out = [...rows.values()];
  for (const r of out) {
    r.shipping_margin = r.paid - r.cost;
    r.average_paid = Math.round(r.paid / r.orders);
    r.average_cost = Math.round(r.cost / r.orders);
  }
  return ok(out);
}

/** Contribution per basket band: gross margin on merchandise + shipping paid − fulfilment cost. */
export function marginByBand(orders: ShippingOrder[], bounds: number[], grossMarginBp: number): Result<BandMargin[]> {
  const bad =
    validate<BandMargin[]>(orders, bounds) ??
    firstError<BandMargin[]>(badInt('gross_margin_bp', grossMarginBp, 0, 10_000));
  if (bad) return bad;
  const rows = new Map<string, BandMargin>(
    bounds.map((_, i) => {
      const band = bandLabel(bounds, bounds[i]!);
      return [band, { band, orders: 0, merchandise: 0, gross_margin: 0, paid: 0, cost: 0, contribution: 0 }];
    }),
  );
  for (const o of orders) {
    const r = rows.get(bandLabel(bounds, o.merchandise))!;
    r.orders++;
    r.merchandise += o.merchandise;
    r.paid += o.shipping_paid;
    r.cost += o.fulfilment_cost;
  }
  const out = [...rows.values()];
  for (const r of out) {
    r.gross_margin = Math.round((r.merchandise * grossMarginBp) / 10_000);
    r.contribution = r.gross_margin + r.paid - r.cost;
  }
  return ok(out);
}

/**
 * Free shipping from `threshold` on the same history. Orders at or above it stop paying shipping.
 * Orders within `reach` below it are assumed to top up to exactly the threshold (the classic "add
 * an item to get free shipping"): they add threshold − value of merchandise at the gross margin,
 * and stop paying shipping too. Fulfilment cost is unchanged (the same parcels ship). No other
 * behaviour change is modelled (no new shoppers, no lost ones).
 */
export function freeShippingWhatIf(orders: ShippingOrder[], threshold: number, opts: WhatIfOptions): Result<WhatIf> {
  const bad =
    validate<WhatIf>(orders, [0]) ??
    firstError<WhatIf>(
      badInt('threshold', threshold, 0),
      badInt('gross_margin_bp', opts.gross_margin_bp, 0, 10_000),
      badInt('reach', opts.reach, 0),
    );
  if (bad) return bad;
  let free = 0;
  let topping = 0;
  let lost = 0;
  let uplift = 0;
  for (const o of orders) {
    if (o.merchandise >= threshold) {
      free++;
      lost += o.shipping_paid;
    } else if (o.merchandise >= threshold - opts.reach) {
      topping++;
      lost += o.shipping_paid;
      uplift += threshold - o.merchandise;
    }
  }
  const upliftMargin = Math.round((uplift * opts.gross_margin_bp) / 10_000);
  return ok({
    threshold,
    orders_free: free,
    orders_topping_up: topping,
    shipping_revenue_lost: lost,
    uplift_merchandise: uplift,
    uplift_margin: upliftMargin,
    effect: upliftMargin - lost,
  });
}

/**
 * The lowest candidate threshold whose what-if effect is ≥ 0 (break-even), with the whole curve so a
 * page can draw it. Null when no candidate breaks even. Candidates must be strictly ascending.
 */
export function breakEvenThreshold(
  orders: ShippingOrder[],
  candidates: number[],
  opts: WhatIfOptions,
): Result<{ threshold: number | null; curve: WhatIf[] }> {
  if (candidates.length === 0) return fail('candidates', 'at least one candidate threshold is needed');
  for (let i = 1; i < candidates.length; i++) {
    if (!(candidates[i]! > candidates[i - 1]!))
      return fail(`candidates[${i}]`, 'candidates must be strictly ascending');
  }
  const curve: WhatIf[] = [];
  for (const t of candidates) {
    const r = freeShippingWhatIf(orders, t, opts);
    if (!r.ok) return r;
    curve.push(r.value);
  }
  return ok({ threshold: curve.find((w) => w.effect >= 0)?.threshold ?? null, curve });
}
