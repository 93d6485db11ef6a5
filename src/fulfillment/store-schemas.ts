import { Type, type TSchema } from '@sinclair/typebox';
import { StringEnum, Timestamp } from '../platform/http/schemas.js';
import { QUEUE_KINDS, QUEUE_TABS } from './queue-rules.js';
import { FulfillmentSchema } from './schemas.js';

const Str = Type.String();
const OrNull = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Line = Type.Object({ line_id: Str, sku: Str, quantity: Type.Integer() });

export const TaskPromiseSchema = OrNull(
  Type.Object(
    {
      kind: StringEnum(['accept_by', 'ship_by', 'collect_by'] as const),
      due: Timestamp,
      late: Type.Boolean({ description: 'the deadline has passed (the app shows it red)' }),
    },
    { description: 'pending: accept by the SLA deadline; then ship by / ready to collect by the promised date' },
  ),
);

export const QueueQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  location_id: Type.Optional(Type.String({ maxLength: 64 })),
  tab: StringEnum(QUEUE_TABS, {
    description: 'open: to accept, pick, pack, ship or ready; ready: waiting for the customer; completed',
  }),
  kind: Type.Optional(StringEnum(QUEUE_KINDS, { description: 'ship: ship from store; collect: click & collect' })),
});

export const QueueItemSchema = Type.Composite([
  FulfillmentSchema,
  Type.Object({
    units: Type.Integer(),
    promise: TaskPromiseSchema,
    gift: OrNull(Type.Boolean({ description: 'null while orders carry no gift flag' })),
    location_name: OrNull(Str),
    destination_name: OrNull(Str),
  }),
]);

export const SheetLineSchema = Type.Object({
  line_id: Str,
  sku: Str,
  quantity: Type.Integer(),
  product_name: OrNull(Str),
  gtin: OrNull(Str),
  size: OrNull(Str),
  colour: OrNull(Str),
  weight_g: OrNull(Type.Integer()),
  unit_price: OrNull(Type.Integer({ description: 'minor units; null on a gift order' })),
});

export const SheetSchema = Type.Object({
  task: FulfillmentSchema,
  promise: TaskPromiseSchema,
  gift: OrNull(Type.Boolean({ description: 'null while orders carry no gift flag' })),
  gift_message: OrNull(Str),
  currency: OrNull(Str),
  order: OrNull(
    Type.Object({
      id: Str,
      placed_at: Timestamp,
      channel_type: Str,
      delivery_method: Str,
      collect_at: OrNull(Str),
      ship_to: OrNull(Type.Object({ name: OrNull(Str), line1: Str, city: Str, postal_code: Str, country: Str })),
    }),
  ),
  location_name: OrNull(Str),
  destination_name: OrNull(Str),
  lines: Type.Array(SheetLineSchema),
  pickup_notified_at: OrNull(Timestamp),
  elsewhere: Type.Array(
    Type.Object({
      id: Str,
      location_id: Str,
      location_name: OrNull(Str),
      status: Str,
      lines: Type.Array(Line),
      reject_reason: OrNull(Str),
    }),
    { description: "the order's other tasks: where refused or short-picked lines went" },
  ),
});

export const ScanQuery = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 64, description: 'a GTIN or SKU, scanned or typed' }),
});

export const ScanSchema = Type.Object({
  line_id: Str,
  sku: Str,
  quantity: Type.Integer(),
  gtin: OrNull(Str),
  size: OrNull(Str),
  product_name: OrNull(Str),
});

export const ResourcedSchema = Type.Array(
  Type.Object({
    decision_id: Str,
    tasks: Type.Array(
      Type.Object({
        id: Str,
        location_id: Str,
        location_name: OrNull(Str),
        status: Str,
        lines: Type.Array(Line),
      }),
    ),
    unsourced: Type.Array(Line),
  }),
  { description: 'reject, short pick: where the refused or missing lines were sourced again' },
);

export const ActionAnswerSchema = Type.Composite([
  FulfillmentSchema,
  Type.Object({ resourced: Type.Optional(ResourcedSchema) }),
]);
