import { Type } from '@sinclair/typebox';
import { Strict, StringEnum, Timestamp } from '../platform/http/schemas.js';
import { CONSENT_PURPOSES, IDENTIFIER_KINDS } from './types.js';

const Str = (max: number) => Type.String({ minLength: 1, maxLength: max });
export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const IdentifiersInput = Strict({
  email: Type.Optional(Str(320)),
  phone: Type.Optional(Str(40)),
  loyalty_card: Type.Optional(Str(64)),
  pos_customer: Type.Optional(Str(64)),
  marketplace_buyer: Type.Optional(Str(64)),
  device_id: Type.Optional(Str(128)),
  anonymous_id: Type.Optional(Str(128)),
});

export const IdentifyBody = Strict({
  identifiers: IdentifiersInput,
  customer_id: Type.Optional(Str(64)),
  verified: Type.Optional(
    Type.Array(StringEnum(IDENTIFIER_KINDS), {
      uniqueItems: true,
      maxItems: 7,
      description:
        'kinds the caller has verified (e.g. an email confirmed by link); verified emails never merge with another',
    }),
  ),
  first_name: Type.Optional(Str(200)),
  last_name: Type.Optional(Str(200)),
});
const ConflictSchema = Type.Object({
  other: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String(),
  detail: Type.String(),
  blocking: Type.Boolean(),
});
export const IdentifyResponse = Type.Object({
  customer_id: Type.String(),
  created: Type.Boolean(),
  merged: Type.Boolean(),
  merged_ids: Type.Array(Type.String()),
  linked: Type.Array(Type.String(), {
    description:
      'kinds of the identifiers newly linked (values are not echoed: responses may be stored for idempotency)',
  }),
  conflicts: Type.Array(ConflictSchema),
});

/** Each event is validated one by one against its type's schema (event-schemas.ts), not here: a bad event must not fail its batch. */
export const EventsBody = Strict({ events: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 1000 }) });
export const EventsResponse = Type.Object({
  accepted: Type.Integer(),
  suppressed: Type.Integer({ description: 'valid events not stored: the person withdrew analytics consent' }),
  duplicates: Type.Integer({ description: 'events whose id was stored before (a retried batch)' }),
  rejected: Type.Array(
    Type.Object({ index: Type.Integer(), problem: Type.Object({}, { additionalProperties: true }) }),
  ),
});

const MoneyOut = Type.Object({ amount: Type.Integer(), currency: Type.String() });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
export const ConsentSchema = Type.Object({
  purpose: StringEnum(CONSENT_PURPOSES),
  granted: Type.Boolean(),
  source: Type.String(),
  updated_at: Timestamp,
});
export const Customer360Schema = Type.Object({
  id: Type.String(),
  status: Type.String(),
  merged_ids: Type.Array(Type.String()),
  first_name: Nullable(Type.String()),
  last_name: Nullable(Type.String()),
  has_account: Type.Boolean(),
  identifiers: Type.Array(
    Type.Object({
      kind: StringEnum(IDENTIFIER_KINDS),
      value: Type.String(),
      verified: Type.Boolean(),
      source: Type.Union([Type.String(), Type.Null()], {
        description: 'the identification that linked it, e.g. identify:<channel id>, event:<channel>',
      }),
      linked_at: Timestamp,
    }),
  ),
  consents: Type.Array(ConsentSchema),
  traits: Type.Object({
    preferred_sizes: Type.Array(Type.String()),
    preferred_store: Nullable(Type.String()),
    favourite_categories: Type.Array(Type.String()),
  }),
  metrics: Type.Object({
    orders_count: Type.Integer(),
    total_spent: Type.Union([MoneyOut, Type.Null()]),
    average_basket: Type.Union([MoneyOut, Type.Null()]),
    first_seen_at: Nullable(Timestamp),
    last_seen_at: Nullable(Timestamp),
    visits: Type.Integer(),
    visit_frequency_days: Type.Union([Type.Number(), Type.Null()]),
    churn_risk: Type.Object({
      score: Type.Number(),
      level: Type.String(),
      days_since_last_visit: Type.Union([Type.Integer(), Type.Null()]),
      rhythm_days: Type.Number(),
    }),
    rfm: Type.Object({ r: Type.Integer(), f: Type.Integer(), m: Type.Integer(), segment: Type.String() }),
    channel_mix: Type.Object({
      class: Type.String(),
      online_share: Type.Number(),
      store_share: Type.Number(),
      assisted_share: Type.Number(),
      by_channel: Type.Record(Type.String(), Type.Number()),
    }),
    returns_count: Type.Integer(),
  }),
  recent_orders: Type.Array(
    Type.Object({
      order_id: Type.String(),
      channel: Type.String(),
      placed_at: Timestamp,
      total: MoneyOut,
      status: Type.String(),
    }),
  ),
  viewed_not_bought: Type.Array(
    Type.Object({ product_id: Type.String(), views: Type.Integer(), last_viewed_at: Timestamp }),
  ),
  created_at: Timestamp,
});

export const ConsentsBody = Strict({
  consents: Type.Array(Strict({ purpose: StringEnum(CONSENT_PURPOSES), granted: Type.Boolean() }), {
    minItems: 1,
    maxItems: 5,
    uniqueItems: true,
  }),
  source: Type.Optional(Str(100)),
});

export const RecommendationsResponse = Type.Object({
  customer_id: Type.String(),
  personalised: Type.Boolean(),
  items: Type.Array(
    Type.Object({
      product_id: Type.String(),
      sku: Nullable(Type.String()),
      reason: StringEnum(['bought_together', 'viewed_not_bought'] as const),
      score: Type.Number(),
    }),
  ),
});

export const RegisterBody = Strict({
  email: Str(320),
  password: Type.String({ minLength: 12, maxLength: 1024 }),
  first_name: Type.Optional(Str(200)),
  last_name: Type.Optional(Str(200)),
});
export const LoginBody = Strict({ email: Str(320), password: Type.String({ minLength: 1, maxLength: 1024 }) });
export const TokenResponse = Type.Object({ customer_id: Type.String(), token: Type.String(), expires_at: Timestamp });

export const SegmentBody = Strict({
  name: Str(200),
  definition: Type.Object({}, { additionalProperties: true, description: 'condition language: see docs/customers.md' }),
});
export const SegmentSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  definition: Type.Unknown(),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export const MergeBody = Strict({ customer_id: Str(64) });
