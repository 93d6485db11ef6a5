/** The carriers module's SQL: label requests (shipments) and their tracking checkpoints. */
import type { Selectable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import type { CarrierShipmentsTable } from './tables.js';
import type { TrackingCheckpoint } from './types.js';

export type ShipmentRow = Selectable<CarrierShipmentsTable>;

export async function liveShipmentOf(
  db: Executor,
  fulfillmentId: string,
  lock = false,
): Promise<ShipmentRow | undefined> {
  const q = db
    .selectFrom('carrier_shipments')
    .selectAll()
    .where('fulfillment_id', '=', fulfillmentId)
    .where('status', '<>', 'failed');
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

export async function shipmentsOf(db: Executor, fulfillmentId: string): Promise<ShipmentRow[]> {
  return db
    .selectFrom('carrier_shipments')
    .selectAll()
    .where('fulfillment_id', '=', fulfillmentId)
    .orderBy('id')
    .execute();
}

export async function getShipment(db: Executor, id: string, lock = false): Promise<ShipmentRow | undefined> {
  const q = db.selectFrom('carrier_shipments').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

export async function byTracking(db: Executor, carrier: string, tracking: string): Promise<ShipmentRow | undefined> {
  return db
    .selectFrom('carrier_shipments')
    .selectAll()
    .where('carrier', '=', carrier)
    .where('tracking_number', '=', tracking)
    .forUpdate()
    .executeTakeFirst();
}

/** Records the intent before the carrier is called. Null when a live request exists already (unique index). */
export async function insertRequested(
  db: Executor,
  row: Pick<
    ShipmentRow,
    'id' | 'fulfillment_id' | 'order_id' | 'carrier' | 'request' | 'next_at' | 'attempts' | 'created_at'
  >,
): Promise<ShipmentRow | null> {
  const out = await db
    .insertInto('carrier_shipments')
    .values({ ...row, request: JSON.stringify(row.request), status: 'requested', updated_at: row.created_at })
    .onConflict((oc) => oc.column('fulfillment_id').where('status', '<>', 'failed').doNothing())
    .returningAll()
    .executeTakeFirst();
  return out ?? null;
}

/**
 * Leases one due label request: pushes its next try ahead (so a second worker, or the route that made
 * it, does not call the carrier for it at the same time) and counts the attempt.
 */
export async function leaseDue(db: Executor, now: Date, leaseUntil: Date): Promise<ShipmentRow | undefined> {
  const due = await db
    .selectFrom('carrier_shipments')
    .select('id')
    .where('status', '=', 'requested')
    .where('next_at', '<=', now)
    .orderBy('next_at')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  if (!due) return undefined;
  return lease(db, due.id, now, leaseUntil);
}

/** Leases a given request (the route's own first call), counting the attempt; undefined when not requested any more. */
export async function lease(db: Executor, id: string, now: Date, leaseUntil: Date): Promise<ShipmentRow | undefined> {
  return db
    .updateTable('carrier_shipments')
    .set((eb) => ({ next_at: leaseUntil, attempts: eb('attempts', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .where('status', '=', 'requested')
    .returningAll()
    .executeTakeFirst();
}

export async function markCreated(
  db: Executor,
  id: string,
  v: { tracking_number: string; tracking_url: string | null; label_format: string; label_base64: string; now: Date },
): Promise<ShipmentRow | undefined> {
  return db
    .updateTable('carrier_shipments')
    .set({
      status: 'created',
      tracking_number: v.tracking_number,
      tracking_url: v.tracking_url,
      label_format: v.label_format,
      label_base64: v.label_base64,
      tracking_status: 'label_created',
      last_error: null,
      updated_at: v.now,
    })
    .where('id', '=', id)
    .where('status', '=', 'requested')
    .returningAll()
    .executeTakeFirst();
}

export async function markRetry(db: Executor, id: string, error: string, nextAt: Date, now: Date): Promise<void> {
  await db
    .updateTable('carrier_shipments')
    .set({ last_error: error, next_at: nextAt, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'requested')
    .execute();
}

export async function markFailed(db: Executor, id: string, error: string, now: Date): Promise<ShipmentRow | undefined> {
  return db
    .updateTable('carrier_shipments')
    .set({ status: 'failed', last_error: error, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'requested')
    .returningAll()
    .executeTakeFirst();
}

/** Inserts the checkpoints not seen before; returns how many were new. */
export async function addCheckpoints(
  db: Executor,
  shipmentId: string,
  checkpoints: (TrackingCheckpoint & { key: string })[],
  source: 'poll' | 'webhook',
  now: Date,
): Promise<number> {
  if (!checkpoints.length) return 0;
  const rows = await db
    .insertInto('carrier_tracking_events')
    .values(
      checkpoints.map((c) => ({
        shipment_id: shipmentId,
        event_key: c.key,
        code: c.code,
        status: c.status,
        description: c.description,
        occurred_at: new Date(c.occurred_at),
        source,
        received_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['shipment_id', 'event_key']).doNothing())
    .returning('event_key')
    .execute();
  return rows.length;
}

export async function checkpointsOf(db: Executor, shipmentId: string) {
  return db
    .selectFrom('carrier_tracking_events')
    .selectAll()
    .where('shipment_id', '=', shipmentId)
    .orderBy('occurred_at')
    .orderBy('event_key')
    .execute();
}

export async function setTracking(
  db: Executor,
  id: string,
  v: { tracking_status: string | null; delivered_at: Date | null; applied_at?: Date | undefined; now: Date },
): Promise<void> {
  await db
    .updateTable('carrier_shipments')
    .set({
      tracking_status: v.tracking_status,
      delivered_at: v.delivered_at,
      ...(v.applied_at ? { applied_at: v.applied_at } : {}),
      updated_at: v.now,
    })
    .where('id', '=', id)
    .execute();
}

/** Shipments whose tracking is still worth asking for: made, not yet applied as delivered, oldest poll first. */
export async function claimTrackingDue(db: Executor, before: Date, limit: number): Promise<ShipmentRow[]> {
  return db
    .selectFrom('carrier_shipments')
    .selectAll()
    .where('status', '=', 'created')
    .where('applied_at', 'is', null)
    .where((eb) => eb.or([eb('polled_at', 'is', null), eb('polled_at', '<=', before)]))
    .orderBy('polled_at', (ob) => ob.nullsFirst())
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function markPolled(db: Executor, ids: string[], now: Date): Promise<void> {
  if (!ids.length) return;
  await db.updateTable('carrier_shipments').set({ polled_at: now }).where('id', 'in', ids).execute();
}
