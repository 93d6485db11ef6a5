/** Builders for the engine's inputs, shared by the unit tests and the pricing benchmark. */
import type {
  BundleComponent,
  CustomerFacts,
  PricedLine,
  PromotionKind,
  PromotionParams,
  PromotionRule,
  QuoteContext,
  Tier,
} from './types.js';

/** The engine before issue 17's rework (see reference/engine.ts): the oracle, and the benchmark's "before". */
export { priceBasket as referencePriceBasket } from './reference/engine.js';

export function rule(id: string, over: Partial<PromotionRule> & Pick<PromotionRule, 'kind'>): PromotionRule {
  return {
    id,
    name: over.name ?? id,
    params: {},
    scope: {},
    conditions: {},
    stacking: { exclusive: false, priority: 0, group: null },
    coupon_required: false,
    starts_at: null,
    ends_at: null,
    currency: 'EUR',
    ...over,
  };
}

export function line(sku: string, unit_price: number, quantity = 1, over: Partial<PricedLine> = {}): PricedLine {
  return {
    line_id: over.line_id ?? sku,
    sku,
    quantity,
    product_id: `prd_${sku}`,
    category: 'women/shoes',
    size: null,
    unit_price,
    list_amount: unit_price,
    tax_rate: 21,
    ...over,
  };
}

export const anonymous: CustomerFacts = { id: null, segments: [], consents: [], first_order: false };

export function context(over: Partial<QuoteContext> = {}): QuoteContext {
  return {
    at: new Date('2026-06-01T12:00:00Z'),
    currency: 'EUR',
    channel_id: 'chn_web',
    location_id: null,
    customer: anonymous,
    coupon_promotions: new Map(),
    shipping: null,
    shipping_tax_rate: 21,
    ...over,
  };
}

/** Every kind's knobs drawn at once by the property tests; `paramsOf` keeps the ones of the rule's kind. */
export interface DrawnParams {
  kind: PromotionKind;
  percent: number;
  amount: number;
  buy: number;
  get: number;
  tiers: Tier[];
  comps: BundleComponent[];
}

export function paramsOf(r: DrawnParams): PromotionParams {
  switch (r.kind) {
    case 'item_percent':
    case 'basket_percent':
      return { percent: r.percent };
    case 'item_amount':
    case 'basket_amount':
      return { amount: r.amount };
    case 'tiered_spend':
      return { tiers: r.tiers };
    case 'buy_x_get_y':
      return { buy: r.buy, get: r.get };
    case 'bundle_price':
      return { bundle: { price: r.amount, components: r.comps } };
    default:
      return { threshold: r.amount };
  }
}
