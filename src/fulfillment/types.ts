import type { CostParams, SourcingDecision } from './sourcing/index.js';
import type { FulfillmentStatus, Method } from './rules.js';

export interface FulfillmentLine {
  line_id: string;
  sku: string;
  quantity: number;
}

export interface Fulfillment {
  id: string;
  order_id: string;
  location_id: string;
  method: Method;
  destination_location_id: string | null;
  status: FulfillmentStatus;
  lines: FulfillmentLine[];
  reservation_id: string | null;
  transfer_id: string | null;
  /**
   * The pickup code itself is never in a task read or queue: it goes to the customer alone (the
   * `fulfillment.ready_for_pickup` event's mail). Locked after too many wrong codes at handover.
   */
  pickup_locked: boolean;
  tracking: string | null;
  carrier: string | null;
  parcels: number | null;
  weight_g: number | null;
  sla_deadline: string;
  ready_at: string | null;
  reject_reason: string | null;
  decision_id: string;
  created_at: string;
  updated_at: string;
}

export interface StoredDecision {
  id: string;
  order_id: string;
  attempt: number;
  trigger: string;
  cost: number;
  /** Per location: its lines (by order line id), package cost, distance, delivery days. */
  allocations: Record<string, unknown>[];
  unsourced: FulfillmentLine[];
  explanation: SourcingDecision['explanation'];
  created_at: string;
}

/** The `order.placed` payload (orders module), as fulfillment reads it. */
export interface OrderPlaced {
  order_id: string;
  customer_id: string | null;
  channel: string;
  channel_type: string;
  location_id: string | null;
  placed_at: string;
  lines: { line_id: string; sku: string; quantity: number }[];
  delivery: {
    method: string;
    location_id?: string;
    address?: { city?: string; postal_code?: string; country?: string; lat?: number; lng?: number };
  };
  reservation_id: string | null;
}

export interface FulfillmentConfig {
  costs: CostParams;
  /** Minutes a location has to accept a task before it is re-sourced. */
  slaMinutes: { store: number; warehouse: number };
  /** Days a ready order waits for collection before it goes back to stock. */
  collectDays: number;
  /** Delivery promise in days by method, when the order does not carry one. */
  promiseDays: { home: number; click_collect: number; pickup_point: number };
  /** How long a fulfillment's reservation holds (it is confirmed or released well before). */
  reservationTtlSeconds: number;
}
