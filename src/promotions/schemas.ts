import { Type } from '@sinclair/typebox';
import { Code, Currency, Quantity, Strict, StringEnum, Timestamp } from '../platform/http/schemas.js';
import { COUPON_KINDS, PROMOTION_KINDS, PROMOTION_STATUSES } from './types.js';

const Amount = Type.Integer({ minimum: 0, maximum: 99_999_999_999, description: 'minor units' });
// Negative and >100 % values pass the schema on purpose: rules.ts refuses them with a precise message.
const Percent = Type.Number({ description: 'percent, e.g. 12.5; more than 0 and at most 100' });
const SignedAmount = Type.Integer({ description: 'minor units' });
const Strs = (max = 1000) => Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: max });
const NullableTime = Type.Union([Timestamp, Type.Null()]);

const scopeFields = {
  skus: Type.Optional(Strs()),
  products: Type.Optional(Strs()),
  categories: Type.Optional(Strs()),
  sizes: Type.Optional(Strs()),
};
export const ScopeSchema = Strict(scopeFields, {
  description: 'which lines the promotion looks at; all listed dimensions must match, absent = any',
});

export const ConditionsSchema = Strict({
  channels: Type.Optional(Strs(100)),
  locations: Type.Optional(Strs()),
  segments: Type.Optional(Strs(100)),
  consents: Type.Optional(Strs(20)),
  first_order: Type.Optional(Type.Boolean()),
  min_subtotal: Type.Optional(SignedAmount),
});

export const ParamsSchema = Strict({
  percent: Type.Optional(Percent),
  amount: Type.Optional(SignedAmount),
  buy: Type.Optional(Type.Integer()),
  get: Type.Optional(Type.Integer()),
  get_percent: Type.Optional(Percent),
  tiers: Type.Optional(
    Type.Array(
      Strict({ threshold: SignedAmount, amount: Type.Optional(SignedAmount), percent: Type.Optional(Percent) }),
      { maxItems: 20 },
    ),
  ),
  threshold: Type.Optional(SignedAmount),
  bundle: Type.Optional(
    Strict({
      price: SignedAmount,
      components: Type.Array(Strict({ ...scopeFields, quantity: Type.Integer() }), { maxItems: 10 }),
    }),
  ),
});

export const StackingSchema = Strict({
  exclusive: Type.Optional(Type.Boolean()),
  priority: Type.Optional(Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 })),
  group: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
});

const editable = {
  code: Type.Optional(Type.Union([Code, Type.Null()])),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  status: Type.Optional(StringEnum(PROMOTION_STATUSES)),
  currency: Type.Optional(Currency),
  params: Type.Optional(ParamsSchema),
  scope: Type.Optional(ScopeSchema),
  conditions: Type.Optional(ConditionsSchema),
  stacking: Type.Optional(StackingSchema),
  coupon_required: Type.Optional(Type.Boolean()),
  starts_at: Type.Optional(NullableTime),
  ends_at: Type.Optional(NullableTime),
};

export const PromotionCreate = Strict({ ...editable, kind: StringEnum(PROMOTION_KINDS) });
export const PromotionPatch = Strict({ ...editable, name: Type.Optional(editable.name) });

export const PromotionSchema = Type.Object({
  id: Type.String(),
  code: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  description: Type.String(),
  kind: StringEnum(PROMOTION_KINDS),
  status: StringEnum(PROMOTION_STATUSES),
  currency: Type.String(),
  params: Type.Object({}, { additionalProperties: true }),
  scope: Type.Object({}, { additionalProperties: true }),
  conditions: Type.Object({}, { additionalProperties: true }),
  stacking: Type.Object({
    exclusive: Type.Boolean(),
    priority: Type.Integer(),
    group: Type.Union([Type.String(), Type.Null()]),
  }),
  coupon_required: Type.Boolean(),
  starts_at: NullableTime,
  ends_at: NullableTime,
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const CouponsCreate = Strict({
  kind: StringEnum(COUPON_KINDS),
  code: Type.Optional(Type.String({ minLength: 3, maxLength: 60 })),
  count: Type.Optional(Type.Integer({ description: 'single_use: how many codes, 1 to 10000' })),
  prefix: Type.Optional(Type.String({ maxLength: 8 })),
  customer_id: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
  max_redemptions: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 2147483647 }), Type.Null()])),
  per_customer_limit: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 2147483647 }), Type.Null()])),
  starts_at: Type.Optional(NullableTime),
  ends_at: Type.Optional(NullableTime),
});
export const CouponsCreated = Type.Object({
  batch_id: Type.Union([Type.String(), Type.Null()]),
  count: Type.Integer(),
  codes: Type.Array(Type.String()),
});

export const CouponSchema = Type.Object({
  code: Type.String(),
  promotion_id: Type.String(),
  kind: StringEnum(COUPON_KINDS),
  batch_id: Type.Union([Type.String(), Type.Null()]),
  customer_id: Type.Union([Type.String(), Type.Null()]),
  max_redemptions: Type.Union([Type.Integer(), Type.Null()]),
  per_customer_limit: Type.Union([Type.Integer(), Type.Null()]),
  redemptions: Type.Integer(),
  starts_at: NullableTime,
  ends_at: NullableTime,
  active: Type.Boolean(),
  created_at: Timestamp,
});

export const QuoteBody = Strict({
  channel: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description: "id or code; defaults to the API key's channel, required for staff",
    }),
  ),
  currency: Type.Optional(Currency),
  customer_id: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
  location_id: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
  lines: Type.Array(
    Strict({
      sku: Type.String({ minLength: 1, maxLength: 64 }),
      quantity: Quantity,
      line_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    }),
    { minItems: 1, maxItems: 500 },
  ),
  coupons: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 10 })),
  shipping: Type.Optional(
    Type.Union([Strict({ method: Type.String({ minLength: 1, maxLength: 64 }), amount: Amount }), Type.Null()]),
  ),
});

/*
 * The quote's response schema is complete and closed so Fastify serialises it with fast-json-stringify
 * along its fast path: every property typed, no `anyOf` (a union makes the serialiser run a validator
 * on the value to pick a branch, so nullable fields use `type: [T, 'null']`), no open objects.
 */
const Closed = { additionalProperties: false } as const;
const NullableString = Type.Unsafe<string | null>({ type: ['string', 'null'] });
const Applied = Type.Object(
  {
    promotion_id: Type.String(),
    name: Type.String(),
    amount: Type.Integer({ description: 'minor units taken off the line' }),
    reason: Type.String({ description: "what the promotion gives, e.g. '10% off', 'buy 2 get 1 free'" }),
  },
  Closed,
);
const NotApplied = Type.Object({ promotion_id: Type.String(), reason: Type.String() }, Closed);
const EXPLAIN_ONLY = 'only with `explain=true`';
export const QuoteQuery = Type.Object({
  explain: Type.Optional(
    Type.Boolean({
      default: false,
      description:
        'also say why each promotion that looked at a line or the basket did not apply (`not_applied`, per line and per basket). Off by default: amounts, `applied` and coupon verdicts are the same either way, and a quote without explanations is cheaper',
    }),
  ),
});
export const QuoteSchema = Type.Object(
  {
    currency: Type.String(),
    channel_id: Type.String(),
    lines: Type.Array(
      Type.Object(
        {
          line_id: Type.String(),
          sku: Type.String(),
          quantity: Type.Integer(),
          unit_price: Type.Integer(),
          list_amount: Type.Integer(),
          discount: Type.Integer(),
          total: Type.Integer(),
          tax_rate: Type.Number(),
          tax_amount: Type.Integer(),
          applied: Type.Array(Applied),
          not_applied: Type.Optional(Type.Array(NotApplied, { description: EXPLAIN_ONLY })),
        },
        Closed,
      ),
    ),
    subtotal: Type.Integer(),
    discount_total: Type.Integer(),
    shipping: Type.Object(
      {
        method: NullableString,
        amount: Type.Integer(),
        discount: Type.Integer(),
        free_shipping_reason: Type.Optional(Type.String()),
      },
      Closed,
    ),
    tax_total: Type.Integer(),
    tax_breakdown: Type.Array(Type.Object({ rate: Type.Number(), base: Type.Integer(), tax: Type.Integer() }, Closed)),
    total: Type.Integer(),
    coupons: Type.Array(
      Type.Object(
        {
          code: Type.String(),
          status: StringEnum(['applied', 'rejected'] as const),
          reason: Type.Optional(Type.String({ description: 'why a rejected coupon was rejected' })),
        },
        Closed,
      ),
    ),
    free_shipping_threshold: Type.Optional(Type.Integer()),
    not_applied: Type.Optional(
      Type.Array(NotApplied, { description: `basket-level promotions (shipping) that did not apply; ${EXPLAIN_ONLY}` }),
    ),
  },
  Closed,
);

export const CouponValidateBody = Strict({
  code: Type.String({ minLength: 1, maxLength: 60 }),
  channel: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  customer_id: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
});
export const CouponCheckSchema = Type.Object({
  code: Type.String(),
  valid: Type.Boolean(),
  reason: Type.Optional(Type.String()),
  reason_code: Type.Optional(Type.String()),
  promotion: Type.Optional(Type.Object({ id: Type.String(), name: Type.String() })),
});
