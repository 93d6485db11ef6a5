import { Type, type TObject } from '@sinclair/typebox';
import { defineEvents, type PayloadsOf } from '../platform/events/types.js';

const Str = Type.String();
const OrNull = Type.Union([Str, Type.Null()]);
/** Every transition event carries the task as it now is. */
const task = (description: string) =>
  Type.Object(
    {
      id: Str,
      order_id: Str,
      customer_id: OrNull,
      location_id: Str,
      method: Str,
      status: Str,
      lines: Type.Array(Type.Unknown()),
      reason: Type.Optional(Str),
      split_from: Type.Optional(Type.String({ description: 'rejected: the task some of whose units were refused' })),
      tracking: Type.Optional(Type.Union([Str, Type.Null()], { description: 'shipped: the tracking number' })),
      carrier: Type.Optional(
        Type.Union([Str, Type.Null()], {
          description: 'shipped: the carrier named at ship (a marketplace is told it)',
        }),
      ),
      transfer_id: Type.Optional(
        Type.Union([Str, Type.Null()], { description: 'shipped: the stock transfer of a click & collect leg' }),
      ),
    },
    { description },
  );
const TRANSITIONS = {
  'fulfillment.accepted': 'A store or warehouse accepted a task.',
  'fulfillment.rejected': 'A task was rejected (or timed out): it is sourced again.',
  'fulfillment.picked': 'A task was picked.',
  'fulfillment.packed': 'A task was packed.',
  'fulfillment.shipped': 'A task was shipped (with tracking).',
  'fulfillment.in_transit': 'A click & collect task left for the collection store.',
  'fulfillment.handed_over': 'The customer collected the order.',
  'fulfillment.returned_to_stock': 'An uncollected order went back to stock.',
  'fulfillment.cancelled': 'A task was cancelled.',
  'fulfillment.delivered': 'The carrier delivered a home delivery (its tracking said so).',
} as const;
type TransitionType = keyof typeof TRANSITIONS;
const transitions = Object.fromEntries(Object.entries(TRANSITIONS).map(([k, d]) => [k, task(d)])) as Record<
  TransitionType,
  ReturnType<typeof task>
>;

/** The events fulfillment emits (see docs/events.md). */
export const fulfillmentEvents = defineEvents({
  ...transitions,
  'fulfillment.ready_for_pickup': Type.Object(
    {
      pickup_code: Type.Union([Str, Type.Null()]),
      location_id: Str,
      resent: Type.Optional(Type.Boolean({ description: 'sent again from the store app (same code)' })),
    },
    { description: 'An order is ready for pickup: the customer gets the pickup code.' },
  ),
  'fulfillment.pickup_unlocked': Type.Object(
    { id: Str, order_id: Str, location_id: Str },
    { description: 'A handover locked by wrong pickup codes was unlocked.' },
  ),
  'fulfillment.sourced': Type.Object(
    {
      order_id: Str,
      decision_id: Str,
      attempt: Type.Integer(),
      trigger: Str,
      cost: Type.Unknown(),
      fulfillment_ids: Type.Array(Str),
      unsourced: Type.Array(Type.Unknown()),
      reason: Type.Unknown(),
    },
    { description: 'Sourcing decided which locations fulfil an order.' },
  ),
  'fulfillment.created': Type.Object(
    {
      id: Str,
      order_id: Str,
      location_id: Str,
      method: Str,
      destination_location_id: OrNull,
      lines: Type.Unknown(),
      sla_deadline: Type.String({ format: 'date-time' }),
      customer_id: OrNull,
    },
    { description: 'A fulfillment task was created at a location.' },
  ),
  'fulfillment.unsourced': Type.Object(
    { order_id: Str, customer_id: OrNull, lines: Type.Array(Type.Unknown()) },
    { description: 'Some lines of an order could not be sourced anywhere.' },
  ),
} satisfies Record<string, TObject>);

export type FulfillmentEventType = keyof typeof fulfillmentEvents;

declare module '../platform/events/types.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the members
  interface EventMap extends PayloadsOf<typeof fulfillmentEvents> {}
}
