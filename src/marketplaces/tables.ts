/** The marketplaces module's tables (migrations/8500_marketplaces.sql, 8510_marketplace_console.sql). Only this module reads or writes them. */

export interface MarketplaceConnectionsTable {
  id: string;
  channel_id: string;
  provider: string;
  base_url: string;
  credentials: string;
  settings: unknown;
  feed_interval_s: number;
  orders_interval_s: number;
  active: boolean;
  orders_since: Date;
  changes_since: Date;
  orders_due_at: Date;
  feed_due_at: Date;
  last_error: string | null;
  /** When the import last finished a run, and how many orders it saw (migrations/8510). */
  last_import_at: Date | null;
  last_import_count: number | null;
  created_at: Date;
  updated_at: Date;
}

export interface MarketplaceOffersTable {
  connection_id: string;
  sku: string;
  status: 'pending' | 'listed' | 'refused';
  external_id: string | null;
  message: string | null;
  published_quantity: number | null;
  published_price: number | null;
  published_at: Date | null;
  /** bigint from marketplace_dirty_seq (read as a string by pg). */
  dirty_mark: string | number | null;
}

export interface MarketplaceFeedsTable {
  id: string;
  connection_id: string;
  state: 'sending' | 'pending' | 'done' | 'failed';
  submission_id: string | null;
  items: unknown;
  error: string | null;
  check_at: Date;
  created_at: Date;
  finished_at: Date | null;
}

export type MarketplaceOrderStatusRow = 'received' | 'imported' | 'exception' | 'cancelled' | 'resolved';

export interface MarketplaceOrdersTable {
  id: string;
  connection_id: string;
  channel_id: string;
  external_id: string;
  status: MarketplaceOrderStatusRow;
  cart_id: string | null;
  order_id: string | null;
  payload: unknown;
  problem_type: string | null;
  problem_detail: string | null;
  /** Staff's note when they resolved an exception by hand. */
  resolution: string | null;
  attempts: number;
  next_attempt_at: Date;
  created_at: Date;
  updated_at: Date;
}

export interface MarketplaceActionsTable {
  id: string;
  connection_id: string;
  marketplace_order_id: string;
  kind: 'confirm_shipment' | 'cancel';
  source_key: string;
  payload: unknown;
  state: 'pending' | 'done' | 'failed';
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date;
  created_at: Date;
  done_at: Date | null;
}

/** Returns the marketplace reported (migrations/8520_marketplace_returns.sql): the import's idempotency. */
export interface MarketplaceReturnsTable {
  id: string;
  connection_id: string;
  external_key: string;
  external_order_id: string;
  status: 'waiting' | 'recorded' | 'exception';
  return_id: string | null;
  /** The marketplace_orders exception row that shows it to staff, when it could not be recorded. */
  exception_order_id: string | null;
  payload: unknown;
  requested_at: Date;
  created_at: Date;
  updated_at: Date;
}

/** The returns job's cursor per connection: report from `since`, next run at `due_at`. */
export interface MarketplaceReturnCursorsTable {
  connection_id: string;
  since: Date;
  due_at: Date;
  last_error: string | null;
  updated_at: Date;
}

declare module '../platform/db/schema.js' {
  interface DB {
    marketplace_connections: MarketplaceConnectionsTable;
    marketplace_offers: MarketplaceOffersTable;
    marketplace_feeds: MarketplaceFeedsTable;
    marketplace_orders: MarketplaceOrdersTable;
    marketplace_actions: MarketplaceActionsTable;
    marketplace_returns: MarketplaceReturnsTable;
    marketplace_return_cursors: MarketplaceReturnCursorsTable;
  }
}
