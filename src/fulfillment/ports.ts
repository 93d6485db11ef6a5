/**
 * What fulfillment needs from other modules, as small interfaces. The real services (orders,
 * inventory) satisfy them structurally; composeServices passes them in.
 */
import type { Executor } from '../platform/db/schema.js';
import type {
  Availability,
  AvailabilityQuery,
  Reservation,
  ReserveInput,
  SkuStock,
  StockLevel,
  Transfer,
  TransferInput,
} from '../inventory/index.js';
import type { Order } from '../orders/index.js';
import type { NetworkSnapshot } from '../network/index.js';

/** What sourcing needs from the network: the locations, read through the sourcing transaction. */
export interface FulfillmentNetworkPort {
  snapshot(opts?: { trx?: Executor | undefined }): Promise<NetworkSnapshot>;
}

/** What fulfillment needs from orders. */
export interface FulfillmentOrdersPort {
  get(id: string, opts?: { trx?: Executor }): Promise<Order>;
  /** The status alone (undefined: no such order), where sourcing only asks whether the order was cancelled. */
  statusOf(id: string, opts?: { trx?: Executor }): Promise<string | undefined>;
  markFulfilled(
    orderId: string,
    lines: { line_id: string; quantity: number }[],
    opts?: { trx?: Executor },
  ): Promise<unknown>;
  /** Asks for the capture of the authorised payment (at the first shipment or handover), in `trx`; one per payment. */
  requestCapture?(orderId: string, opts: { trx: Executor; ifAuthorized: true }): Promise<{ id: string } | null>;
  /** Completes a fulfilled order once the carrier delivered every parcel of it (carriers' tracking), in `trx`. */
  complete?(orderId: string, opts: { trx: Executor }): Promise<unknown>;
  /** Calls the provider for operations a committed transaction asked for (outside any transaction). */
  settlePaymentOperations?(ids: string[]): Promise<void>;
}

type Tx = { trx?: Executor };
type TxActor = { trx?: Executor; actor?: string };

/** What fulfillment needs from inventory: availability for sourcing, then the reservation's life. */
export interface FulfillmentInventoryPort {
  availability(q: AvailabilityQuery, opts?: Tx): Promise<Availability[]>;
  stock(sku: string, opts?: Tx): Promise<SkuStock>;
  /** Several SKUs' levels in one read (an unknown SKU: no levels). */
  stocks(skus: readonly string[], opts?: Tx): Promise<SkuStock[]>;
  reserve(input: ReserveInput, opts?: Tx): Promise<Reservation>;
  release(id: string, opts?: Tx): Promise<Reservation>;
  confirm(id: string, opts?: TxActor): Promise<Reservation>;
  confirmLines(
    id: string,
    lines: { sku: string; location_id?: string; quantity: number }[],
    opts?: TxActor,
  ): Promise<Reservation>;
  getReservation(id: string, opts?: Tx): Promise<Reservation>;
  createTransfer(input: TransferInput, opts?: Tx): Promise<Transfer>;
  receiveReturn(
    input: { sku: string; location_id: string; quantity: number; reference: string; actor?: string; reason?: string },
    opts?: Tx,
  ): Promise<StockLevel>;
}

/** What the store app's pick list needs from the catalog: each SKU's name, GTIN and size. */
export interface FulfillmentCatalogPort {
  getVariants(
    skus: string[],
    opts?: Tx,
  ): Promise<
    Map<
      string,
      {
        sku: string;
        product_name: string;
        gtin: string | null;
        size: string | null;
        colour: string | null;
        weight_g: number;
      }
    >
  >;
}
