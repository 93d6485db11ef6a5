import type { Condition, RefundMethod } from './rules.js';

export interface ReturnLine {
  line_id: string;
  sku: string;
  quantity: number;
  reason: string;
  condition: Condition;
  refund: { amount: number; currency: string };
  /** The restock decision: back into `restock_location_id`'s stock, or booked as damage there. */
  restock: 'restock' | 'damage';
  restock_location_id: string;
}

export interface Return {
  id: string;
  order_id: string;
  channel_id: string;
  location_id: string;
  customer_id: string | null;
  status: 'received' | 'refunded';
  refund_method: RefundMethod;
  refund: { amount: number; currency: string };
  lines: ReturnLine[];
  exchange: { for_line_id: string; sku: string; quantity: number }[];
  /** An exchange handed over at the counter (a sale from this reservation) … */
  exchange_reservation_id: string | null;
  /** … or shipped by a fulfillment task. */
  exchange_fulfillment_id: string | null;
  created_at: string;
}

export interface ReturnInput {
  order_id: string;
  lines: { line_id: string; quantity: number; reason: string; condition?: Condition | undefined }[];
  /** Channel id or code where the return happens. */
  channel: string;
  /** Where the goods come back; none for a mail return (the returns warehouse receives it). */
  location_id?: string | undefined;
  refund: RefundMethod;
  /** A smaller refund than the units' value (never larger). */
  refund_amount?: number | undefined;
  exchange?: { for_line_id: string; sku: string; quantity: number }[] | undefined;
}

/** What `GET /v1/returns` filters on; the channel and location are narrowed by the policy's list scope. */
export interface ReturnFilter {
  order_id?: string | undefined;
  customer_id?: string | undefined;
  channel_id?: string | undefined;
  location_id?: string | undefined;
  after?: string | undefined;
  limit: number;
}
