/**
 * A reservation as the API shows it and as its events carry it, and a validated request ready to
 * reserve. Shared by reservations.ts and the hot-SKU batcher (batcher.ts), which reservations.ts
 * drives: kept apart so neither imports the other's module back (no import cycle).
 */
import type { DomainEvent } from '../platform/events/outbox.js';
import type { Channel } from '../network/index.js';
import type * as rstore from './store-reservations.js';
import type { Reservation, ReserveInput } from './types.js';
import type { ReservationEventType } from './events.js';

export interface PreparedReserve {
  channel: Channel;
  allowed: string[];
  lines: { sku: string; quantity: number; location_id?: string | undefined }[];
  input: ReserveInput;
}

export function toReservation(r: rstore.ReservationRow, lines: readonly rstore.ReservationLineRow[]): Reservation {
  return {
    id: r.id,
    channel_id: r.channel_id,
    reference: r.reference,
    customer_id: r.customer_id,
    status: r.status as Reservation['status'],
    expires_at: r.expires_at.toISOString(),
    created_at: r.created_at.toISOString(),
    lines: lines.map((l) => ({ sku: l.sku, location_id: l.location_id, quantity: l.quantity, confirmed: l.confirmed })),
  };
}

export function reservationEvent(
  type: ReservationEventType,
  r: {
    id: string;
    channel_id: string;
    reference: string;
    customer_id: string | null;
    status: string;
    expires_at: Date;
  },
  lines: readonly { sku: string; location_id: string; quantity: number }[],
): DomainEvent {
  return {
    type,
    aggregateId: r.id,
    payload: {
      id: r.id,
      channel_id: r.channel_id,
      reference: r.reference,
      customer_id: r.customer_id,
      status: r.status,
      expires_at: r.expires_at.toISOString(),
      lines: lines.map((l) => ({ sku: l.sku, location_id: l.location_id, quantity: l.quantity })),
    },
  };
}
