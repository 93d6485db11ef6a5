import { Type } from '@sinclair/typebox';
import { Strict, StringEnum, Timestamp } from '../platform/http/schemas.js';
import { PageQuery } from '../platform/http/pagination.js';
import { CONVERSATION_STATUSES, MESSAGE_AUTHORS, MESSAGE_KINDS, QUEUE_VIEWS } from './types.js';
import { MAX_BODY } from './rules.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Text = Type.String({ minLength: 1, maxLength: MAX_BODY + 200 });

export const ConversationSchema = Type.Object(
  {
    id: Type.String(),
    channel_id: Type.String(),
    customer_id: Nullable(Type.String()),
    customer_verified: Type.Boolean({
      description: 'the person is known from the shopper’s own login or an agent’s check, not only a typed e-mail',
    }),
    shopper_name: Nullable(Type.String()),
    shopper_email: Nullable(Type.String()),
    status: StringEnum(CONVERSATION_STATUSES),
    assigned_to: Nullable(Type.String({ description: 'the agent (staff id) who holds it' })),
    assigned_at: Nullable(Timestamp),
    closed_at: Nullable(Timestamp),
    version: Type.Integer({ description: 'bumped by every change' }),
    last_seq: Type.Integer({ description: 'the seq of the last message' }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Conversation' },
);

export const HandedCartSchema = Type.Object({
  cart_id: Type.String(),
  code: Type.String({ description: 'the hand-off code: POST /v1/carts/claim { code } opens the cart' }),
  expires_at: Timestamp,
});

export const MessageSchema = Type.Object(
  {
    seq: Type.Integer({ description: '1, 2, 3 … per conversation' }),
    author: StringEnum(MESSAGE_AUTHORS),
    staff_id: Nullable(Type.String()),
    kind: StringEnum(MESSAGE_KINDS, { description: 'text; cart (a hand-over, see `cart`); event (closed)' }),
    body: Type.String(),
    cart: Type.Union([HandedCartSchema, Type.Null()]),
    created_at: Timestamp,
  },
  { $id: 'ConversationMessage' },
);

export const TranscriptSchema = Type.Object({
  conversation: ConversationSchema,
  messages: Type.Array(MessageSchema),
});
export const OpenedSchema = Type.Object({
  ...TranscriptSchema.properties,
  token: Type.String({
    description:
      'the conversation token, shown once: send it as X-Conversation-Token to read, write and stream this conversation',
  }),
});

export const OpenBody = Strict({
  channel: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: 'staff only: the channel id or code' }),
  ),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
  email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
  message: Type.Optional(Text),
});
export const PostBody = Strict({ body: Text });
export const HandOverBody = Strict({ cart_id: Type.String({ minLength: 1, maxLength: 64 }) });
export const LinkBody = Strict({ customer_id: Type.String({ minLength: 1, maxLength: 64 }) });
export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const TokenHeader = Type.Object({
  'x-conversation-token': Type.Optional(
    Type.String({ maxLength: 200, description: 'the token POST /v1/conversations answered (anonymous shoppers)' }),
  ),
});
export const AfterQuery = Type.Object({
  after: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, description: 'the last seq already held' })),
});
export const ListQuery = Type.Object({
  view: Type.Optional(StringEnum(QUEUE_VIEWS)),
  customer_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  ...PageQuery,
});
export const ConversationPage = Type.Object({
  items: Type.Array(ConversationSchema),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});
