/** Public types of the analytics module's pure rules (channel mix, crediting, shipping, lost sales). */

/** Why a rule refused its input (same shape as planning's, so the HTTP layer maps both alike). */
export interface RuleError {
  code: 'invalid_input';
  field: string;
  message: string;
}
export type Result<T> = { ok: true; value: T } | { ok: false; error: RuleError };

/**
 * Where an order was placed. `store` is a till sale (including an endless-aisle order placed at the
 * till); the rest are remote. The contact center and marketplaces are channels of their own in the
 * per-channel figures and roll up into "online" for the segments (see CHANNEL_ROLLUP); so do social shops
 * (Instagram, Facebook, TikTok: their orders and the visits their share links bring, issue 19).
 */
export type Channel = 'web' | 'app' | 'store' | 'contact_center' | 'marketplace' | 'social';
export type ChannelGroup = 'online' | 'store';
export type Segment = 'online_only' | 'store_only' | 'omnichannel';

export interface OrderFact {
  customer_id: string;
  channel: Channel;
  /** UTC calendar day the order was placed, YYYY-MM-DD. */
  placed_on: string;
  /** Merchandise total, integer minor units. */
  total: number;
  /** Refunded for returns, integer minor units (0 ≤ returned ≤ total). */
  returned: number;
  /** The store of a till sale; null for remote orders. */
  location_id: string | null;
  /** The store where a remote order was collected (click & collect); null otherwise. */
  collected_at: string | null;
  /** The store where (part of) the order was returned; null when not returned in a store. */
  returned_at: string | null;
}
export interface SegmentMetrics {
  customers: number;
  /** Share of the window's customers, 0..1 (the three segments sum to 1). */
  share: number;
  /** Net spend (total − returned) per customer in the window, minor units, rounded. */
  spend_per_customer: number;
  /** Orders per customer per year (the window is one year). */
  orders_per_year: number;
  /** Gross total per order, minor units, rounded. */
  average_basket: number;
  /** Returned value / gross value. */
  return_rate: number;
  /**
   * Of the customers in this segment in the year before the window (classified by that year's
   * channels), the share who ordered again in the window. Null when there were none.
   */
  retention_12m: number | null;
}
export interface ChannelMix {
  /** First day of the one-year window (inclusive) and the day after its end (exclusive). */
  from: string;
  to: string;
  customers: number;
  segments: Record<Segment, SegmentMetrics>;
  /** Customers and orders per channel (a customer counts in every channel used). */
  channels: Record<Channel, { customers: number; orders: number }>;
}
export interface StoreCredit {
  store: string;
  /** Till sales of the store, and what was refunded on them. */
  till_sales: number;
  till_returns: number;
  /** Remote orders collected in the store: count, value, and what was refunded on them. */
  web_collected_orders: number;
  web_collected: number;
  web_collected_returns: number;
  /** Refunds of remote orders (delivered anywhere) handed over in this store: shown, not deducted. */
  web_returns_handled: number;
  /** till_sales − till_returns + web_collected − web_collected_returns. */
  credited: number;
}
export interface ConversionRow {
  channel: Channel;
  visits: number;
  orders: number;
  /** orders / visits; null without visits (unknown, not zero). */
  rate: number | null;
}
export interface ShippingOrder {
  zone: string;
  /** ship_from_store: a home delivery picked and packed in a store rather than a warehouse. */
  method: 'home' | 'click_collect' | 'pickup_point' | 'ship_from_store';
  /** Merchandise value, minor units. */
  merchandise: number;
  /** What the shopper paid for shipping, minor units. */
  shipping_paid: number;
  /** What fulfilment really cost (pick, pack, carrier), minor units. */
  fulfilment_cost: number;
}
export interface ShippingCostRow {
  zone: string;
  band: string;
  method: ShippingOrder['method'];
  orders: number;
  paid: number;
  cost: number;
  /** paid − cost. */
  shipping_margin: number;
  average_paid: number;
  average_cost: number;
}
export interface BandMargin {
  band: string;
  orders: number;
  merchandise: number;
  /** merchandise × gross margin %, rounded. */
  gross_margin: number;
  paid: number;
  cost: number;
  /** gross_margin + paid − cost. */
  contribution: number;
}
export interface WhatIfOptions {
  /** The retailer's gross margin on merchandise, in basis points (4000 = 40 %). */
  gross_margin_bp: number;
  /**
   * How far below the threshold a shopper still tops the basket up to reach it, minor units. 0 = no
   * behaviour change (the threshold only gives shipping away).
   */
  reach: number;
}
export interface WhatIf {
  threshold: number;
  /** Orders at or above the threshold: they ship free and stop paying. */
  orders_free: number;
  /** Orders within reach below the threshold: topped up to it, and ship free too. */
  orders_topping_up: number;
  shipping_revenue_lost: number;
  uplift_merchandise: number;
  uplift_margin: number;
  /** uplift_margin − shipping_revenue_lost: the change in margin on the same history. */
  effect: number;
}
export interface LostSale {
  sku: string;
  location: string;
  day: string;
  units: number;
  /** Price of one unit, minor units. */
  unit_price: number;
}
export interface StockElsewhere {
  sku: string;
  day: string;
  location: string;
  units: number;
}
export interface LostSaleClass extends LostSale {
  /** Units another location had that day: a sourcing or transfer opportunity. */
  sourceable: number;
  /** Units no location had: a buying problem. */
  unsourceable: number;
}
export interface LostSalesSummary {
  lines: LostSaleClass[];
  sourcing_opportunity: { units: number; value: number };
  buying_problem: { units: number; value: number };
}
