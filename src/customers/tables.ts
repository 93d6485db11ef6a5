export interface CustomersTable {
  id: string;
  status: string;
  merged_into: string | null;
  root_id: string;
  first_name: string | null;
  last_name: string | null;
  password_hash: string | null;
  analytics_denied: boolean;
  created_at: Date;
  updated_at: Date;
  erased_at: Date | null;
}
export interface CustomerIdentifiersTable {
  kind: string;
  value: string;
  customer_id: string;
  verified: boolean;
  created_at: Date;
  /** Which identification linked it (migration 4100); null for older rows. */
  source: string | null;
}
export interface CustomerMergesTable {
  id: string;
  survivor_id: string;
  absorbed_id: string;
  reason: string;
  snapshot: unknown;
  created_at: Date;
  undone_at: Date | null;
  undone_by: string | null;
}
export interface CustomerMergeConflictsTable {
  id: string;
  customer_a: string;
  customer_b: string;
  reason: string;
  detail: string;
  source: string;
  created_at: Date;
}
export interface CustomerConsentsTable {
  customer_id: string;
  purpose: string;
  granted: boolean;
  source: string;
  updated_at: Date;
}
export interface CustomerEventsTable {
  id: string;
  client_id: string | null;
  ts: Date;
  type: string;
  customer_id: string | null;
  anonymous_id: string | null;
  device_id: string | null;
  channel: string;
  channel_kind: string;
  product_id: string | null;
  properties: unknown;
  received_at: Date;
}
export interface CustomerDailyTable {
  customer_id: string;
  day: string;
  channel: string;
  channel_kind: string;
  events: number;
  views: number;
  cart_adds: number;
  store_visits: number;
  first_at: Date;
  last_at: Date;
}
export interface CustomerProductViewsTable {
  customer_id: string;
  product_id: string;
  views: number;
  last_viewed_at: Date;
  category: string | null;
  size: string | null;
}
export interface CustomerAffinitiesTable {
  customer_id: string;
  kind: string;
  value: string;
  weight: number;
}
export interface CustomerOrdersTable {
  order_id: string;
  customer_id: string;
  channel: string;
  channel_kind: string;
  location_id: string | null;
  placed_at: Date;
  amount: number;
  currency: string;
  status: string;
  refunded: number;
  returns_count: number;
}
export interface CustomerOrderReturnsTable {
  event_id: string;
  order_id: string;
  refunded: number;
}
export interface CustomerOrderLinesTable {
  order_id: string;
  line_no: number;
  sku: string;
  product_id: string;
  quantity: number;
  amount: number;
}
export interface ProductPairsTable {
  product_id: string;
  other_id: string;
  orders: number;
}
export interface ProductSkusTable {
  product_id: string;
  sku: string;
  size: string | null;
}
/** Notes agents write on a profile row (migration 4100). */
export interface CustomerNotesTable {
  id: string;
  customer_id: string;
  body: string;
  author: string;
  created_at: Date;
}
export interface CustomerSegmentsTable {
  id: string;
  name: string;
  definition: unknown;
  created_at: Date;
  updated_at: Date;
}

declare module '../platform/db/schema.js' {
  interface DB {
    customers: CustomersTable;
    customer_identifiers: CustomerIdentifiersTable;
    customer_merges: CustomerMergesTable;
    customer_merge_conflicts: CustomerMergeConflictsTable;
    customer_consents: CustomerConsentsTable;
    customer_events: CustomerEventsTable;
    customer_daily: CustomerDailyTable;
    customer_product_views: CustomerProductViewsTable;
    customer_affinities: CustomerAffinitiesTable;
    customer_orders: CustomerOrdersTable;
    customer_order_lines: CustomerOrderLinesTable;
    customer_order_returns: CustomerOrderReturnsTable;
    product_pairs: ProductPairsTable;
    product_skus: ProductSkusTable;
    customer_segments: CustomerSegmentsTable;
    customer_notes: CustomerNotesTable;
  }
}
