import { Type } from '@sinclair/typebox';
import { Code, Country, Currency, Strict, StringEnum, Timestamp } from '../platform/http/schemas.js';
import { CAPABILITIES, CHANNEL_TYPES, LOCATION_TYPES, WEEKDAYS } from './types.js';

export const StockPolicySchema = Strict({
  locations: Type.Union([Type.Literal('all'), Type.Array(Type.String(), { maxItems: 5000 })]),
  safety_stock: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  buffer_pct: Type.Integer({ minimum: 0, maximum: 100 }),
});

export const ChannelSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  type: StringEnum(CHANNEL_TYPES),
  name: Type.String(),
  currency: Type.String(),
  country: Type.String(),
  stock_policy: Type.Object({
    locations: Type.Union([Type.Literal('all'), Type.Array(Type.String())]),
    safety_stock: Type.Integer(),
    buffer_pct: Type.Integer(),
  }),
  active: Type.Boolean(),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const ChannelCreate = Strict({
  code: Code,
  type: StringEnum(CHANNEL_TYPES),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  currency: Type.Optional(Currency),
  country: Type.Optional(Country),
  stock_policy: Type.Optional(Type.Partial(StockPolicySchema, { additionalProperties: false })),
  active: Type.Optional(Type.Boolean()),
});
export const ChannelPatch = Strict({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  currency: Type.Optional(Currency),
  country: Type.Optional(Country),
  stock_policy: Type.Optional(Type.Partial(StockPolicySchema, { additionalProperties: false })),
  active: Type.Optional(Type.Boolean()),
});

export const AddressSchema = Strict({
  line1: Type.String({ minLength: 1, maxLength: 300 }),
  line2: Type.Optional(Type.String({ maxLength: 300 })),
  city: Type.String({ minLength: 1, maxLength: 120 }),
  postal_code: Type.String({ minLength: 1, maxLength: 20 }),
  region: Type.Optional(Type.String({ maxLength: 120 })),
  country: Country,
});

const Interval = Type.Tuple([Type.String({ pattern: '^\\d\\d:\\d\\d$' }), Type.String({ pattern: '^\\d\\d:\\d\\d$' })]);
export const OpeningHoursSchema = Type.Partial(
  Type.Object(Object.fromEntries(WEEKDAYS.map((d) => [d, Type.Array(Interval, { maxItems: 4 })]))),
  {
    additionalProperties: false,
  },
);

const locationFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lng: Type.Number({ minimum: -180, maximum: 180 }),
  address: AddressSchema,
  capabilities: Type.Array(StringEnum(CAPABILITIES), { maxItems: 4, uniqueItems: true }),
  opening_hours: OpeningHoursSchema,
  timezone: Type.String({ minLength: 1, maxLength: 64 }),
  daily_capacity: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  active: Type.Boolean(),
};

export const LocationCreate = Strict({
  code: Code,
  type: StringEnum(LOCATION_TYPES),
  name: locationFields.name,
  lat: locationFields.lat,
  lng: locationFields.lng,
  address: locationFields.address,
  capabilities: Type.Optional(locationFields.capabilities),
  opening_hours: Type.Optional(locationFields.opening_hours),
  timezone: Type.Optional(locationFields.timezone),
  daily_capacity: Type.Optional(locationFields.daily_capacity),
  active: Type.Optional(locationFields.active),
});
export const LocationPatch = Type.Partial(Strict(locationFields), { additionalProperties: false });

export const LocationSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  type: StringEnum(LOCATION_TYPES),
  ...locationFields,
  address: Type.Object({}, { additionalProperties: true }),
  opening_hours: Type.Object({}, { additionalProperties: true }),
  created_at: Timestamp,
  updated_at: Timestamp,
});
