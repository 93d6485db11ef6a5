import type { Generated } from 'kysely';

export interface FulfillmentsTable {
  id: string;
  order_id: string;
  location_id: string;
  method: string;
  destination_location_id: string | null;
  status: string;
  lines: unknown;
  reservation_id: string | null;
  transfer_id: string | null;
  pickup_code: string | null;
  /** Wrong codes tried at handover since the last unlock. */
  pickup_failures: Generated<number>;
  /** Set when the wrong tries reach the limit: handover is refused until a staff member unlocks it. */
  pickup_locked_at: Date | null;
  tracking: string | null;
  /** Recorded at pack (migration 7300). */
  parcels: number | null;
  weight_g: number | null;
  /** Recorded at ship, beside the tracking number. */
  carrier: string | null;
  /** The last time the store sent the pickup notification again. */
  pickup_notified_at: Date | null;
  sla_deadline: Date;
  ready_at: Date | null;
  reject_reason: string | null;
  decision_id: string;
  channel_id: string;
  customer_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface SourcingDecisionsTable {
  id: string;
  order_id: string;
  attempt: number;
  trigger: string;
  cost: number | string;
  allocations: unknown;
  unsourced: unknown;
  explanation: unknown;
  created_at: Generated<Date>;
}

export interface FulfillmentInboxTable {
  id: string;
  kind: string;
  payload: unknown;
  attempts: Generated<number>;
  last_error: string | null;
  next_at: Date;
  created_at: Date;
}

declare module '../platform/db/schema.js' {
  interface DB {
    fulfillment_inbox: FulfillmentInboxTable;
    fulfillments: FulfillmentsTable;
    sourcing_decisions: SourcingDecisionsTable;
  }
}
