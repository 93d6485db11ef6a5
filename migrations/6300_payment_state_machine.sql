-- Payments as a state machine outside locks (issue 11 point 3). A payment row is written `pending`
-- in the checkout transaction (its id is the idempotency key sent to the provider), the provider is
-- called after commit, and the outcome is recorded in a second transaction. Capture, void and refund
-- are operations with a pending row of their own, run after the transaction that asked for them.

alter table payments drop constraint payments_status_check;
alter table payments add constraint payments_status_check
  check (status in ('pending', 'authorized', 'declined', 'failed', 'captured', 'partially_refunded', 'refunded', 'voided'));
-- The reconciliation job leases stale pending rows (FOR UPDATE SKIP LOCKED, then this lease) so two
-- workers never ask the provider about the same payment at once.
alter table payments add column lease_until timestamptz;
create index payments_pending on payments (created_at) where status = 'pending';

-- An order waits in payment_pending until its payment is authorised; `order.placed` follows that.
alter table orders drop constraint orders_status_check;
alter table orders add constraint orders_status_check
  check (status in ('payment_pending', 'placed', 'confirmed', 'partially_fulfilled', 'fulfilled', 'completed', 'cancelled'));
-- One live order per cart: a declined attempt is cancelled and the shopper may check the cart out again.
alter table orders drop constraint orders_cart_id_key;
create unique index orders_cart_live on orders (cart_id) where status <> 'cancelled';
create index orders_cart on orders (cart_id);

create table payment_operations (
  id text primary key,
  payment_id text not null references payments (id),
  order_id text not null,
  kind text not null check (kind in ('capture', 'void', 'refund')),
  amount bigint not null check (amount >= 0),
  status text not null check (status in ('pending', 'succeeded', 'failed')),
  reason text,
  return_id text,
  lease_until timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index payment_operations_payment on payment_operations (payment_id);
create index payment_operations_pending on payment_operations (created_at) where status = 'pending';

-- The test card provider's own memory of outcomes by idempotency key (a real PSP keeps this on its
-- side and answers "retrieve by idempotency key"); it survives a crash of the process that asked.
create table test_provider_outcomes (
  idempotency_key text primary key,
  operation text not null,
  outcome jsonb not null,
  created_at timestamptz not null default now()
);
