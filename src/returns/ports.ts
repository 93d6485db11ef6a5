/**
 * What returns needs from other modules, as small interfaces. The real services (orders, catalog,
 * inventory) satisfy them structurally; composeServices passes them in.
 */
import type { Executor, Tx as Transaction } from '../platform/db/schema.js';
import type { Channel, Location, NetworkSnapshot } from '../network/index.js';
import type { SourceOutcome, SourceRequest } from '../fulfillment/index.js';
import type { Order } from '../orders/index.js';
import type { VariantView } from '../catalog/index.js';
import type {
  Availability,
  AvailabilityQuery,
  Movement,
  Reservation,
  ReserveInput,
  StockLevel,
} from '../inventory/index.js';

export interface ReturnsOrdersPort {
  get(id: string, opts?: { trx?: Executor }): Promise<Order>;
  refund(
    orderId: string,
    amount: number,
    opts?: { trx?: Executor; reason?: string | undefined; return_id?: string | undefined },
  ): Promise<{ id: string }>;
  /** Pays out the refunds a committed return asked for (the provider is never called inside its transaction). */
  settlePaymentOperations(ids: string[]): Promise<void>;
  /** The gift order a gift receipt code belongs to (undefined for an unknown code). */
  byGiftReceipt(code: string, opts?: { trx?: Executor }): Promise<Order | undefined>;
}

/** Where returns refunded as store credit put it: the customer's balance, or a new gift card. */
export interface ReturnsStoreCreditPort {
  issue(
    input: {
      to: { customer_id: string } | { gift_card: true };
      currency: string;
      amount: number;
      reason: string;
      reference: string;
    },
    opts?: { trx?: Executor },
  ): Promise<{ account: { id: string }; code: string | null }>;
}

export interface ReturnsCatalogPort {
  getVariants(skus: string[], opts?: { trx?: Executor }): Promise<Map<string, VariantView>>;
}

type Tx = { trx?: Executor };

/** What returns needs from inventory: units back on a shelf or written off, and stock for an exchange. */
export interface ReturnsInventoryPort {
  receiveReturn(
    input: { sku: string; location_id: string; quantity: number; reference: string; actor?: string; reason?: string },
    opts?: Tx,
  ): Promise<StockLevel>;
  damage(
    input: { sku: string; location_id: string; quantity: number; reason: string; reference?: string; actor?: string },
    opts?: Tx,
  ): Promise<{ level: StockLevel; movement: Movement | null }>;
  availability(q: AvailabilityQuery, opts?: Tx): Promise<Availability[]>;
  reserve(input: ReserveInput, opts?: Tx): Promise<Reservation>;
  confirm(id: string, opts?: { trx?: Executor; actor?: string }): Promise<Reservation>;
}

type ReadTx = { trx?: Executor | undefined };

/** What returns (service and routes) need from the network: where goods come back, channels by code. */
export interface ReturnsNetworkPort {
  snapshot(opts?: ReadTx): Promise<NetworkSnapshot>;
  requireChannel(idOrCode: string, opts?: ReadTx): Promise<Channel>;
  requireLocation(idOrCode: string, opts?: ReadTx): Promise<Location>;
}

/** What an exchange shipped by a task needs from fulfillment: sourcing in the return's transaction. */
export interface ReturnsFulfillmentPort {
  readonly sourcing: { source(trx: Transaction, req: SourceRequest): Promise<SourceOutcome> };
  readonly config: { promiseDays: { home: number } };
}
