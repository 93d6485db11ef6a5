import { Type } from '@sinclair/typebox';
import { Timestamp } from '../platform/http/schemas.js';
import { Customer360Schema, RecommendationsResponse } from './schemas.js';
import { QUERY_MAX, QUERY_MIN, SEARCH_LIMIT_MAX } from './search-rules.js';
import { NOTE_MAX } from './desk.js';

const Money = Type.Object({ amount: Type.Integer(), currency: Type.String() });
const NullableStr = Type.Union([Type.String(), Type.Null()]);

export const SearchQuery = Type.Object({
  query: Type.String({
    minLength: QUERY_MIN,
    maxLength: QUERY_MAX,
    description:
      'e-mail, phone in any format (a national number is read in the home country), loyalty card, order number, customer id or the start of a name',
  }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: SEARCH_LIMIT_MAX, default: 20 })),
});

export const SearchResultSchema = Type.Object({
  id: Type.String(),
  first_name: NullableStr,
  last_name: NullableStr,
  emails: Type.Array(Type.String()),
  phones: Type.Array(Type.String()),
  loyalty_cards: Type.Array(Type.String()),
  matched: Type.Array(Type.String(), { description: 'what matched: email, phone, loyalty_card, order, id, name…' }),
});
export const SearchResponse = Type.Object({
  items: Type.Array(SearchResultSchema),
  next_cursor: Type.Null({ description: 'the best matches only: refine the query for more' }),
  read_as: Type.Array(Type.String(), { description: 'how the query was read, e.g. phone:+34612345678' }),
});

export const NoteSchema = Type.Object({
  id: Type.String(),
  customer_id: Type.String(),
  body: Type.String(),
  author: Type.String(),
  created_at: Timestamp,
});
/** The body is not echoed: stored idempotent answers must not keep a note past the person's erasure. */
export const NoteCreated = Type.Object({ id: Type.String(), customer_id: Type.String(), created_at: Timestamp });
export const NoteBody = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: NOTE_MAX }) },
  { additionalProperties: false },
);

const OrderView = Type.Object({
  id: Type.String(),
  status: Type.String(),
  channel_id: Type.String(),
  channel_type: Type.String(),
  location_id: NullableStr,
  placed_at: Timestamp,
  total: Money,
  delivery: Type.Object({ method: Type.String(), location_id: Type.Optional(NullableStr) }),
  lines: Type.Array(
    Type.Object({
      line_id: Type.String(),
      sku: Type.String(),
      quantity: Type.Integer(),
      fulfilled_quantity: Type.Integer(),
      total: Type.Integer(),
    }),
  ),
});
const ReturnView = Type.Object({
  id: Type.String(),
  order_id: Type.String(),
  status: Type.String(),
  channel_id: Type.String(),
  location_id: Type.String(),
  refund: Money,
  lines: Type.Array(
    Type.Object({ line_id: Type.String(), sku: Type.String(), quantity: Type.Integer(), reason: Type.String() }),
  ),
  created_at: Timestamp,
});
const MergeView = Type.Object({
  id: Type.String(),
  survivor_id: Type.String(),
  absorbed_id: Type.String(),
  reason: Type.String(),
  created_at: Timestamp,
  undone_at: Type.Union([Timestamp, Type.Null()]),
  undone_by: NullableStr,
  absorbed: Type.Object({
    first_name: NullableStr,
    last_name: NullableStr,
    identifiers: Type.Array(Type.Object({ kind: Type.String(), value: Type.String() })),
  }),
});

export const Desk360Schema = Type.Object({
  profile: Customer360Schema,
  orders: Type.Array(OrderView),
  returns: Type.Array(ReturnView),
  recommendations: Type.Omit(RecommendationsResponse, ['customer_id']),
  merges: Type.Array(MergeView),
  notes: Type.Array(NoteSchema),
});
