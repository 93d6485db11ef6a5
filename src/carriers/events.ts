import { Type, type TObject } from '@sinclair/typebox';
import { defineEvents, type PayloadsOf } from '../platform/events/types.js';

const Str = Type.String();
const shipment = {
  shipment_id: Str,
  fulfillment_id: Str,
  order_id: Str,
  carrier: Str,
};

/** The events the carriers module emits (see docs/events.md). */
export const carrierEvents = defineEvents({
  'carrier.label_created': Type.Object(
    { ...shipment, tracking_number: Str, tracking_url: Type.Union([Str, Type.Null()]), label_format: Str },
    { description: 'The carrier made a shipment and its label for a fulfillment task.' },
  ),
  'carrier.label_failed': Type.Object(
    { ...shipment, error: Str },
    { description: 'The carrier refused a label request, or it ran out of retries: a person must look.' },
  ),
  'carrier.tracking_updated': Type.Object(
    {
      ...shipment,
      tracking_number: Str,
      status: Str,
      new_checkpoints: Type.Integer(),
      source: Type.Union([Type.Literal('poll'), Type.Literal('webhook')]),
    },
    { description: 'New tracking checkpoints arrived for a shipment (polled or pushed).' },
  ),
} satisfies Record<string, TObject>);

export type CarrierEventType = keyof typeof carrierEvents;

declare module '../platform/events/types.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the members
  interface EventMap extends PayloadsOf<typeof carrierEvents> {}
}
