/**
 * Public types of the promotions module: promotion definitions (data, not code), the pricing
 * engine's inputs and the quote every channel receives. All money is integer minor units.
 */

export const PROMOTION_KINDS = [
  'item_percent', // percent off each qualifying line
  'item_amount', // amount off each qualifying unit
  'basket_percent', // percent off the qualifying subtotal, spread over its lines
  'basket_amount', // amount off the qualifying subtotal, spread over its lines
  'tiered_spend', // the best tier whose threshold the qualifying subtotal reaches
  'buy_x_get_y', // for every buy+get qualifying units, the get cheapest are discounted
  'bundle_price', // a set of components sold together for a fixed price
  'free_shipping', // shipping free when the qualifying subtotal reaches a threshold
] as const;
export type PromotionKind = (typeof PROMOTION_KINDS)[number];

export const PROMOTION_STATUSES = ['active', 'inactive'] as const;
export type PromotionStatus = (typeof PROMOTION_STATUSES)[number];

/** Which lines a promotion looks at. Empty or absent lists mean "any". */
export interface ItemScope {
  skus?: string[] | undefined;
  products?: string[] | undefined;
  /** Slash paths; a category matches itself and everything below it ('women' matches 'women/shoes'). */
  categories?: string[] | undefined;
  sizes?: string[] | undefined;
}

/** When a promotion may apply at all (all listed conditions must hold). */
export interface ContextConditions {
  channels?: string[] | undefined; // channel ids
  locations?: string[] | undefined; // location ids
  segments?: string[] | undefined; // the customer must be in at least one
  consents?: string[] | undefined; // the customer must have given all of them
  first_order?: boolean | undefined; // true: only a customer's first order
  /** The qualifying subtotal (after earlier promotions) must reach this. */
  min_subtotal?: number | undefined;
}

export interface Tier {
  threshold: number;
  amount?: number | undefined;
  percent?: number | undefined;
}

export interface BundleComponent extends ItemScope {
  quantity: number;
}

/** The parameters of a promotion; which ones are used depends on `kind`. */
export interface PromotionParams {
  percent?: number | undefined; // 0 < percent <= 100, two decimals at most
  amount?: number | undefined;
  buy?: number | undefined;
  get?: number | undefined;
  /** Percent off the "get" units (100 = free). */
  get_percent?: number | undefined;
  tiers?: Tier[] | undefined;
  threshold?: number | undefined;
  bundle?: { components: BundleComponent[]; price: number } | undefined;
}

export interface Stacking {
  /** Never combined with another promotion on the same line. */
  exclusive: boolean;
  /** Higher goes first within its phase; ties by id. */
  priority: number;
  /** At most one promotion of a group applies per basket. */
  group: string | null;
}

/** A promotion as the engine sees it: pure data. */
export interface PromotionRule {
  id: string;
  name: string;
  kind: PromotionKind;
  params: PromotionParams;
  scope: ItemScope;
  conditions: ContextConditions;
  stacking: Stacking;
  /** Only with one of its coupons. */
  coupon_required: boolean;
  starts_at: string | null;
  ends_at: string | null;
  /** Amounts are in this currency; the promotion is ignored for quotes in another. */
  currency: string;
}

export interface Promotion extends PromotionRule {
  code: string | null;
  description: string;
  status: PromotionStatus;
  created_at: string;
  updated_at: string;
}

export interface PromotionInput {
  code?: string | null | undefined;
  name: string;
  description?: string | undefined;
  kind: PromotionKind;
  status?: PromotionStatus | undefined;
  currency?: string | undefined;
  params?: PromotionParams | undefined;
  scope?: ItemScope | undefined;
  conditions?: ContextConditions | undefined;
  stacking?: Partial<Stacking> | undefined;
  coupon_required?: boolean | undefined;
  starts_at?: string | null | undefined;
  ends_at?: string | null | undefined;
}
export type PromotionPatch = Partial<Omit<PromotionInput, 'kind'>>;

/** What the engine knows about the customer (from the customers module). */
export interface CustomerFacts {
  id: string | null;
  segments: string[];
  consents: string[];
  first_order: boolean;
}

/** A basket line with its catalog facts, as the service hands it to the engine. */
export interface PricedLine {
  line_id: string;
  sku: string;
  quantity: number;
  product_id: string;
  category: string;
  size: string | null;
  /** The effective, tax-inclusive unit price (sale price when on sale). */
  unit_price: number;
  list_amount: number;
  /** VAT percent, e.g. 21 or 5.5. */
  tax_rate: number;
}

export interface QuoteContext {
  at: Date;
  currency: string;
  channel_id: string;
  location_id: string | null;
  customer: CustomerFacts;
  /** Promotions unlocked by a valid coupon in this request, with the code that unlocked each. */
  coupon_promotions: Map<string, string>;
  shipping: { method: string; amount: number } | null;
  /** VAT percent applied to shipping (the standard rate of the channel's country). */
  shipping_tax_rate: number;
}

export interface AppliedPromotion {
  promotion_id: string;
  name: string;
  amount: number;
  reason: string;
}
export interface NotApplied {
  promotion_id: string;
  reason: string;
}

export interface QuoteLine {
  line_id: string;
  sku: string;
  quantity: number;
  unit_price: number;
  list_amount: number;
  discount: number;
  total: number;
  tax_rate: number;
  tax_amount: number;
  applied: AppliedPromotion[];
  /** Why promotions that looked at the line did not apply: only in an explained quote (`explain`). */
  not_applied?: NotApplied[] | undefined;
}

export interface CouponResult {
  code: string;
  status: 'applied' | 'rejected';
  reason?: string | undefined;
}

export interface Quote {
  currency: string;
  channel_id: string;
  lines: QuoteLine[];
  /** Sum of unit_price × quantity before promotions. */
  subtotal: number;
  /** Line discounts plus the shipping discount: total = subtotal + shipping.amount − discount_total. */
  discount_total: number;
  shipping: { method: string | null; amount: number; discount: number; free_shipping_reason?: string | undefined };
  tax_total: number;
  tax_breakdown: { rate: number; base: number; tax: number }[];
  total: number;
  coupons: CouponResult[];
  /** The lowest qualifying subtotal that makes shipping free, when a free-shipping promotion is on. */
  free_shipping_threshold?: number | undefined;
  /** Basket-level promotions that did not apply, with why (e.g. "spend 1250 more"): only when explained. */
  not_applied?: NotApplied[] | undefined;
}

/** A quote priced with `explain`: every line and the basket carry their `not_applied` verdicts. */
export type ExplainedQuote = Omit<Quote, 'lines' | 'not_applied'> & {
  lines: (QuoteLine & { not_applied: NotApplied[] })[];
  not_applied: NotApplied[];
};

export const COUPON_KINDS = ['public', 'single_use'] as const;
export type CouponKind = (typeof COUPON_KINDS)[number];

export interface Coupon {
  code: string;
  promotion_id: string;
  kind: CouponKind;
  batch_id: string | null;
  customer_id: string | null;
  max_redemptions: number | null;
  per_customer_limit: number | null;
  redemptions: number;
  starts_at: string | null;
  ends_at: string | null;
  active: boolean;
  created_at: string;
}
