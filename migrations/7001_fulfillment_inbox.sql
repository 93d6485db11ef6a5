-- Fulfillment's inbox (issue 8): events it must act on (order placed or cancelled, transfer received),
-- written by the event handlers inside the dispatcher's transaction and worked off by a job in
-- transactions of its own (sourcing reads the network and inventory, which must not happen inside the
-- dispatcher's transaction on the one-connection embedded database).
create table fulfillment_inbox (
  -- the event id: a redelivered event is recorded once
  id text primary key,
  kind text not null check (kind in ('order_placed', 'order_cancelled', 'transfer_received')),
  payload jsonb not null,
  attempts int not null default 0,
  last_error text,
  next_at timestamptz not null,
  created_at timestamptz not null
);
create index fulfillment_inbox_due on fulfillment_inbox (next_at, id);
