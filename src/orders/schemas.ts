import { Type } from '@sinclair/typebox';
import { Strict, StringEnum, Timestamp } from '../platform/http/schemas.js';
import { ORDER_STATUSES } from './rules.js';

const MoneySchema = Type.Object({ amount: Type.Integer(), currency: Type.String() });
const Loose = Type.Object({}, { additionalProperties: true });

export const OrderLineSchema = Type.Object({
  line_id: Type.String(),
  sku: Type.String(),
  product_id: Type.Union([Type.String(), Type.Null()]),
  quantity: Type.Integer(),
  fulfilled_quantity: Type.Integer(),
  cancelled_quantity: Type.Integer({ description: 'cancelled before picking; not counted in quantity' }),
  unit_price: Type.Integer(),
  discount: Type.Integer(),
  total: Type.Integer(),
  tax_rate: Type.Number(),
  tax_amount: Type.Integer(),
  applied: Type.Array(Type.Unknown()),
  location_id: Type.Union([Type.String(), Type.Null()]),
});

export const OrderSchema = Type.Object({
  id: Type.String(),
  status: StringEnum(ORDER_STATUSES),
  hold_reason: Type.Union([Type.String(), Type.Null()]),
  channel_id: Type.String(),
  channel_type: Type.String(),
  customer_id: Type.Union([Type.String(), Type.Null()]),
  cart_id: Type.Union([Type.String(), Type.Null()]),
  location_id: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  currency: Type.String(),
  subtotal: MoneySchema,
  discount_total: MoneySchema,
  shipping: Type.Object({ amount: Type.Integer(), discount: Type.Integer(), currency: Type.String() }),
  tax_total: MoneySchema,
  total: MoneySchema,
  tax_breakdown: Type.Array(Type.Unknown()),
  coupons: Type.Array(Type.String()),
  delivery: Loose,
  reservation_id: Type.Union([Type.String(), Type.Null()]),
  payment: Type.Union([Loose, Type.Null()]),
  lines: Type.Array(OrderLineSchema),
  gift: Type.Boolean({ description: 'a gift: packing slips and the recipient’s mail show no prices' }),
  gift_message: Type.Union([Type.String(), Type.Null()]),
  gift_receipt_code: Type.Union([
    Type.String({ description: 'printed on the gift receipt: the recipient returns or exchanges with it' }),
    Type.Null(),
  ]),
  gift_recipient: Type.Union([
    Type.Object(
      { email: Type.Union([Type.String(), Type.Null()]), name: Type.Union([Type.String(), Type.Null()]) },
      { description: 'who receives the gift (mailed the gift notice, without prices); erased with the buyer' },
    ),
    Type.Null(),
  ]),
  placed_at: Timestamp,
  updated_at: Timestamp,
  /** Set on checkout answers: the order already existed for this cart (a retry). */
  replayed: Type.Optional(Type.Boolean()),
});

export const OrderListQuery = {
  customer_id: Type.Optional(Type.String({ maxLength: 64 })),
  channel: Type.Optional(Type.String({ maxLength: 64, description: 'channel id or code' })),
  status: Type.Optional(StringEnum(ORDER_STATUSES)),
  location_id: Type.Optional(
    Type.String({ maxLength: 64, description: 'orders placed at this store (its tills) or collected there' }),
  ),
  placed_from: Type.Optional(Type.String({ format: 'date-time', description: 'placed at or after (inclusive)' })),
  placed_to: Type.Optional(Type.String({ format: 'date-time', description: 'placed before (exclusive)' })),
  query: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 254,
      description:
        'find orders by order number, e-mail or phone (any format; a national number is read in the caller’s store country), newest first; a store associate finds orders of every channel and store',
    }),
  ),
};
export const CancelBody = Type.Optional(
  Strict({ reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) }),
);
export const CancelLineBody = Strict({
  quantity: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 10_000, description: 'units to cancel; default: all not yet fulfilled' }),
  ),
  reason: Type.String({ minLength: 1, maxLength: 500 }),
});
export const HoldBody = Strict({ reason: Type.String({ minLength: 1, maxLength: 500 }) });
