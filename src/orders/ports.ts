/**
 * What orders needs from other modules, as small interfaces. The real services satisfy them
 * structurally; composeServices passes them in.
 */
import type { Executor, Tx } from '../platform/db/schema.js';
import type { Payment, PaymentOperation } from '../payments/index.js';

/** What orders needs from inventory: releasing a cancelled order's reservation. */
export interface OrdersInventoryPort {
  release(reservationId: string, opts?: { trx?: Executor }): Promise<unknown>;
  getReservation(reservationId: string, opts?: { trx?: Executor }): Promise<{ status: string }>;
}

/** What the order routes need from the network: a channel named by code or id; a store's country. */
export interface OrdersNetworkPort {
  channel(idOrCode: string): Promise<{ id: string } | undefined>;
  /** A location (its country reads a phone number typed in national form at that store). */
  requireLocation(idOrCode: string): Promise<{ address: { country: string } }>;
}

/** What the order search needs from customers: every profile of the person owning an e-mail or phone. */
export interface OrdersCustomersPort {
  personIdsByIdentifier(kind: 'email' | 'phone', value: string): Promise<string[]>;
}

type ReadTx = { trx?: Executor | undefined };

/**
 * What orders need from payments: the order's payment, and the operations (capture, void, refund)
 * asked for in the order's transaction and run after it commits.
 */
export interface OrdersPaymentsPort {
  get(id: string, opts?: ReadTx): Promise<Payment>;
  requestCapture(paymentId: string, amount?: number, opts?: ReadTx): Promise<PaymentOperation>;
  /** `ifAuthorized`: a payment no longer authorised (another task's capture settled it) answers null. */
  requestCapture(
    paymentId: string,
    amount: number | undefined,
    opts: ReadTx & { ifAuthorized: true },
  ): Promise<PaymentOperation | null>;
  /** Runs a requested capture (after its transaction committed) and answers with the payment. */
  settleCapture(operationId: string): Promise<Payment>;
  requestVoid(paymentId: string, opts?: ReadTx): Promise<PaymentOperation | null>;
  requestRefund(
    paymentId: string,
    amount: number,
    opts?: ReadTx & { return_id?: string | null | undefined },
  ): Promise<PaymentOperation>;
  /** Calls the provider for requested operations (outside any transaction). */
  runOperations(ids?: string[] | null, limit?: number): Promise<number>;
}

/**
 * What cancelling a line needs from fulfillment (bound after both services exist): take units out of
 * the tasks nobody has picked yet, in the order's transaction; refuses (409) when picked units would be needed.
 */
export interface OrdersFulfillmentPort {
  cancelUnits(orderId: string, lineId: string, quantity: number, opts: { trx: Tx }): Promise<void>;
}
