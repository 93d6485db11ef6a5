-- Store credit as spendable balances (issue 16 points 6 and 7): one account per customer and currency,
-- or a gift card (a code, no customer); every change is a ledger row in the same transaction as the
-- balance update. The balance cannot go below zero (CHECK), so a spend is a conditional decrement.
create table store_credit_accounts (
  id text primary key,
  customer_id text,
  -- SHA-256 of a gift card's code (the code itself is shown once); null for a customer's account
  code_hash text,
  code_last4 text,
  currency char(3) not null,
  balance_minor bigint not null default 0 check (balance_minor >= 0),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (customer_id is not null or code_hash is not null)
);
create unique index store_credit_accounts_customer on store_credit_accounts (customer_id, currency)
  where customer_id is not null and code_hash is null;
create unique index store_credit_accounts_code on store_credit_accounts (code_hash) where code_hash is not null;

create table store_credit_ledger (
  id text primary key,
  account_id text not null references store_credit_accounts (id),
  -- positive: credit issued; negative: credit spent
  amount_minor bigint not null check (amount_minor <> 0),
  balance_after bigint not null check (balance_after >= 0),
  reason text not null,
  -- what caused it (a return id, an order id); with the reason, an issuance happens once per reference
  reference text,
  created_at timestamptz not null
);
create index store_credit_ledger_account on store_credit_ledger (account_id, id);
create unique index store_credit_ledger_once on store_credit_ledger (account_id, reason, reference)
  where reference is not null and amount_minor > 0;
