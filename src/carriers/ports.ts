/** What the carriers module needs from others, as small interfaces (composeServices wires the real services). */
import type { Executor, Tx } from '../platform/db/schema.js';

export interface CarrierTask {
  id: string;
  order_id: string;
  location_id: string;
  method: string;
  status: string;
  destination_location_id: string | null;
  lines: { sku: string; quantity: number }[];
  parcels: number | null;
  weight_g: number | null;
}

export interface CarriersFulfillmentPort {
  get(id: string, opts?: { trx?: Executor }): Promise<CarrierTask>;
  /** Moves a shipped home delivery to delivered (and the order on when it was the last); idempotent. */
  carrierDelivered(id: string, opts: { trx: Tx }): Promise<'delivered' | 'already' | 'not_shipped'>;
}

interface PostalAddress {
  name?: string | undefined;
  line1: string;
  city: string;
  postal_code: string;
  country: string;
}

export interface CarriersNetworkPort {
  location(
    id: string,
    opts?: { trx?: Executor },
  ): Promise<{ id: string; name: string; address: PostalAddress } | undefined>;
}

export interface CarriersOrdersPort {
  get(
    id: string,
    opts?: { trx?: Executor },
  ): Promise<{ id: string; email: string | null; delivery: { address?: PostalAddress | null | undefined } }>;
}
