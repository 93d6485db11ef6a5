import type { Generated } from 'kysely';

export interface WebhooksTable {
  id: string;
  /** null: a global webhook (every event; admin only). */
  channel_id: string | null;
  url: string;
  secret: string;
  event_types: string[];
  active: Generated<boolean>;
  description: string | null;
  created_at: Generated<Date>;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  payload: unknown;
  status: Generated<'pending' | 'delivered' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: Date;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Generated<Date>;
}

declare module '../../db/schema.js' {
  interface DB {
    webhooks: WebhooksTable;
    webhook_deliveries: WebhookDeliveriesTable;
  }
}
