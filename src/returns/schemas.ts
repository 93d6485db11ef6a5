import { Type } from '@sinclair/typebox';
import { Quantity, Strict, StringEnum, Timestamp } from '../platform/http/schemas.js';
import { CONDITIONS, REFUND_METHODS } from './rules.js';
import { DROPOFF_METHODS, EXCHANGE_DELIVERIES } from './types.js';

const Code = Type.String({ minLength: 4, maxLength: 40 });
const ReturnLinesIn = Type.Array(
  Strict({
    line_id: Type.String({ minLength: 1, maxLength: 64 }),
    quantity: Quantity,
    reason: Type.String({ minLength: 1, maxLength: 300 }),
    condition: Type.Optional(
      StringEnum(CONDITIONS, { description: 'sellable units go back into stock; damaged ones are booked as damage' }),
    ),
  }),
  { minItems: 1, maxItems: 200 },
);
const ExchangeIn = Type.Array(
  Strict({
    for_line_id: Type.String({ minLength: 1, maxLength: 64 }),
    sku: Type.String({ minLength: 1, maxLength: 64 }),
    quantity: Quantity,
  }),
  { maxItems: 200 },
);

export const ReturnCreate = Strict({
  order_id: Type.String({ minLength: 1, maxLength: 64 }),
  lines: ReturnLinesIn,
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
  exchange: Type.Optional(ExchangeIn),
  exchange_delivery: Type.Optional(
    StringEnum(EXCHANGE_DELIVERIES, {
      description:
        'now: handed over at the counter (the store must have the units); ship: a home delivery from wherever has them, even when the store has them. Default: now if the store has them, else shipped',
    }),
  ),
  dropoff: Type.Optional(
    Strict(
      {
        method: StringEnum(DROPOFF_METHODS),
        location_id: Type.Optional(
          Type.String({ minLength: 1, maxLength: 64, description: 'the store or pickup point (none for a carrier)' }),
        ),
      },
      {
        description:
          'a self-service return (a customer token must give one): recorded `requested` with a return code; restocked and refunded only when a store receives it by that code',
      },
    ),
  ),
});

export const GiftReturnCreate = Strict({
  gift_receipt_code: Code,
  lines: ReturnLinesIn,
  channel: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'where the return happens' })),
  location_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'the receiving store' })),
  exchange: Type.Optional(ExchangeIn),
});

export const ReceiveByCode = Strict({
  code: Code,
  location_id: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'where the goods are received (a bound key or associate: theirs)',
    }),
  ),
  conditions: Type.Optional(
    Type.Array(Strict({ line_id: Type.String({ minLength: 1, maxLength: 64 }), condition: StringEnum(CONDITIONS) }), {
      maxItems: 200,
    }),
  ),
});

export const GiftReceiptSchema = Type.Object({
  gift_receipt_code: Type.String(),
  message: Type.Union([Type.String(), Type.Null()]),
  returnable_until: Timestamp,
  lines: Type.Array(
    Type.Object({
      line_id: Type.String(),
      sku: Type.String(),
      quantity: Type.Integer(),
      returnable_quantity: Type.Integer(),
    }),
  ),
});

const MoneyOut = Type.Object({ amount: Type.Integer(), currency: Type.String() });

export const ReturnSchema = Type.Object({
  id: Type.String(),
  order_id: Type.String(),
  channel_id: Type.String(),
  location_id: Type.String(),
  customer_id: Type.Union([Type.String(), Type.Null()]),
  status: StringEnum(['requested', 'received', 'refunded'] as const),
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
  return_code: Type.Union([Type.String(), Type.Null()]),
  qr_payload: Type.Union([Type.String({ description: 'what the store scans: omnia:return:<code>' }), Type.Null()]),
  dropoff_method: Type.Union([StringEnum(DROPOFF_METHODS), Type.Null()]),
  received_at: Type.Union([Timestamp, Type.Null()]),
  gift: Type.Boolean(),
  store_credit_account_id: Type.Union([Type.String(), Type.Null()]),
  gift_card_code: Type.Optional(
    Type.String({ description: 'a gift card issued by this return (a guest or a gift’s recipient): shown once' }),
  ),
  created_at: Timestamp,
});
