/**
 * An order's rows and its API shape, both ways, and the `order.placed` payload: pure mappings the
 * service, checkout's answer and the guest-order claim share (no I/O here).
 */
import { readableCode } from '../platform/codes.js';
import type { DomainEvent } from '../platform/events/outbox.js';
import type { Payment } from '../payments/index.js';
import type * as store from './store.js';
import type { OrderStatus } from './rules.js';
import type { Order, OrderDelivery, OrderLine, PlaceOrderInput } from './types.js';
import { json } from '../platform/db/json.js';

export function toLine(r: store.OrderLineRow): OrderLine {
  return {
    line_id: r.id,
    sku: r.sku,
    product_id: r.product_id,
    quantity: r.quantity,
    fulfilled_quantity: r.fulfilled_quantity,
    cancelled_quantity: r.cancelled_quantity ?? 0,
    unit_price: Number(r.unit_price),
    discount: Number(r.discount),
    total: Number(r.total),
    tax_rate: Number(r.tax_rate),
    tax_amount: Number(r.tax_amount),
    applied: json<unknown[]>(r.applied),
    location_id: r.location_id,
  };
}
/** The row of a line `place` returned (the inverse of toLine), for a caller that passes the lines it has. */
export function lineRow(orderId: string, position: number, l: OrderLine): store.OrderLineRow {
  return {
    id: l.line_id,
    order_id: orderId,
    position,
    sku: l.sku,
    product_id: l.product_id,
    quantity: l.quantity,
    fulfilled_quantity: l.fulfilled_quantity,
    cancelled_quantity: l.cancelled_quantity,
    unit_price: l.unit_price,
    discount: l.discount,
    total: l.total,
    tax_rate: l.tax_rate,
    tax_amount: l.tax_amount,
    applied: l.applied,
    location_id: l.location_id,
  };
}
export function toOrder(r: store.OrderRow, lines: store.OrderLineRow[], payment: Payment | null): Order {
  const m = (amount: string | number) => ({ amount: Number(amount), currency: r.currency });
  return {
    id: r.id,
    status: r.status as OrderStatus,
    hold_reason: r.hold_reason,
    channel_id: r.channel_id,
    channel_type: r.channel_type,
    customer_id: r.customer_id,
    cart_id: r.cart_id,
    location_id: r.location_id,
    email: r.email,
    currency: r.currency,
    subtotal: m(r.subtotal),
    discount_total: m(r.discount_total),
    shipping: { amount: Number(r.shipping_amount), discount: Number(r.shipping_discount), currency: r.currency },
    tax_total: m(r.tax_total),
    total: m(r.total),
    tax_breakdown: json<unknown[]>(r.tax_breakdown),
    coupons: json<string[]>(r.coupons),
    delivery: json<OrderDelivery>(r.delivery),
    reservation_id: r.reservation_id,
    payment,
    lines: lines.map(toLine),
    gift: r.gift ?? false,
    gift_message: r.gift_message ?? null,
    gift_receipt_code: r.gift_receipt_code ?? null,
    gift_recipient:
      r.gift_recipient_email || r.gift_recipient_name
        ? { email: r.gift_recipient_email ?? null, name: r.gift_recipient_name ?? null }
        : null,
    placed_at: r.placed_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}

/** The rows `place` writes for a new order (jsonb fields as text, as the insert takes them). */
export function newOrderRows(input: PlaceOrderInput, id: string, status: OrderStatus, now: Date) {
  const row = {
    id,
    channel_id: input.channel_id,
    channel_type: input.channel_type,
    customer_id: input.customer_id,
    cart_id: input.cart_id,
    location_id: input.location_id,
    status,
    hold_reason: null,
    currency: input.currency,
    subtotal: input.subtotal,
    discount_total: input.discount_total,
    shipping_amount: input.shipping_amount,
    shipping_discount: input.shipping_discount,
    tax_total: input.tax_total,
    total: input.total,
    tax_breakdown: JSON.stringify(input.tax_breakdown),
    coupons: JSON.stringify(input.coupons),
    delivery: JSON.stringify(input.delivery),
    email: input.email,
    reservation_id: input.reservation_id,
    payment_id: input.payment_id,
    placed_at: now,
    updated_at: now,
    anonymised_at: null,
    cancelled_amount: 0,
    gift: input.gift !== undefined,
    gift_message: input.gift?.message ?? null,
    gift_receipt_code: input.gift ? readableCode('GR') : null,
    gift_recipient_email: input.gift?.recipient_email ?? null,
    gift_recipient_name: input.gift?.recipient_name ?? null,
  };
  const lines = input.lines.map((l, position) => ({
    id: l.line_id,
    order_id: id,
    position,
    sku: l.sku,
    product_id: l.product_id,
    quantity: l.quantity,
    unit_price: l.unit_price,
    discount: l.discount,
    total: l.total,
    tax_rate: l.tax_rate,
    tax_amount: l.tax_amount,
    applied: JSON.stringify(l.applied),
    location_id: l.location_id,
    fulfilled_quantity: 0,
    cancelled_quantity: 0,
  }));
  return { row, lines };
}

/** `order.placed`: what fulfillment, customers and notifications start from (only once the payment is authorised). */
export function placedEvent(
  row: Pick<
    store.OrderRow,
    'id' | 'customer_id' | 'channel_id' | 'channel_type' | 'location_id' | 'total' | 'currency' | 'reservation_id'
  > & { delivery: unknown },
  lines: Pick<store.OrderLineRow, 'id' | 'sku' | 'product_id' | 'quantity' | 'total'>[],
  now: Date,
): DomainEvent {
  const delivery = json<OrderDelivery>(row.delivery);
  return {
    type: 'order.placed',
    aggregateId: row.id,
    payload: {
      order_id: row.id,
      customer_id: row.customer_id,
      channel: row.channel_id,
      channel_type: row.channel_type,
      location_id: row.location_id,
      placed_at: now.toISOString(),
      total: { amount: Number(row.total), currency: row.currency },
      lines: lines.map((l) => ({
        line_id: l.id,
        sku: l.sku,
        product_id: l.product_id,
        quantity: l.quantity,
        amount: Number(l.total),
      })),
      delivery: {
        method: delivery.method,
        ...(delivery.location_id ? { location_id: delivery.location_id } : {}),
        ...(delivery.address ? { address: delivery.address } : {}),
      },
      reservation_id: row.reservation_id,
    },
  };
}

/**
 * What one decided transition writes besides the status: its history row and its events (the
 * status change, and `order.confirmed` / `order.cancelled` on those arrivals). One builder for
 * `apply` and the batch confirm, so both record a transition alike.
 */
export function transitionRecord(
  row: Pick<store.OrderRow, 'id' | 'status' | 'hold_reason' | 'customer_id' | 'channel_id'>,
  next: { status: OrderStatus; hold_reason: string | null },
  note: string | null,
  at: Date,
): {
  history: {
    order_id: string;
    from_status: string;
    to_status: string;
    hold_reason: string | null;
    note: string | null;
    at: Date;
  };
  events: DomainEvent[];
} {
  const id = row.id;
  const events: DomainEvent[] = [];
  if (next.status !== row.status || next.hold_reason !== row.hold_reason)
    events.push({
      type: 'order.status_changed',
      aggregateId: id,
      payload: {
        order_id: id,
        from: row.status,
        to: next.status,
        hold_reason: next.hold_reason,
        customer_id: row.customer_id,
      },
    });
  if (next.status !== row.status && (next.status === 'confirmed' || next.status === 'cancelled'))
    events.push({
      type: `order.${next.status}`,
      aggregateId: id,
      payload: {
        order_id: id,
        customer_id: row.customer_id,
        channel: row.channel_id,
        ...(note ? { reason: note } : {}),
      },
    });
  return {
    history: {
      order_id: id,
      from_status: row.status,
      to_status: next.status,
      hold_reason: next.hold_reason,
      note,
      at,
    },
    events,
  };
}
