/**
 * Pure rules of the promotions module besides the engine itself: validating a promotion
 * definition, deciding when two exclusive promotions overlap, and judging a coupon. No I/O, no
 * clock: the service passes the time and the facts in.
 */
import type { FieldError } from '../platform/http/problems.js';
import { categoryMatches, compileScope, scopeMatches, type CompiledScope } from './compile.js';
import type { Coupon, ItemScope, PromotionKind, PromotionParams, PromotionRule } from './types.js';

/** The largest amount a promotion may carry (fits the API's Money and a bigint column). */
export const MAX_AMOUNT = 99_999_999_999;

const PARAMS_OF: Record<PromotionKind, (keyof PromotionParams)[]> = {
  item_percent: ['percent'],
  basket_percent: ['percent'],
  item_amount: ['amount'],
  basket_amount: ['amount'],
  tiered_spend: ['tiers'],
  buy_x_get_y: ['buy', 'get', 'get_percent'],
  bundle_price: ['bundle'],
  free_shipping: ['threshold'],
};
const REQUIRED: Partial<Record<keyof PromotionParams, true>> = {
  percent: true,
  amount: true,
  tiers: true,
  buy: true,
  get: true,
  bundle: true,
  threshold: true,
};

function percentErrors(field: string, v: number, out: FieldError[]): void {
  if (!Number.isFinite(v) || v <= 0) out.push({ field, message: 'must be more than 0 %' });
  else if (v > 100) out.push({ field, message: 'cannot be more than 100 %' });
  else if (Math.abs(Math.round(v * 100) - v * 100) > 1e-6) out.push({ field, message: 'at most two decimals' });
}
function amountErrors(field: string, v: number, out: FieldError[], allowZero = false): void {
  if (!Number.isInteger(v)) out.push({ field, message: 'must be an integer amount in minor units' });
  else if (v < 0) out.push({ field, message: 'cannot be negative' });
  else if (v === 0 && !allowZero) out.push({ field, message: 'must be more than 0' });
  else if (v > MAX_AMOUNT) out.push({ field, message: `cannot exceed ${MAX_AMOUNT}` });
}
function countErrors(field: string, v: number, out: FieldError[]): void {
  if (!Number.isInteger(v) || v < 1 || v > 1_000_000)
    out.push({ field, message: 'must be an integer from 1 to 1000000' });
}
const scopeIsEmpty = (s: ItemScope) =>
  !s.skus?.length && !s.products?.length && !s.categories?.length && !s.sizes?.length;

/** Everything wrong with a promotion definition, as field errors (empty when it is valid). */
export function promotionErrors(r: Omit<PromotionRule, 'id'>): FieldError[] {
  const out: FieldError[] = [];
  const p = r.params;
  const allowed = new Set(PARAMS_OF[r.kind]);
  for (const k of Object.keys(p) as (keyof PromotionParams)[]) {
    if (p[k] !== undefined && !allowed.has(k))
      out.push({ field: `params/${k}`, message: `not used by a ${r.kind} promotion` });
  }
  for (const k of allowed)
    if (REQUIRED[k] && p[k] === undefined)
      out.push({ field: `params/${k}`, message: `required for a ${r.kind} promotion` });
  if (p.percent !== undefined) percentErrors('params/percent', p.percent, out);
  if (p.amount !== undefined) amountErrors('params/amount', p.amount, out);
  if (p.buy !== undefined) countErrors('params/buy', p.buy, out);
  if (p.get !== undefined) countErrors('params/get', p.get, out);
  if (p.get_percent !== undefined) percentErrors('params/get_percent', p.get_percent, out);
  if (p.threshold !== undefined) amountErrors('params/threshold', p.threshold, out, true);
  if (p.tiers !== undefined) {
    if (p.tiers.length === 0) out.push({ field: 'params/tiers', message: 'needs at least one tier' });
    const seen = new Set<number>();
    p.tiers.forEach((t, i) => {
      const f = `params/tiers/${i}`;
      amountErrors(`${f}/threshold`, t.threshold, out, true);
      if (seen.has(t.threshold)) out.push({ field: `${f}/threshold`, message: 'two tiers with the same threshold' });
      seen.add(t.threshold);
      if ((t.amount === undefined) === (t.percent === undefined))
        out.push({ field: f, message: 'give exactly one of amount or percent' });
      if (t.amount !== undefined) amountErrors(`${f}/amount`, t.amount, out);
      if (t.percent !== undefined) percentErrors(`${f}/percent`, t.percent, out);
    });
  }
  if (p.bundle !== undefined) {
    amountErrors('params/bundle/price', p.bundle.price, out, true);
    if (p.bundle.components.length === 0)
      out.push({ field: 'params/bundle/components', message: 'needs at least one component' });
    p.bundle.components.forEach((c, i) => {
      countErrors(`params/bundle/components/${i}/quantity`, c.quantity, out);
      if (!c.skus?.length && !c.products?.length && !c.categories?.length) {
        out.push({ field: `params/bundle/components/${i}`, message: 'name skus, products or categories' });
      }
    });
    if (!scopeIsEmpty(r.scope))
      out.push({ field: 'scope', message: 'a bundle is scoped by its components; leave scope empty' });
  }
  const min = r.conditions.min_subtotal;
  if (min !== undefined) amountErrors('conditions/min_subtotal', min, out, true);
  if (r.starts_at && r.ends_at && Date.parse(r.starts_at) >= Date.parse(r.ends_at))
    out.push({ field: 'ends_at', message: 'must be after starts_at' });
  if (!Number.isInteger(r.stacking.priority)) out.push({ field: 'stacking/priority', message: 'must be an integer' });
  return out;
}

/** SKU facts the overlap check uses to compare a SKU-scoped promotion with a category-scoped one. */
export type SkuFacts = Map<string, { sku: string; product_id: string; category: string; size: string | null }>;

function setsMeet(a: Set<string> | null, b: Set<string> | null): boolean {
  if (!a || !b) return true;
  for (const x of a) if (b.has(x)) return true;
  return false;
}

/** Could one line fall in both scopes? Conservative: when unsure (no facts), yes. */
export function scopesIntersect(a: CompiledScope, b: CompiledScope, facts: SkuFacts): boolean {
  if (!setsMeet(a.sizes, b.sizes) || !setsMeet(a.products, b.products) || !setsMeet(a.skus, b.skus)) return false;
  if (a.categories && b.categories) {
    const meet =
      a.categories.some((x) => categoryMatches(x, b.categories!)) ||
      b.categories.some((y) => categoryMatches(y, a.categories!));
    if (!meet) return false;
  }
  // a SKU list is concrete: check that some listed SKU (known to the catalog) falls in the other scope
  for (const [x, y] of [
    [a, b],
    [b, a],
  ] as const) {
    if (!x.skus) continue;
    const known = [...x.skus].map((s) => facts.get(s)).filter((f) => f !== undefined);
    if (known.length === x.skus.size && !known.some((f) => scopeMatches(x, f) && scopeMatches(y, f))) return false;
  }
  return true;
}

function windowsMeet(
  a: Pick<PromotionRule, 'starts_at' | 'ends_at'>,
  b: Pick<PromotionRule, 'starts_at' | 'ends_at'>,
): boolean {
  const aStart = a.starts_at ? Date.parse(a.starts_at) : -Infinity;
  const aEnd = a.ends_at ? Date.parse(a.ends_at) : Infinity;
  const bStart = b.starts_at ? Date.parse(b.starts_at) : -Infinity;
  const bEnd = b.ends_at ? Date.parse(b.ends_at) : Infinity;
  return aStart < bEnd && bStart < aEnd;
}

/**
 * Two exclusive promotions overlap when one basket could meet both at once: their date windows
 * intersect, their channel and location lists intersect (absent = all), amounts are in the same
 * currency, and some line could fall in both item scopes. Customer conditions (segment, consent,
 * first order) and coupons are not considered: one customer may meet both, so they still overlap.
 * Free-shipping promotions hold no line and never overlap.
 */
export function exclusiveOverlap(a: Omit<PromotionRule, 'id'>, b: PromotionRule, facts: SkuFacts): boolean {
  if (!a.stacking.exclusive || !b.stacking.exclusive) return false;
  if (a.kind === 'free_shipping' || b.kind === 'free_shipping') return false;
  if (a.currency !== b.currency) return false;
  if (!windowsMeet(a, b)) return false;
  const list = (x?: string[]) => (x && x.length ? new Set(x) : null);
  if (!setsMeet(list(a.conditions.channels), list(b.conditions.channels))) return false;
  if (!setsMeet(list(a.conditions.locations), list(b.conditions.locations))) return false;
  const scopes = (r: Omit<PromotionRule, 'id'>) =>
    (r.kind === 'bundle_price' ? (r.params.bundle?.components ?? []) : [r.scope]).map(compileScope);
  return scopes(a).some((x) => scopes(b).some((y) => scopesIntersect(x, y, facts)));
}

/** Coupon codes are compared upper-case without spaces or dashes, so "summer-10" is SUMMER10. */
export function normalizeCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}
export const CODE_PATTERN = /^[A-Z0-9]{3,40}$/;

export const COUPON_REJECTIONS = [
  'unknown',
  'disabled',
  'not_started',
  'expired',
  'other_customer',
  'needs_customer',
  'limit_reached',
  'customer_limit_reached',
  'promotion_inactive',
  'duplicate',
  'own_code',
] as const;
export type CouponRejection = (typeof COUPON_REJECTIONS)[number];

export const REJECTION_TEXT: Record<CouponRejection, string> = {
  unknown: 'no such coupon',
  disabled: 'the coupon is disabled',
  not_started: 'the coupon is not valid yet',
  expired: 'the coupon has expired',
  other_customer: 'the coupon belongs to another customer',
  needs_customer: 'the coupon needs a signed-in customer',
  limit_reached: 'the coupon has been used up',
  customer_limit_reached: 'the customer has used this coupon the maximum number of times',
  promotion_inactive: 'the promotion of this coupon is not running',
  duplicate: 'the code was given twice, or another code of the same promotion is already applied',
  own_code: 'a shopper cannot use their own referral code',
};

/** Why a coupon cannot be used now by this customer, or null when it can. */
export function couponRejection(
  c: Pick<
    Coupon,
    'active' | 'starts_at' | 'ends_at' | 'customer_id' | 'max_redemptions' | 'per_customer_limit' | 'redemptions'
  >,
  ctx: { at: Date; customer_id: string | null; customer_redemptions: number },
): CouponRejection | null {
  const at = ctx.at.getTime();
  if (!c.active) return 'disabled';
  if (c.starts_at && at < Date.parse(c.starts_at)) return 'not_started';
  if (c.ends_at && at >= Date.parse(c.ends_at)) return 'expired';
  if (c.customer_id && c.customer_id !== ctx.customer_id)
    return c.customer_id && ctx.customer_id ? 'other_customer' : 'needs_customer';
  if (c.max_redemptions !== null && c.redemptions >= c.max_redemptions) return 'limit_reached';
  if (c.per_customer_limit !== null) {
    if (!ctx.customer_id) return 'needs_customer';
    if (ctx.customer_redemptions >= c.per_customer_limit) return 'customer_limit_reached';
  }
  return null;
}
