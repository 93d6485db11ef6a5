import { Type } from '@sinclair/typebox';
import { Country, Quantity, Strict, StringEnum, Timestamp } from '../platform/http/schemas.js';
import { CART_DELIVERY_METHODS, CART_STATUSES } from './types.js';

const Nullable = <T extends import('@sinclair/typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const CartCreate = Type.Optional(
  Strict({
    channel: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'channel id or code (staff only; keys and customers use their own)',
      }),
    ),
    customer_id: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'on behalf of a customer (contact center, till)' }),
    ),
    location_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'the store selling (till)' })),
  }),
);
export const ItemAdd = Strict({ sku: Type.String({ minLength: 1, maxLength: 64 }), quantity: Quantity });
export const ItemPatch = Strict({ quantity: Quantity });
export const CouponAdd = Strict({ code: Type.String({ minLength: 1, maxLength: 64 }) });
export const DeliveryChoice = Strict({
  method: StringEnum(CART_DELIVERY_METHODS),
  location_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
export const CartPatch = Strict({ delivery: Nullable(DeliveryChoice) });
export const ClaimBody = Strict({ code: Type.String({ minLength: 1, maxLength: 16 }) });
export const MergeBody = Type.Optional(
  Strict({
    customer_id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'staff only; a customer token merges into its own cart',
      }),
    ),
  }),
);
export const LeadTimeBody = Strict({
  from_location_id: Type.String({ minLength: 1, maxLength: 64 }),
  to_location_id: Type.String({ minLength: 1, maxLength: 64, description: "a location, or '*' for a customer's door" }),
  days: Type.Integer({ minimum: 0, maximum: 60 }),
});

export const AddressBody = Strict({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  line1: Type.String({ minLength: 1, maxLength: 300 }),
  line2: Type.Optional(Type.String({ maxLength: 300 })),
  city: Type.String({ minLength: 1, maxLength: 120 }),
  postal_code: Type.String({ minLength: 1, maxLength: 20 }),
  region: Type.Optional(Type.String({ maxLength: 120 })),
  country: Country,
});
export const CheckoutBody = Strict({
  delivery: Strict({
    method: StringEnum(['home', 'click_collect', 'pickup_point', 'in_store'] as const),
    location_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    address: Type.Optional(AddressBody),
  }),
  payment: Strict({
    provider: Type.String({
      minLength: 1,
      maxLength: 40,
      description: 'manual (pay at till / on pickup) or test (see the test card convention)',
    }),
    card_number: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  }),
  credits: Type.Optional(
    Type.Array(
      Type.Union([
        Strict({ method: Type.Literal('store_credit'), amount: Type.Integer({ minimum: 1 }) }),
        Strict({
          method: Type.Literal('gift_card'),
          code: Type.String({ minLength: 4, maxLength: 40 }),
          amount: Type.Integer({ minimum: 1 }),
        }),
      ]),
      {
        maxItems: 4,
        description:
          "store credit (the customer's own balance) or gift cards paying part or all of the total, in minor units; " +
          '`payment` is asked for the rest. Refused with insufficient_credit (409) when a balance is short.',
      },
    ),
  ),
  email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
  expected_total: Type.Optional(
    Type.Integer({
      minimum: 0,
      description: 'the total the shopper saw; a different fresh total is refused with cart_changed',
    }),
  ),
  gift: Type.Optional(
    Strict(
      {
        message: Type.Optional(Type.String({ maxLength: 500 })),
        recipient_email: Type.Optional(
          Type.String({
            format: 'email',
            maxLength: 320,
            description: 'the recipient is mailed what is coming, when, and the gift receipt code — never a price',
          }),
        ),
        recipient_name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
      },
      { description: 'a gift: no prices on the packing slip; the order gets a gift receipt code for the recipient' },
    ),
  ),
});

const Availability = Nullable(
  Type.Object({ status: StringEnum(['available', 'short', 'unavailable'] as const), available: Type.Integer() }),
);
export const CartSchema = Type.Object({
  id: Type.String(),
  channel_id: Type.String(),
  customer_id: Nullable(Type.String()),
  location_id: Nullable(Type.String()),
  status: StringEnum(CART_STATUSES),
  currency: Type.String(),
  coupons: Type.Array(Type.String()),
  coupon_results: Type.Array(
    Type.Object({ code: Type.String(), status: Type.String(), reason: Type.Optional(Type.String()) }),
  ),
  delivery: Nullable(Type.Object({ method: Type.String(), location_id: Type.Optional(Type.String()) })),
  lines: Type.Array(
    Type.Object({
      line_id: Type.String(),
      sku: Type.String(),
      quantity: Type.Integer(),
      unit_price: Nullable(Type.Integer()),
      discount: Nullable(Type.Integer()),
      total: Nullable(Type.Integer()),
      applied: Type.Array(Type.Unknown()),
      availability: Availability,
    }),
  ),
  totals: Nullable(
    Type.Object({
      subtotal: Type.Integer(),
      discount_total: Type.Integer(),
      tax_total: Type.Integer(),
      total: Type.Integer(),
      currency: Type.String(),
    }),
  ),
  free_shipping_threshold: Nullable(Type.Integer()),
  version: Type.Integer(),
  order_id: Nullable(Type.String()),
  merged_into: Nullable(Type.String()),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export const HandoffSchema = Type.Object({
  code: Type.String(),
  qr_payload: Type.String(),
  cart_id: Type.String(),
  expires_at: Timestamp,
});
export const DeliveryOptionsSchema = Type.Object({
  cart_id: Type.String(),
  options: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.String(),
      method: Type.String(),
      location_id: Nullable(Type.String()),
      name: Type.String(),
      price: Type.Object({ amount: Type.Integer(), currency: Type.String() }),
      promised_date: Type.String(),
      ready: Nullable(Type.String()),
      ready_by: Nullable(
        Type.String({
          format: 'date-time',
          description: 'pickup options at a location with opening hours: ready to collect from',
        }),
      ),
      collect_until: Nullable(
        Type.String({ format: 'date-time', description: 'the collect window closes then (that day’s closing)' }),
      ),
      source_location_ids: Type.Array(Type.String()),
    }),
  ),
});
export const DeliveryOptionsQuery = Type.Object({ country: Type.Optional(Country) });
