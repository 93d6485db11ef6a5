import { Type } from '@sinclair/typebox';
import { Quantity, Strict, StringEnum, Timestamp } from '../platform/http/schemas.js';
import { MANUAL_MOVEMENT_TYPES, MOVEMENT_TYPES, RESERVATION_STATUSES, TRANSFER_STATUSES } from './types.js';

const Sku = Type.String({ minLength: 1, maxLength: 64 });
const LocationRef = Type.String({ minLength: 1, maxLength: 64, description: 'location id or code' });
/** Signed int4: an adjustment may be negative; the service refuses zero. */
const SignedInt32 = Type.Integer({ minimum: -2147483647, maximum: 2147483647 });

export const SkuParam = Type.Object({ sku: Sku });
export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const LevelSchema = Type.Object({
  location_id: Type.String(),
  on_hand: Type.Integer(),
  reserved: Type.Integer(),
  safety_stock: Type.Integer(),
  in_transit: Type.Integer(),
  available: Type.Integer(),
  min_qty: Type.Union([Type.Integer(), Type.Null()]),
  max_qty: Type.Union([Type.Integer(), Type.Null()]),
});
export const SkuStockSchema = Type.Object({ sku: Type.String(), levels: Type.Array(LevelSchema) });

export const MovementSchema = Type.Object({
  id: Type.Integer(),
  sku: Type.String(),
  location_id: Type.String(),
  type: StringEnum(MOVEMENT_TYPES),
  quantity: Type.Integer(),
  on_hand_after: Type.Integer(),
  actor: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  reference: Type.Union([Type.String(), Type.Null()]),
  created_at: Timestamp,
});

export const MovementCreate = Strict({
  sku: Sku,
  location_id: LocationRef,
  type: StringEnum(MANUAL_MOVEMENT_TYPES),
  quantity: SignedInt32,
  reason: Type.Optional(Type.String({ maxLength: 500 })),
  reference: Type.Optional(Type.String({ maxLength: 200 })),
});
export const MovementResult = Type.Object({ level: LevelSchema, movement: Type.Union([MovementSchema, Type.Null()]) });

export const MovementsQuery = Type.Object({
  location_id: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
});

const Point = {
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  radius_km: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 20_000 })),
};
/** `fields=total`: the answer without `locations`, with `location_count` (AvailabilityTotalSchema). */
export const AVAILABILITY_FIELDS = ['total'] as const;
const Fields = Type.Optional(
  StringEnum(AVAILABILITY_FIELDS, {
    description:
      'total: answer without the location list — `available` as the full answer says it, and `location_count`, ' +
      'how many locations the full answer would list (within radius_km near a point). Omitted: the full answer.',
  }),
);
export const AvailabilityQuerystring = Type.Object({
  sku: Sku,
  channel: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  ...Point,
  fields: Fields,
});
export const AvailabilityBody = Strict({
  channel: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  skus: Type.Array(Sku, { minItems: 1, maxItems: 500 }),
  ...Point,
  fields: Fields,
});
export const AvailabilitySchema = Type.Object({
  sku: Type.String(),
  channel: Type.String(),
  available: Type.Integer(),
  locations: Type.Array(
    Type.Object({
      location_id: Type.String(),
      available: Type.Integer(),
      distance_km: Type.Union([Type.Number(), Type.Null()]),
    }),
  ),
});
/** The answer with `fields=total`: AvailabilitySchema without `locations`, plus their count. */
export const AvailabilityTotalSchema = Type.Object(
  {
    sku: Type.String(),
    channel: Type.String(),
    available: Type.Integer({ description: 'the same sum the full answer gives' }),
    location_count: Type.Integer({ description: 'how many locations the full answer lists' }),
  },
  { description: 'with fields=total' },
);
/** GET /v1/availability's 200: the full answer, or the total one with fields=total. */
export const AvailabilityAnswer = Type.Union([AvailabilitySchema, AvailabilityTotalSchema], {
  description: 'the full answer (locations listed), or with fields=total the total answer (location_count)',
});
/** POST /v1/availability/query's 200: one answer per distinct SKU, all full or all total. */
export const AvailabilityItems = Type.Union(
  [
    Type.Object({ items: Type.Array(AvailabilitySchema) }),
    Type.Object({ items: Type.Array(AvailabilityTotalSchema) }, { description: 'with fields=total' }),
  ],
  { description: 'one answer per distinct SKU: full, or with fields=total without the location lists' },
);

export const ReservationCreate = Strict({
  channel: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: 'channel id or code; defaults to the API key’s channel' }),
  ),
  lines: Type.Array(Strict({ sku: Sku, quantity: Quantity, location_id: Type.Optional(LocationRef) }), {
    minItems: 1,
    maxItems: 200,
  }),
  ttl_seconds: Type.Integer({ minimum: 1, maximum: 30 * 24 * 3600 }),
  reference: Type.String({ minLength: 1, maxLength: 200 }),
  customer_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
export const ReservationSchema = Type.Object({
  id: Type.String(),
  channel_id: Type.String(),
  reference: Type.String(),
  customer_id: Type.Union([Type.String(), Type.Null()]),
  status: StringEnum(RESERVATION_STATUSES),
  expires_at: Timestamp,
  created_at: Timestamp,
  lines: Type.Array(
    Type.Object({
      sku: Type.String(),
      location_id: Type.String(),
      quantity: Type.Integer(),
      confirmed: Type.Integer(),
    }),
  ),
});
export const ConfirmBody = Strict({
  lines: Type.Optional(
    Type.Array(Strict({ sku: Sku, location_id: Type.Optional(LocationRef), quantity: Quantity }), {
      minItems: 1,
      maxItems: 200,
    }),
  ),
});

export const TransferCreate = Strict({
  from_location_id: LocationRef,
  to_location_id: LocationRef,
  lines: Type.Array(Strict({ sku: Sku, quantity: Quantity }), { minItems: 1, maxItems: 500 }),
  reference: Type.Optional(Type.String({ maxLength: 200 })),
});
export const TransferReceive = Strict({
  lines: Type.Array(Strict({ sku: Sku, quantity: Type.Integer({ minimum: 0, maximum: 2147483647 }) }), {
    maxItems: 500,
  }),
  close: Type.Optional(Type.Boolean({ description: 'no more will arrive: book what is missing as discrepancy' })),
  reason: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 300,
      description: 'why the transfer came up short (damaged, missing…); kept with the closed transfer',
    }),
  ),
});
export const TransferSchema = Type.Object({
  id: Type.String(),
  from_location_id: Type.String(),
  to_location_id: Type.String(),
  status: StringEnum(TRANSFER_STATUSES),
  reference: Type.Union([Type.String(), Type.Null()]),
  created_at: Timestamp,
  updated_at: Timestamp,
  discrepancy_reason: Type.Union([Type.String(), Type.Null()]),
  lines: Type.Array(
    Type.Object({
      sku: Type.String(),
      shipped: Type.Integer(),
      received: Type.Integer(),
      discrepancy: Type.Union([Type.Integer(), Type.Null()]),
    }),
  ),
});

export const LevelParams = Type.Object({ sku: Sku, location_id: LocationRef });
export const LevelPatch = Strict({
  safety_stock: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647 })),
  min_qty: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 2147483647 }), Type.Null()])),
  max_qty: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 2147483647 }), Type.Null()])),
});
