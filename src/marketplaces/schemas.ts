import { Type } from '@sinclair/typebox';

const Str = Type.String();
const Settings = Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 2048 }));

export const ConnectionParam = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const OrderParam = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const ConnectionCreate = Type.Object(
  {
    channel: Type.String({ minLength: 1, maxLength: 64, description: 'the marketplace channel (id or code)' }),
    provider: Type.String({ minLength: 1, maxLength: 32, description: 'amazon, aliexpress' }),
    base_url: Type.String({ minLength: 1, maxLength: 512, description: "the provider's API endpoint" }),
    credentials: Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 4096 }), {
      description: 'stored encrypted (AES-256-GCM); never shown again',
    }),
    settings: Type.Optional(Settings),
    feed_interval_s: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400 })),
    orders_interval_s: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400 })),
    orders_since: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const ConnectionPatch = Type.Object(
  {
    base_url: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    credentials: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 4096 }))),
    settings: Type.Optional(Settings),
    feed_interval_s: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400 })),
    orders_interval_s: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ConnectionSchema = Type.Object({
  id: Str,
  channel_id: Str,
  provider: Str,
  base_url: Str,
  settings: Settings,
  credential_names: Type.Array(Str, { description: 'which credentials are set (never their values)' }),
  feed_interval_s: Type.Integer(),
  orders_interval_s: Type.Integer(),
  active: Type.Boolean(),
  orders_since: Type.String({ format: 'date-time' }),
  last_error: Type.Union([Str, Type.Null()]),
  last_import_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'when the order import last finished a run',
  }),
  last_import_count: Type.Union([Type.Integer(), Type.Null()], { description: 'orders that run saw' }),
  last_feed: Type.Union([
    Type.Object({
      id: Str,
      state: Type.Union([
        Type.Literal('sending'),
        Type.Literal('pending'),
        Type.Literal('done'),
        Type.Literal('failed'),
      ]),
      items: Type.Integer({ description: 'SKUs it carried' }),
      error: Type.Union([Str, Type.Null()]),
      created_at: Type.String({ format: 'date-time' }),
      finished_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    }),
    Type.Null(),
  ]),
  open_exceptions: Type.Integer({ description: 'imported orders waiting for staff (status exception)' }),
  pending_updates: Type.Integer({ description: 'offers whose stock or price waits for the next feed' }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export const ProviderSchema = Type.Object({
  provider: Str,
  default_base_url: Str,
  credentials: Type.Array(Str, { description: 'credential names the connector reads' }),
  settings: Type.Array(Type.Object({ name: Str, required: Type.Boolean() })),
});

export const PublishBody = Type.Object(
  { skus: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 200 }) },
  { additionalProperties: false },
);

export const PublishResult = Type.Object({
  results: Type.Array(
    Type.Object({
      sku: Str,
      ok: Type.Boolean(),
      external_id: Type.Optional(Type.Union([Str, Type.Null()])),
      message: Type.Optional(Str),
    }),
  ),
});

export const OfferSchema = Type.Object({
  sku: Str,
  status: Type.Union([Type.Literal('pending'), Type.Literal('listed'), Type.Literal('refused')]),
  external_id: Type.Union([Str, Type.Null()]),
  message: Type.Union([Str, Type.Null()]),
  published_quantity: Type.Union([Type.Integer(), Type.Null()]),
  published_price: Type.Union([Type.Integer(), Type.Null()]),
  published_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  pending_update: Type.Boolean({ description: 'a stock or price change waits for the next feed' }),
});

export const OrderStatus = Type.Union([
  Type.Literal('received'),
  Type.Literal('imported'),
  Type.Literal('exception'),
  Type.Literal('cancelled'),
  Type.Literal('resolved'),
]);

export const MarketplaceOrderSchema = Type.Object({
  id: Str,
  connection_id: Str,
  channel_id: Str,
  external_id: Type.String({ description: "the marketplace's order id" }),
  status: OrderStatus,
  order_id: Type.Union([Str, Type.Null()]),
  problem: Type.Union([Type.Object({ type: Str, detail: Str }), Type.Null()]),
  resolution: Type.Union([Str, Type.Null()], { description: "staff's note when resolved by hand" }),
  attempts: Type.Integer(),
  lines: Type.Array(
    Type.Object({
      external_line_id: Str,
      sku: Str,
      quantity: Type.Integer(),
      unit_price: Type.Union([Type.Object({ amount: Type.Integer(), currency: Str }), Type.Null()], {
        description: 'what the buyer paid on the marketplace (informational)',
      }),
    }),
  ),
  marketplace_status: Type.String({ description: "the marketplace's own status word" }),
  buyer_name: Type.Union([Str, Type.Null()]),
  ship_to: Type.Union([
    Type.Object({
      city: Type.Union([Str, Type.Null()]),
      postal_code: Type.Union([Str, Type.Null()]),
      country: Type.Union([Str, Type.Null()]),
    }),
    Type.Null(),
  ]),
  placed_at: Type.String({ format: 'date-time' }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export const CancelBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);

export const ResolveBody = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: 500, description: 'how the exception was settled' }) },
  { additionalProperties: false },
);

export const SyncResult = Type.Object({ orders: Type.Integer(), feeds: Type.Integer(), actions: Type.Integer() });
