import { Type } from '@sinclair/typebox';
import { defineEvents, type PayloadsOf } from '../platform/events/types.js';

const Str = Type.String();
const Int = Type.Integer();
const Reservation = (description: string) =>
  Type.Object(
    {
      id: Str,
      channel_id: Str,
      reference: Str,
      customer_id: Type.Union([Str, Type.Null()]),
      status: Str,
      expires_at: Type.String({ format: 'date-time' }),
      lines: Type.Array(Type.Object({ sku: Str, location_id: Str, quantity: Int })),
    },
    { description },
  );

/** The events inventory emits (see docs/events.md). */
export const inventoryEvents = defineEvents({
  'inventory.changed': Type.Object(
    {
      sku: Str,
      location_id: Str,
      on_hand: Int,
      reserved: Int,
      in_transit: Int,
      available: Int,
      availability: Type.Record(Str, Int, { description: 'what each channel may now promise, by channel code' }),
    },
    { description: 'A stock level changed at a location.' },
  ),
  'reservation.created': Reservation('Stock was reserved.'),
  'reservation.confirmed': Reservation('Reserved stock was sold (taken off on-hand).'),
  'reservation.released': Reservation('A reservation was released.'),
  'reservation.expired': Reservation('A reservation expired and its stock was released.'),
  'transfer.dispatched': Type.Object(
    {
      id: Str,
      from_location_id: Str,
      to_location_id: Str,
      lines: Type.Array(Type.Object({ sku: Str, quantity: Int })),
    },
    { description: 'A transfer left its origin (stock in transit).' },
  ),
  'transfer.received': Type.Object(
    {
      id: Str,
      status: Str,
      lines: Type.Array(Type.Object({ sku: Str, received: Int, discrepancy: Type.Union([Int, Type.Null()]) })),
    },
    { description: 'A transfer was received at its destination.' },
  ),
});

/** The reservation events, for the helper that builds them. */
export type ReservationEventType =
  'reservation.created' | 'reservation.confirmed' | 'reservation.released' | 'reservation.expired';

declare module '../platform/events/types.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the members
  interface EventMap extends PayloadsOf<typeof inventoryEvents> {}
}
