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
  /** `requested`: a customer's return waiting for the goods (nothing moved or refunded yet). */
  status: 'requested' | 'received' | 'refunded';
  refund_method: RefundMethod;
  refund: { amount: number; currency: string };
  lines: ReturnLine[];
  exchange: { for_line_id: string; sku: string; quantity: number }[];
  /** An exchange handed over at the counter (a sale from this reservation) … */
  exchange_reservation_id: string | null;
  /** … or shipped by a fulfillment task. */
  exchange_fulfillment_id: string | null;
  /** A self-service return's code: the store scans its QR payload (`omnia:return:<code>`) to receive it. */
  return_code: string | null;
  qr_payload: string | null;
  /** How a self-service return comes back: handed in at a store or pickup point, or sent by carrier. */
  dropoff_method: DropoffMethod | null;
  received_at: string | null;
  /** Returned by a gift's recipient with the gift receipt code: credited to a gift card, never the buyer. */
  gift: boolean;
  /** The store credit account credited (a customer's, or the gift card's). */
  store_credit_account_id: string | null;
  /** A gift card issued by this return: its code, in this answer only. */
  gift_card_code?: string | undefined;
  created_at: string;
}

export const DROPOFF_METHODS = ['store', 'pickup_point', 'carrier'] as const;
export type DropoffMethod = (typeof DROPOFF_METHODS)[number];

export const EXCHANGE_DELIVERIES = ['now', 'ship'] as const;
export type ExchangeDelivery = (typeof EXCHANGE_DELIVERIES)[number];

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
  /**
   * The exchange units handed over `now` at the counter (the store must have them) or `ship`ped home
   * by a fulfillment task even when the store has them; default: now if the store has them, else shipped.
   */
  exchange_delivery?: ExchangeDelivery | undefined;
  /**
   * A self-service return: recorded `requested` with a return code; the goods are received (and only
   * then restocked and refunded) when a store scans the code.
   */
  dropoff?: { method: DropoffMethod; location_id?: string | undefined } | undefined;
}

/** A gift's recipient returning (or exchanging) with the gift receipt code, in a store. */
export interface GiftReturnInput {
  gift_receipt_code: string;
  lines: ReturnInput['lines'];
  channel: string;
  location_id?: string | undefined;
  exchange?: ReturnInput['exchange'];
}

/** A store receiving a requested return by its code; a line's condition is what the store sees. */
export interface ReceiveByCodeInput {
  code: string;
  location_id: string;
  conditions?: { line_id: string; condition: Condition }[] | undefined;
}

/** What `GET /v1/returns` filters on; the channel and location are narrowed by the policy's list scope. */
export interface ReturnFilter {
  order_id?: string | undefined;
  customer_id?: string | undefined;
  return_code?: string | undefined;
  channel_id?: string | undefined;
  location_id?: string | undefined;
  after?: string | undefined;
  limit: number;
}

/** A gift receipt as the recipient (or the store taking the return) sees it: no prices. */
export interface GiftReceipt {
  gift_receipt_code: string;
  message: string | null;
  returnable_until: string;
  lines: { line_id: string; sku: string; quantity: number; returnable_quantity: number }[];
}
