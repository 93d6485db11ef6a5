import { Type } from '@sinclair/typebox';
import { defineEvents, type PayloadsOf } from '../platform/events/types.js';

const Str = Type.String();
const OrNull = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Money = Type.Object({ amount: Type.Integer({ description: 'minor units' }), currency: Type.String() });
const Changed = (description: string) =>
  Type.Object(
    {
      order_id: Str,
      customer_id: OrNull(Str),
      channel: Type.String({ description: 'channel id' }),
      reason: Type.Optional(Str),
    },
    { description },
  );

/** The events orders emit (see docs/events.md). */
export const orderEvents = defineEvents({
  'order.placed': Type.Object(
    {
      order_id: Str,
      customer_id: OrNull(Str),
      channel: Type.String({ description: 'channel id' }),
      channel_type: Str,
      location_id: OrNull(Str),
      placed_at: Type.String({ format: 'date-time' }),
      total: Money,
      lines: Type.Array(
        Type.Object({
          line_id: Str,
          sku: Str,
          product_id: OrNull(Str),
          quantity: Type.Integer(),
          amount: Type.Integer(),
        }),
      ),
      delivery: Type.Object({ method: Str, location_id: Type.Optional(Str), address: Type.Optional(Type.Unknown()) }),
      reservation_id: OrNull(Str),
    },
    { description: 'An order was placed and its payment authorised: fulfil it.' },
  ),
  'order.status_changed': Type.Object(
    {
      order_id: Str,
      from: OrNull(Str),
      to: Str,
      hold_reason: OrNull(Str),
      customer_id: Type.Optional(OrNull(Str)),
    },
    { description: 'An order moved in its lifecycle (or was held or released).' },
  ),
  'order.confirmed': Changed('An order was confirmed.'),
  'order.cancelled': Changed('An order was cancelled (its stock released, its payment voided or refunded).'),
  'order.fulfilled_lines': Type.Object(
    { order_id: Str, lines: Type.Array(Type.Unknown()) },
    { description: 'Some of an order’s lines were fulfilled.' },
  ),
  'order.line_cancelled': Type.Object(
    {
      order_id: Str,
      customer_id: OrNull(Str),
      channel: Type.String({ description: 'channel id' }),
      line_id: Str,
      sku: Str,
      quantity: Type.Integer({ minimum: 1 }),
      amount: Money,
      refunded: Money,
      reason: Str,
      order_status: Str,
    },
    {
      description:
        'Units of an order line were cancelled before any store picked them (their stock released; the payment captured without them, or refunded).',
    },
  ),
  'order.refunded': Type.Object(
    {
      order_id: Str,
      customer_id: OrNull(Str),
      amount: Money,
      reason: OrNull(Str),
      return_id: OrNull(Str),
      payment_id: Str,
      operation_id: Str,
    },
    { description: 'A refund of an order was recorded (paid out after commit).' },
  ),
});

declare module '../platform/events/types.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the members
  interface EventMap extends PayloadsOf<typeof orderEvents> {}
}
