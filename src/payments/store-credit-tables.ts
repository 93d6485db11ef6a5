export interface StoreCreditAccountsTable {
  id: string;
  customer_id: string | null;
  code_hash: string | null;
  code_last4: string | null;
  currency: string;
  balance_minor: number | string;
  created_at: Date;
  updated_at: Date;
}

export interface StoreCreditLedgerTable {
  id: string;
  account_id: string;
  amount_minor: number | string;
  balance_after: number | string;
  reason: string;
  reference: string | null;
  created_at: Date;
}

declare module '../platform/db/schema.js' {
  interface DB {
    store_credit_accounts: StoreCreditAccountsTable;
    store_credit_ledger: StoreCreditLedgerTable;
  }
}
