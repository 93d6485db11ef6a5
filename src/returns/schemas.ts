import { Type } from '@sinclair/typebox';
import { Quantity, Strict, StringEnum, Timestamp } from '../platform/http/schemas.js';
import { CONDITIONS, REFUND_METHODS } from './rules.js';

export const ReturnCreate = Strict({
  order_id: Type.String({ minLength: 1, maxLength: 64 }),
  lines: Type.Array(
    Strict({
      line_id: Type.String({ minLength: 1, maxLength: 64 }),
      quantity: Quantity,
      reason: Type.String({ minLength: 1, maxLength: 300 }),
      condition: Type.Optional(
        StringEnum(CONDITIONS, { description: 'sellable units go back into stock; damaged ones are booked as damage' }),
      ),
    }),
    { minItems: 1, maxItems: 200 },
  ),
  channel: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description:
        'where the return happens (id or code): staff name it; an API key or customer token acts for its own channel (naming another is refused)',
    }),
  ),
  location_id: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'the store or pickup point receiving the goods; none for a mail return',
    }),
  ),
  refund: StringEnum(REFUND_METHODS),
  refund_amount: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 99_999_999_999,
      description: 'a smaller refund than the units’ value, minor units',
    }),
  ),
  exchange: Type.Optional(
    Type.Array(
      Strict({
        for_line_id: Type.String({ minLength: 1, maxLength: 64 }),
        sku: Type.String({ minLength: 1, maxLength: 64 }),
        quantity: Quantity,
      }),
      { maxItems: 200 },
    ),
  ),
});

const MoneyOut = Type.Object({ amount: Type.Integer(), currency: Type.String() });

export const ReturnSchema = Type.Object({
  id: Type.String(),
  order_id: Type.String(),
  channel_id: Type.String(),
  location_id: Type.String(),
  customer_id: Type.Union([Type.String(), Type.Null()]),
  status: StringEnum(['received', 'refunded'] as const),
  refund_method: StringEnum(REFUND_METHODS),
  refund: MoneyOut,
  lines: Type.Array(
    Type.Object({
      line_id: Type.String(),
      sku: Type.String(),
      quantity: Type.Integer(),
      reason: Type.String(),
      condition: StringEnum(CONDITIONS),
      refund: MoneyOut,
      restock: StringEnum(['restock', 'damage'] as const),
      restock_location_id: Type.String(),
    }),
  ),
  exchange: Type.Array(Type.Object({ for_line_id: Type.String(), sku: Type.String(), quantity: Type.Integer() })),
  exchange_reservation_id: Type.Union([Type.String(), Type.Null()]),
  exchange_fulfillment_id: Type.Union([Type.String(), Type.Null()]),
  created_at: Timestamp,
});
