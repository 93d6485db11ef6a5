/** A return as written (its row and lines) and as read back (the API view). */
import type { Tx } from '../platform/db/schema.js';
import type { Location } from '../network/index.js';
import type { Order } from '../orders/index.js';
import type { decideReturn, RefundMethod } from './rules.js';
import * as store from './store.js';
import type { DropoffMethod, GiftReceipt, Return } from './types.js';

/** What the store's scanner reads from a self-service return's QR code. */
export const returnQrPayload = (code: string): string => `omnia:return:${code}`;

export function toReturn(r: store.ReturnRow, lines: store.ReturnLineRow[]): Return {
  const money = (amount: number | string) => ({ amount: Number(amount), currency: r.currency });
  const code = r.return_code ?? null;
  return {
    id: r.id,
    order_id: r.order_id,
    channel_id: r.channel_id,
    location_id: r.location_id,
    customer_id: r.customer_id,
    status: r.status as Return['status'],
    refund_method: r.refund_method as RefundMethod,
    refund: money(r.refund_amount),
    lines: lines.map((l) => ({
      line_id: l.line_id,
      sku: l.sku,
      quantity: l.quantity,
      reason: l.reason,
      condition: l.condition as Return['lines'][number]['condition'],
      refund: money(l.refund_amount),
      restock: l.restock as 'restock' | 'damage',
      restock_location_id: l.restock_location_id,
    })),
    exchange: (typeof r.exchange === 'string' ? JSON.parse(r.exchange) : r.exchange) as Return['exchange'],
    exchange_reservation_id: r.exchange_reservation_id,
    exchange_fulfillment_id: r.exchange_fulfillment_id,
    return_code: code,
    qr_payload: code ? returnQrPayload(code) : null,
    dropoff_method: (r.dropoff_method ?? null) as DropoffMethod | null,
    received_at: r.received_at ? r.received_at.toISOString() : null,
    gift: r.gift ?? false,
    store_credit_account_id: r.store_credit_account_id ?? null,
    created_at: r.created_at.toISOString(),
  };
}

export async function recordReturn(
  trx: Tx,
  a: {
    id: string;
    order: Order;
    channelId: string;
    at: Location;
    stockAt: Location;
    decision: Extract<ReturnType<typeof decideReturn>, { ok: true }>;
    method: RefundMethod;
    status: Return['status'];
    now: Date;
    gift?: boolean;
    code?: string | null;
    dropoff?: DropoffMethod | null;
  },
): Promise<void> {
  await store.insertReturn(
    trx,
    {
      id: a.id,
      order_id: a.order.id,
      channel_id: a.channelId,
      location_id: a.at.id,
      // A gift's recipient is not the buyer: the buyer's history never shows the gift returned.
      customer_id: a.gift ? null : a.order.customer_id,
      status: a.status,
      refund_method: a.method,
      currency: a.order.currency,
      refund_amount: a.decision.refund,
      exchange: JSON.stringify(a.decision.exchange),
      exchange_reservation_id: null,
      exchange_fulfillment_id: null,
      return_code: a.code ?? null,
      dropoff_method: a.dropoff ?? null,
      received_at: a.status === 'requested' ? null : a.now,
      gift: a.gift ?? false,
      created_at: a.now,
      updated_at: a.now,
    },
    a.decision.lines.map((l) => ({
      return_id: a.id,
      line_id: l.line_id,
      sku: l.sku,
      quantity: l.quantity,
      reason: l.reason,
      condition: l.condition,
      refund_amount: l.refund,
      restock: l.restock,
      restock_location_id: a.stockAt.id,
    })),
  );
}

/** A gift receipt: the lines and what is still returnable, never a price. */
export function giftReceiptView(order: Order, returned: Map<string, number>, windowDays: number): GiftReceipt {
  return {
    gift_receipt_code: order.gift_receipt_code ?? '',
    message: order.gift_message,
    returnable_until: new Date(new Date(order.placed_at).getTime() + windowDays * 86_400_000).toISOString(),
    lines: order.lines.map((l) => ({
      line_id: l.line_id,
      sku: l.sku,
      quantity: l.quantity,
      returnable_quantity: Math.max(0, l.fulfilled_quantity - (returned.get(l.line_id) ?? 0)),
    })),
  };
}
