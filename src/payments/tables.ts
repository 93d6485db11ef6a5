export interface PaymentsTable {
  id: string;
  order_id: string;
  provider: string;
  status: string;
  currency: string;
  amount: string | number;
  captured_amount: string | number;
  refunded_amount: string | number;
  provider_ref: string | null;
  decline_reason: string | null;
  details: unknown;
  created_at: Date;
  updated_at: Date;
}

declare module '../platform/db/schema.js' {
  interface DB {
    payments: PaymentsTable;
  }
}
