/**
 * What orders needs from other modules, as small interfaces. The real services satisfy them
 * structurally; composeServices passes them in.
 */
import type { Executor } from '../platform/db/schema.js';

/** What orders needs from inventory: releasing a cancelled order's reservation. */
export interface OrdersInventoryPort {
  release(reservationId: string, opts?: { trx?: Executor }): Promise<unknown>;
  getReservation(reservationId: string, opts?: { trx?: Executor }): Promise<{ status: string }>;
}

/** What the order routes need from the network: a channel named by code or id. */
export interface OrdersNetworkPort {
  channel(idOrCode: string): Promise<{ id: string } | undefined>;
}
