/** A fulfillment task's row as the API shows it (pure). */
import type * as store from './store.js';
import type { FulfillmentStatus, Method } from './rules.js';
import type { Fulfillment, FulfillmentLine } from './types.js';
import { json } from '../platform/db/json.js';

export function toFulfillment(r: store.FulfillmentRow): Fulfillment {
  return {
    id: r.id,
    order_id: r.order_id,
    location_id: r.location_id,
    method: r.method as Method,
    destination_location_id: r.destination_location_id,
    status: r.status as FulfillmentStatus,
    lines: json<FulfillmentLine[]>(r.lines),
    reservation_id: r.reservation_id,
    transfer_id: r.transfer_id,
    pickup_locked: r.pickup_locked_at !== null,
    tracking: r.tracking,
    carrier: r.carrier ?? null,
    parcels: r.parcels ?? null,
    weight_g: r.weight_g ?? null,
    sla_deadline: r.sla_deadline.toISOString(),
    ready_at: r.ready_at?.toISOString() ?? null,
    reject_reason: r.reject_reason,
    decision_id: r.decision_id,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}
