export interface NotificationsTable {
  id: string;
  event_id: string;
  template: string;
  kind: string;
  channel: string;
  recipient: string | null;
  subject: string | null;
  status: string;
  reason: string | null;
  order_id: string | null;
  customer_id: string | null;
  created_at: Date;
}

declare module '../platform/db/schema.js' {
  interface DB {
    notifications: NotificationsTable;
  }
}
