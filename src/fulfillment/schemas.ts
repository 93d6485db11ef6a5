import { Type } from '@sinclair/typebox';
import { Strict, StringEnum, Timestamp } from '../platform/http/schemas.js';
import { ACTIONS, FULFILLMENT_STATUSES } from './rules.js';

const Line = Type.Object({ line_id: Type.String(), sku: Type.String(), quantity: Type.Integer() });

export const FulfillmentSchema = Type.Object({
  id: Type.String(),
  order_id: Type.String(),
  location_id: Type.String({ description: 'the location that picks and packs' }),
  method: StringEnum(['home', 'click_collect', 'pickup_point'] as const),
  destination_location_id: Type.Union([Type.String(), Type.Null()], {
    description: 'collect store or pickup point when not the source',
  }),
  status: StringEnum(FULFILLMENT_STATUSES),
  lines: Type.Array(Line),
  reservation_id: Type.Union([Type.String(), Type.Null()]),
  transfer_id: Type.Union([Type.String(), Type.Null()]),
  pickup_locked: Type.Boolean({
    description:
      'handover refused after too many wrong pickup codes, until unlocked (the code itself is never listed: only the customer gets it)',
  }),
  tracking: Type.Union([Type.String(), Type.Null()]),
  carrier: Type.Union([Type.String(), Type.Null()]),
  parcels: Type.Union([Type.Integer(), Type.Null()], { description: 'parcels the task was packed into' }),
  weight_g: Type.Union([Type.Integer(), Type.Null()], { description: 'packed weight in grams' }),
  sla_deadline: Timestamp,
  ready_at: Type.Union([Timestamp, Type.Null()]),
  reject_reason: Type.Union([Type.String(), Type.Null()]),
  decision_id: Type.String(),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const ActionBody = Strict({
  action: StringEnum(ACTIONS),
  pickup_code: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  tracking: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  carrier: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'ship: who carries it' })),
  parcels: Type.Optional(Type.Integer({ minimum: 1, maximum: 99, description: 'pack: how many parcels' })),
  weight_g: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'pack: the packed weight in grams' }),
  ),
  reason: Type.Optional(Type.String({ maxLength: 500, description: 'why a task is rejected' })),
  lines: Type.Optional(
    Type.Array(
      Strict({
        sku: Type.String({ minLength: 1, maxLength: 64 }),
        quantity: Type.Integer({ minimum: 0, maximum: 2147483647 }),
      }),
      {
        maxItems: 200,
        description:
          'pick: the units found, when fewer than reserved (the rest is sourced elsewhere); more than reserved is refused. ' +
          'reject: the units refused, when only some (the rest stays here and is accepted; the refused units are sourced elsewhere)',
      },
    ),
  ),
});

export const DecisionSchema = Type.Object({
  id: Type.String(),
  order_id: Type.String(),
  attempt: Type.Integer(),
  trigger: Type.String(),
  cost: Type.Integer({
    description: 'the plan’s cost in minor units (shipping, handling, split, last units, overstock)',
  }),
  allocations: Type.Array(Type.Object({}, { additionalProperties: true })),
  unsourced: Type.Array(Line),
  explanation: Type.Object({}, { additionalProperties: true }),
  created_at: Timestamp,
});
