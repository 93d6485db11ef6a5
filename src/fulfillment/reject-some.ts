/**
 * Rejecting some lines of a task (store app: "I have the shirt but not the trousers"). The task
 * keeps the units it can do and is accepted with them; the refused units are split off into a
 * `rejected` task at the same location (so the order's history shows who refused what and why, and
 * sourcing never offers them to this location again), then sourced elsewhere — in the caller's
 * transaction, like a whole reject.
 */
import type { Tx } from '../platform/db/schema.js';
import { emit, type DomainEvent } from '../platform/events/outbox.js';
import { newId } from '../platform/ids.js';
import * as store from './store.js';
import type { FulfillmentLine } from './types.js';
import type { FulfillmentInventoryPort } from './ports.js';

export interface RejectSomeDeps {
  inventory: FulfillmentInventoryPort;
  /** Holds lines for the task at a location; returns the reservation id. */
  hold(trx: Tx, row: store.FulfillmentRow, lines: FulfillmentLine[], locationId: string): Promise<string>;
}

export async function rejectSome(
  deps: RejectSomeDeps,
  trx: Tx,
  row: store.FulfillmentRow,
  split: { rejected: FulfillmentLine[]; kept: FulfillmentLine[] },
  reason: string,
  now: Date,
): Promise<{ kept: store.FulfillmentRow; refused: store.FulfillmentRow }> {
  // The task's reservation covers every unit: release it and hold only the kept ones here.
  let reservationId = row.reservation_id;
  if (reservationId) {
    const r = await deps.inventory.getReservation(reservationId, { trx });
    if (r.status === 'active') await deps.inventory.release(reservationId, { trx });
    reservationId = await deps.hold(trx, row, split.kept, row.location_id);
  }
  const kept = await store.updateFulfillment(trx, row.id, {
    status: 'accepted',
    lines: JSON.stringify(split.kept),
    reservation_id: reservationId,
    updated_at: now,
  });
  const refused: store.FulfillmentRow = {
    ...row,
    id: newId('ful', now.getTime()),
    status: 'rejected',
    lines: JSON.stringify(split.rejected),
    reservation_id: null,
    transfer_id: null,
    pickup_code: null,
    pickup_failures: 0,
    pickup_locked_at: null,
    reject_reason: reason,
    created_at: now,
    updated_at: now,
  };
  await store.insertFulfillments(trx, [refused]);
  const base = (r: store.FulfillmentRow, lines: FulfillmentLine[]) => ({
    id: r.id,
    order_id: r.order_id,
    customer_id: r.customer_id,
    location_id: r.location_id,
    method: r.method,
    status: r.status,
    lines,
  });
  const events: DomainEvent[] = [
    {
      type: 'fulfillment.rejected',
      aggregateId: refused.id,
      payload: { ...base(refused, split.rejected), reason, split_from: row.id },
    } as DomainEvent,
  ];
  if (row.status === 'pending')
    events.push({
      type: 'fulfillment.accepted',
      aggregateId: row.id,
      payload: base(kept, split.kept),
    } as DomainEvent);
  await emit(trx, events, now);
  return { kept, refused };
}
