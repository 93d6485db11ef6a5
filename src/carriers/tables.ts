import type { Generated } from 'kysely';

export interface CarrierShipmentsTable {
  id: string;
  fulfillment_id: string;
  order_id: string;
  carrier: string;
  status: 'requested' | 'created' | 'failed';
  request: unknown;
  attempts: Generated<number>;
  next_at: Date;
  last_error: string | null;
  tracking_number: string | null;
  tracking_url: string | null;
  label_format: string | null;
  label_base64: string | null;
  tracking_status: string | null;
  delivered_at: Date | null;
  applied_at: Date | null;
  polled_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface CarrierTrackingEventsTable {
  shipment_id: string;
  event_key: string;
  code: string;
  status: string;
  description: string | null;
  occurred_at: Date;
  source: 'poll' | 'webhook';
  received_at: Date;
}

declare module '../platform/db/schema.js' {
  interface DB {
    carrier_shipments: CarrierShipmentsTable;
    carrier_tracking_events: CarrierTrackingEventsTable;
  }
}
