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
  lease_until?: Date | null;
  /** Set by a PSP webhook: the reconciliation takes the pending payment now (migration 6310). */
  settle_after?: Date | null;
  created_at: Date;
  updated_at: Date;
}

declare module '../platform/db/schema.js' {
  interface DB {
    payments: PaymentsTable;
  }
}

export interface PaymentOperationsTable {
  id: string;
  payment_id: string;
  order_id: string;
  kind: string;
  amount: string | number;
  status: string;
  reason: string | null;
  return_id: string | null;
  lease_until: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** Owned by the `test` card provider: its memory of outcomes by idempotency key. */
export interface TestProviderOutcomesTable {
  idempotency_key: string;
  operation: string;
  outcome: unknown;
  created_at: import('kysely').Generated<Date>;
}

declare module '../platform/db/schema.js' {
  interface DB {
    payment_operations: PaymentOperationsTable;
    test_provider_outcomes: TestProviderOutcomesTable;
  }
}
