export interface CartsTable {
  id: string;
  channel_id: string;
  customer_id: string | null;
  location_id: string | null;
  status: string;
  currency: string;
  coupons: string[];
  delivery: unknown;
  priced: unknown;
  /** What `priced` was made from (quote-reuse.ts QuoteBasis), or null: checkout re-prices. */
  priced_basis: unknown;
  version: number;
  merged_into: string | null;
  order_id: string | null;
  created_at: Date;
  updated_at: Date;
}
export interface CartLinesTable {
  id: string;
  cart_id: string;
  sku: string;
  quantity: number;
  added_at: Date;
}
export interface CartHandoffsTable {
  code: string;
  cart_id: string;
  created_by: string;
  created_at: Date;
  expires_at: Date;
  claimed_at: Date | null;
  claimed_by: string | null;
  claimed_channel_id: string | null;
}
export interface LocationLeadTimesTable {
  from_location_id: string;
  to_location_id: string;
  days: number;
}
export interface ShippingRatesTable {
  zone: string;
  max_weight_g: number;
  amount: string | number;
  currency: string;
}

declare module '../platform/db/schema.js' {
  interface DB {
    carts: CartsTable;
    cart_lines: CartLinesTable;
    cart_handoffs: CartHandoffsTable;
    location_lead_times: LocationLeadTimesTable;
    shipping_rates: ShippingRatesTable;
  }
}
