/**
 * What carts and checkout need from other modules, as the shapes those engineers were given. The
 * real services satisfy these structurally; carts never import their stores or tables.
 */
import type { RawBuilder } from 'kysely';
import type { DomainEvent } from '../platform/events/outbox.js';
import type { Executor } from '../platform/db/schema.js';
import type { Channel, Location, NetworkSnapshot } from '../network/index.js';
import type { Order, OrderLine, PlaceOrderInput } from '../orders/index.js';
import type {
  AuthorisationAnswer,
  AuthoriseResult,
  CreditSpend,
  CreditTender,
  Payment,
  PaymentOperation,
  PaymentRequest,
} from '../payments/index.js';

export interface QuoteLineView {
  line_id: string;
  sku: string;
  quantity: number;
  unit_price: number;
  discount: number;
  total: number;
  tax_rate: number;
  tax_amount: number;
  applied: unknown[];
  not_applied?: unknown[];
}
export interface QuoteView {
  currency: string;
  lines: QuoteLineView[];
  subtotal: number;
  discount_total: number;
  shipping: { method?: string | null; amount: number; discount: number; free_shipping_reason?: string | undefined };
  tax_total: number;
  tax_breakdown: unknown[];
  total: number;
  coupons: { code: string; status: string; reason?: string | undefined }[];
  free_shipping_threshold?: number | undefined;
}
export interface QuoteRequest {
  channel: string;
  currency?: string | undefined;
  customer_id?: string | undefined;
  location_id?: string | undefined;
  lines: { sku: string; quantity: number; line_id?: string }[];
  coupons?: string[];
  shipping?: { method: string; amount: number };
}
export interface CartsPromotionsPort {
  quote(input: QuoteRequest, opts?: { trx?: Executor; at?: Date }): Promise<QuoteView>;
  /**
   * A quote with what it was made from (quote-reuse.ts): the promotion snapshot's pricing version, the
   * VAT country, the first promotion start or end after `at`. Optional: without it nothing is reused.
   */
  quoteWithBasis?(
    input: QuoteRequest,
    opts: { at: Date },
  ): Promise<{
    quote: QuoteView;
    basis: { snapshot_version: string | null; country: string; valid_until_ms: number | null };
  }>;
  /** The snapshot a quote made now would use: its pricing version and next promotion boundary after `at`. */
  pricingState?(at: Date): Promise<{ snapshot_version: string | null; valid_until_ms: number | null }>;
  redeem(
    input: { order_id: string; customer_id: string | null; coupons: string[] },
    opts: { trx: Executor },
  ): Promise<unknown>;
  /** Which of these promotions are for a customer's first order only (re-checked at redemption). */
  firstOrderOnly(promotionIds: string[], opts: { trx: Executor }): Promise<string[]>;
  /** Undoes an unpaid order's redemptions (declined card: the cart may check out again). */
  releaseRedemptions(orderId: string, opts: { trx: Executor }): Promise<unknown>;
}

export interface ReservationView {
  id: string;
  lines: { sku: string; location_id: string; quantity: number }[];
}
export interface AvailabilityView {
  sku: string;
  available: number;
  locations: { location_id: string; available: number; distance_km: number | null }[];
}
export interface CartsInventoryPort {
  reserve(
    input: {
      channel: string;
      lines: { sku: string; quantity: number; location_id?: string | undefined }[];
      ttl_seconds: number;
      reference: string;
      customer_id?: string | undefined;
    },
    opts: { trx?: Executor },
  ): Promise<ReservationView>;
  release(id: string, opts?: { trx?: Executor }): Promise<unknown>;
  availability(
    input: {
      channel: string;
      skus: string[];
      lat?: number;
      lng?: number;
      radius_km?: number;
    },
    opts?: { lagOk?: { key?: string; writtenAt?: Date } },
  ): Promise<AvailabilityView[]>;
}

export interface CartsCatalogPort {
  getVariants(
    skus: string[],
    opts?: { trx?: Executor },
  ): Promise<Map<string, { sku: string; product_id: string; weight_g: number }>>;
  /** Refuses unknown SKUs (400 validation_failed); known ones may be remembered (SKUs are never deleted). */
  requireKnown(skus: string[], opts?: { trx?: Executor; field?: string }): Promise<void>;
}

export interface CartsCustomersPort {
  /** The customer's email, for the order and its notifications. */
  get(id: string): Promise<{ email?: string | null | undefined }>;
}

type ReadTx = { trx?: Executor | undefined };

/** What carts, delivery and checkout need from the network: channels, locations, the snapshot. */
export interface CartsNetworkPort {
  snapshot(opts?: ReadTx): Promise<NetworkSnapshot>;
  channel(idOrCode: string, opts?: ReadTx): Promise<Channel | undefined>;
  requireChannel(idOrCode: string, opts?: ReadTx): Promise<Channel>;
  location(idOrCode: string, opts?: ReadTx): Promise<Location | undefined>;
}

/** What checkout and delivery need from orders: the order's life through payment, and pickup load. */
export interface CartsOrdersPort {
  /** `with`: the caller's writes (statements not yet run) that the order's own statement runs too. */
  place(input: PlaceOrderInput, opts?: ReadTx & { with?: readonly RawBuilder<unknown>[] }): Promise<Order>;
  get(id: string, opts?: ReadTx): Promise<Order>;
  findByCart(cartId: string, opts?: ReadTx): Promise<Order | undefined>;
  /** Locks the customer's orders and tells whether one is live (first-order promotions). */
  hasLiveOrder(customerId: string, opts: { trx: Executor }): Promise<boolean>;
  /** The placed order, or null when it no longer waits for its payment (nothing written). */
  paymentAuthorised(
    id: string,
    opts?: ReadTx & {
      payment?: Payment | undefined;
      lines?: readonly OrderLine[] | undefined;
      /** The caller's events, written first in the same outbox insert, whatever the outcome. */
      events?: readonly DomainEvent[] | undefined;
    },
  ): Promise<Order | null>;
  /** False when the order no longer waits for its payment (nothing written). */
  paymentFailed(id: string, reason: string, opts?: ReadTx): Promise<boolean>;
  /** Click & collect orders per store in [from, to), for the pickup capacity. */
  pickupLoad(locationIds: string[], from: Date, to: Date, opts?: ReadTx): Promise<Map<string, number>>;
}

/** What checkout needs from payments: the three-phase authorisation, voids, and reconciliation. */
export interface CartsPaymentsPort {
  validate(request: PaymentRequest): void;
  /** `begin`'s pending payment with its insert not yet run, for the caller's own statement (the order's). */
  pending(input: { order_id: string; amount: number; currency: string; provider: string }): {
    payment: Payment;
    insert: RawBuilder<unknown>;
  };
  /** Calls the provider (outside any transaction). */
  askProvider(payment: Payment, request: PaymentRequest): Promise<AuthorisationAnswer>;
  /** `defer`: the payment's event is appended there, for the caller to write (instead of written). */
  recordAuthorisation(
    paymentId: string,
    answer: AuthoriseResult | null,
    opts?: ReadTx & { defer?: DomainEvent[] | undefined },
  ): Promise<Payment | null>;
  requestVoid(paymentId: string, opts?: ReadTx): Promise<PaymentOperation | null>;
  /** Calls the provider for requested operations (after their transaction committed). */
  runOperations(ids?: string[] | null, limit?: number): Promise<number>;
  leaseStale(limit?: number): Promise<Payment[]>;
  retrieve(payment: Payment): Promise<AuthoriseResult | null>;
}

/** What checkout needs from store credit: tenders resolved before, debited inside, restored on cancel. */
export interface CartsCreditPort {
  resolve(
    tenders: CreditTender[],
    ctx: { customer_id: string | null; currency: string; total: number },
  ): Promise<CreditSpend[]>;
  debit(spends: CreditSpend[], orderId: string, opts: { trx: Executor }): Promise<void>;
  restore(orderId: string, opts?: ReadTx): Promise<number>;
}
