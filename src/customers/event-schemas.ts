/**
 * One JSON schema per behaviour event type, compiled once at start-up (TypeBox's compiler emits a
 * plain JS checker, ~10× faster than interpreting the schema per event). The envelope is checked
 * here too, so a batch costs one check per event and no allocation on the happy path.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { FieldError } from '../platform/http/problems.js';
import { EVENT_TYPES, type EventType } from './types.js';

/** Serialized properties larger than this are refused: events are facts, not documents. */
export const MAX_PROPERTIES_BYTES = 8 * 1024;
/** Clocks drift; an event stamped further than this in the future is refused. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** Beyond this age an event is refused (it would land in no useful partition or metric). */
export const MAX_AGE_MS = 3 * 365 * 86_400_000;

const S = (max = 128) => Type.String({ minLength: 1, maxLength: max });
const Int = (min = 0) => Type.Integer({ minimum: min, maximum: 2147483647 });
const MoneyProp = Type.Object(
  { amount: Type.Integer({ minimum: 0, maximum: 99_999_999_999 }), currency: Type.String({ pattern: '^[A-Z]{3}$' }) },
  { additionalProperties: false },
);
/** Properties may carry extra keys (clients add context) but the named ones are typed. */
const Props = (props: Record<string, TSchema>) => Type.Object(props, { additionalProperties: true });

export const PROPERTY_SCHEMAS: Record<EventType, TSchema> = {
  product_viewed: Props({
    product_id: S(),
    sku: Type.Optional(S()),
    category: Type.Optional(S(100)),
    size: Type.Optional(S(20)),
    price: Type.Optional(MoneyProp),
  }),
  search: Props({ query: S(500), results: Type.Optional(Int()) }),
  added_to_cart: Props({
    sku: S(),
    product_id: Type.Optional(S()),
    quantity: Int(1),
    cart_id: Type.Optional(S()),
    size: Type.Optional(S(20)),
    category: Type.Optional(S(100)),
  }),
  removed_from_cart: Props({ sku: S(), product_id: Type.Optional(S()), quantity: Int(1), cart_id: Type.Optional(S()) }),
  checkout_started: Props({ cart_id: Type.Optional(S()), value: Type.Optional(MoneyProp) }),
  order_placed: Props({ order_id: S(), total: Type.Optional(MoneyProp) }),
  store_visit: Props({ location_id: S(64), duration_s: Type.Optional(Int()) }),
  return_made: Props({ order_id: Type.Optional(S()), sku: Type.Optional(S()), reason: Type.Optional(S(500)) }),
  contact_made: Props({
    medium: Type.Optional(
      Type.Union([
        Type.Literal('phone'),
        Type.Literal('chat'),
        Type.Literal('email'),
        Type.Literal('social'),
        Type.Literal('in_store'),
      ]),
    ),
    reason: Type.Optional(S(500)),
  }),
  email_opened: Props({ campaign_id: Type.Optional(S()), message_id: Type.Optional(S()) }),
  coupon_redeemed: Props({ code: S(64), order_id: Type.Optional(S()) }),
  page_viewed: Props({ path: S(2000), referrer: Type.Optional(S(2000)) }),
};

const IdentifiersSchema = Type.Object(
  {
    email: Type.Optional(S(320)),
    phone: Type.Optional(S(40)),
    loyalty_card: Type.Optional(S(64)),
    pos_customer: Type.Optional(S(64)),
    marketplace_buyer: Type.Optional(S(64)),
    device_id: Type.Optional(S(128)),
  },
  { additionalProperties: false },
);

function envelope<T extends EventType>(type: T) {
  return Type.Object(
    {
      id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_:.-]{1,64}$' })),
      type: Type.Literal(type),
      timestamp: Type.String({ minLength: 10, maxLength: 40 }),
      channel: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
      customer_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
      anonymous_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
      identifiers: Type.Optional(IdentifiersSchema),
      properties: PROPERTY_SCHEMAS[type],
    },
    { additionalProperties: false },
  );
}

const CHECKERS = new Map<string, TypeCheck<TSchema>>(EVENT_TYPES.map((t) => [t, TypeCompiler.Compile(envelope(t))]));

export interface RawEvent {
  id?: string;
  type: EventType;
  timestamp: string;
  channel?: string;
  customer_id?: string;
  anonymous_id?: string;
  identifiers?: {
    email?: string;
    phone?: string;
    loyalty_card?: string;
    pos_customer?: string;
    marketplace_buyer?: string;
    device_id?: string;
  };
  properties: Record<string, unknown>;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

/** Checks one event's shape; returns its parsed time or the field errors. */
export function checkEvent(
  e: unknown,
  nowMs: number,
):
  | { ok: true; event: RawEvent; ts: number }
  | { ok: false; errors: FieldError[]; type: 'validation_failed' | 'unknown_event_type' } {
  if (typeof e !== 'object' || e === null || Array.isArray(e))
    return { ok: false, type: 'validation_failed', errors: [{ field: '', message: 'must be an object' }] };
  const type = (e as { type?: unknown }).type;
  const checker = typeof type === 'string' ? CHECKERS.get(type) : undefined;
  if (!checker)
    return {
      ok: false,
      type: 'unknown_event_type',
      errors: [{ field: '/type', message: `must be one of ${EVENT_TYPES.join(', ')}` }],
    };
  if (!checker.Check(e)) {
    const errors = [...checker.Errors(e)].slice(0, 5).map((x) => ({ field: x.path, message: x.message }));
    return { ok: false, type: 'validation_failed', errors };
  }
  const ev = e as RawEvent;
  const ts = ISO.test(ev.timestamp) ? Date.parse(ev.timestamp) : NaN;
  if (Number.isNaN(ts))
    return {
      ok: false,
      type: 'validation_failed',
      errors: [{ field: '/timestamp', message: 'must be an ISO 8601 date-time with a zone' }],
    };
  if (ts > nowMs + FUTURE_TOLERANCE_MS)
    return {
      ok: false,
      type: 'validation_failed',
      errors: [{ field: '/timestamp', message: `is more than ${FUTURE_TOLERANCE_MS / 60000} minutes in the future` }],
    };
  if (ts < nowMs - MAX_AGE_MS)
    return {
      ok: false,
      type: 'validation_failed',
      errors: [{ field: '/timestamp', message: 'is older than three years' }],
    };
  return { ok: true, event: ev, ts };
}
