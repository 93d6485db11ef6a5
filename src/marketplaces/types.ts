/**
 * The marketplace connector interface: what every marketplace (Amazon, AliExpress, …) implements so the
 * generic service (service.ts) can publish offers, push stock, import orders, confirm shipments and sync
 * cancellations the same way for all of them. A connector is a thin, stateless translator between these
 * shapes and the provider's documented HTTP API: it never touches the database, and the service never
 * calls it inside a transaction (intent recorded and committed first, outcome recorded after).
 *
 * Stability: this file is shared with the AliExpress connector (another author). Changes are additive only.
 */

/** Money as everywhere in Omnia: integer minor units plus an ISO currency. */
export interface Money {
  amount: number;
  currency: string;
}

/** An offer as the channel should show it: the channel's price and what the channel may promise. */
export interface OfferInput {
  sku: string;
  gtin: string | null;
  title: string;
  /** The channel's price (price book for the channel), in minor units. */
  price: Money;
  /** The channel's available-to-promise after its buffer and safety stock; never more. */
  quantity: number;
  /** Free-form attributes the provider may need (size, colour, brand, product type, …). */
  attributes: Record<string, string>;
  /** The provider's listing id from an earlier publish (OfferResult.external_id), when there was one. */
  external_id?: string | null;
  /** The Omnia product the SKU is a variant of: providers that list variants under one product group by it. */
  group?: string | null;
}

export interface OfferResult {
  sku: string;
  ok: boolean;
  /** The provider's own id for the listing (ASIN, product id, …) when it gives one. */
  external_id?: string | null;
  /** Why the provider refused it (validation issues), when `ok` is false. */
  message?: string;
}

/** One line of a batched stock/price update: the LATEST figure for the SKU, never a delta. */
export interface StockUpdate {
  sku: string;
  quantity: number;
  /** Sent only when the price changed too. */
  price?: Money;
  /** The provider's listing id from the publish (providers that address stock by it, e.g. AliExpress). */
  external_id?: string | null;
}

/**
 * A pushed batch. Providers that process feeds asynchronously (Amazon) answer `pending` with a
 * submission id, and the service asks `pushStatus` later; synchronous ones answer `done` at once.
 */
export interface PushReceipt {
  submission_id: string;
  state: 'pending' | 'done' | 'failed';
  /** SKUs the provider refused within an otherwise processed batch (retried with the latest figure). */
  failed: { sku: string; message: string }[];
}

export interface MarketplaceAddress {
  name: string | null;
  line1: string | null;
  line2: string | null;
  city: string | null;
  postal_code: string | null;
  region: string | null;
  /** ISO 3166-1 alpha-2. */
  country: string | null;
  phone: string | null;
}

export interface MarketplaceOrderLine {
  /** The provider's line id (Amazon OrderItemId), needed to confirm shipment per line. */
  external_line_id: string;
  sku: string;
  quantity: number;
  /** Unit price the buyer paid on the marketplace (informational; Omnia prices with its price book). */
  unit_price: Money | null;
}

export type MarketplaceOrderStatus = 'pending' | 'unshipped' | 'partially_shipped' | 'shipped' | 'cancelled';

export interface MarketplaceOrder {
  /** The marketplace order id: the idempotency key of the import (unique per connection). */
  external_id: string;
  status: MarketplaceOrderStatus;
  placed_at: Date;
  /** When the provider last changed it (the order-list cursor moves by this). */
  updated_at: Date;
  currency: string;
  buyer: { email: string | null; name: string | null };
  shipping_address: MarketplaceAddress | null;
  lines: MarketplaceOrderLine[];
  /** The provider's raw status string, kept for people reading the import log. */
  raw_status: string;
}

/** One page of orders changed since a moment. `next_cursor` is opaque (Amazon NextToken, AliExpress page). */
export interface OrderPage {
  orders: MarketplaceOrder[];
  next_cursor: string | null;
}

export interface OrderQuery {
  /** Orders created or changed at or after this moment. */
  since: Date;
  /** The previous page's `next_cursor`; absent for the first page. */
  cursor?: string | null;
}

export interface ShipmentConfirmation {
  external_order_id: string;
  lines: { external_line_id: string; quantity: number }[];
  /** Carrier name or code as Omnia knows it (the connector maps it to the provider's list). */
  carrier: string;
  tracking: string;
  shipped_at: Date;
  /** The provider's shipping method name, when known (Amazon ShippingMethod). */
  method?: string | null;
  /** This parcel completes the order (every line fully confirmed with it). */
  final?: boolean;
}

/** A cancellation or a return the marketplace recorded, for Omnia to apply. */
export interface MarketplaceChange {
  kind: 'cancellation' | 'return';
  external_order_id: string;
  /** Lines concerned; empty means the whole order. */
  lines: { external_line_id: string; quantity: number }[];
  reason: string | null;
  at: Date;
}

export interface ChangePage {
  changes: MarketplaceChange[];
  next_cursor: string | null;
}

/** A return the marketplace recorded, normalised (see listReturns). */
export interface MarketplaceReturn {
  /** Stable per return (Amazon RMA id, else order + SKU + request date): the idempotency key of the import. */
  external_key: string;
  external_order_id: string;
  lines: { sku: string; quantity: number }[];
  reason: string | null;
  /** When the buyer asked for it (the report's cursor moves by this). */
  requested_at: Date;
  /** When the goods reached the seller again; null while they are on their way. */
  received_at: Date | null;
  /** What the marketplace says about the goods or the outcome (Amazon's resolution / return type), when given. */
  disposition: string | null;
  /** The provider's raw status word (Amazon "Return request status"). */
  raw_status: string | null;
}

/** The connector every marketplace implements. All calls may throw the errors below. */
export interface MarketplaceConnector {
  readonly provider: string;
  /** Creates or replaces full listings (title, GTIN, price, quantity). One call per offer or a batch, as the API allows. */
  publishOffers(offers: OfferInput[]): Promise<OfferResult[]>;
  /** One batched update of quantity (and price) for many SKUs: one feed / one bulk call per invocation. */
  pushStock(updates: StockUpdate[]): Promise<PushReceipt>;
  /** Where an asynchronous push stands (only called for `pending` receipts). */
  pushStatus(submissionId: string): Promise<PushReceipt>;
  /** One page of orders created or changed since `since`. */
  listOrders(query: OrderQuery): Promise<OrderPage>;
  /** Tells the marketplace the order (or some of its lines) shipped, with carrier and tracking. */
  confirmShipment(confirmation: ShipmentConfirmation): Promise<void>;
  /** Cancellations and returns recorded on the marketplace since `since`, paged like orders. */
  listChanges(query: OrderQuery): Promise<ChangePage>;
  /** Cancels an order on the marketplace that Omnia cannot fill (an exception cancelled by staff). */
  cancelOrder(externalOrderId: string, reason: string): Promise<void>;
  /**
   * Optional: returns requested on the marketplace since `since` (all of them: the report is not paged).
   * Providers without it are not polled for returns.
   */
  listReturns?(since: Date): Promise<MarketplaceReturn[]>;
}

/** What a connector is built from: the connection's row, its credentials decrypted in memory only. */
export interface ConnectorConfig {
  /** The provider's endpoint; configurable so tests point at a local fake and production at the real API. */
  base_url: string;
  /** Decrypted credentials (client id/secret, refresh token, app key/secret, access token, …). */
  credentials: Record<string, string>;
  /** Non-secret settings (marketplace id, seller id, auth URL, region, …). */
  settings: Record<string, string>;
}

export interface ConnectorDeps {
  /** Injected for tests (fake time); defaults to global fetch. */
  fetch?: typeof fetch;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Waits used by back-off; injected so tests need not sleep for real. */
  sleep?: (ms: number) => Promise<void>;
  /** [0,1) source for back-off jitter. */
  random?: () => number;
  /** How many times a throttled or timed-out call is tried in all before it throws. */
  maxAttempts?: number;
  now?: () => Date;
}

export type ConnectorFactory = (config: ConnectorConfig, deps?: ConnectorDeps) => MarketplaceConnector;

// ----- errors: a closed set the service maps to retry / give up / exception -----

export type MarketplaceErrorKind = 'throttled' | 'timeout' | 'malformed' | 'auth' | 'rejected' | 'unavailable';

/** Base of every connector error. `retryable` tells the service whether to try again later. */
export class MarketplaceError extends Error {
  constructor(
    readonly kind: MarketplaceErrorKind,
    message: string,
    readonly retryable: boolean,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'MarketplaceError';
  }
}

/** 429 (or the provider's rate-limit code) after the connector's own back-off ran out. */
export class ThrottledError extends MarketplaceError {
  constructor(
    message: string,
    /** What the provider asked us to wait (Retry-After or its rate header), when it said. */
    readonly retryAfterMs: number | null = null,
  ) {
    super('throttled', message, true, 429);
    this.name = 'ThrottledError';
  }
}

/** No answer within the timeout; the call may or may not have taken effect on the provider. */
export class MarketplaceTimeoutError extends MarketplaceError {
  constructor(message: string) {
    super('timeout', message, true);
    this.name = 'MarketplaceTimeoutError';
  }
}

/** An answer that is not the documented shape (bad JSON, missing fields). Nothing from it is used. */
export class MalformedResponseError extends MarketplaceError {
  constructor(message: string, status: number | null = null) {
    super('malformed', message, true, status);
    this.name = 'MalformedResponseError';
  }
}

/** Credentials refused (401/403, bad signature, expired refresh token): retrying will not help. */
export class MarketplaceAuthError extends MarketplaceError {
  constructor(message: string, status: number | null = null) {
    super('auth', message, false, status);
    this.name = 'MarketplaceAuthError';
  }
}

/** The provider refused the request itself (400/404/422): fix the data, do not retry as is. */
export class MarketplaceRejectedError extends MarketplaceError {
  constructor(message: string, status: number | null = null) {
    super('rejected', message, false, status);
    this.name = 'MarketplaceRejectedError';
  }
}

/** 5xx or a network failure before an answer: try again later. */
export class MarketplaceUnavailableError extends MarketplaceError {
  constructor(message: string, status: number | null = null) {
    super('unavailable', message, true, status);
    this.name = 'MarketplaceUnavailableError';
  }
}
