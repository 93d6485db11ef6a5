-- Marketplaces (issue 18): one connection per marketplace channel, the offers published there, the batched
-- stock feeds, imported orders (idempotent on the marketplace's order id) and the calls Omnia owes the
-- marketplace (shipment confirmations, cancellations), each recorded before it is made.
create table marketplace_connections (
  id text primary key,
  channel_id text not null unique references channels (id),
  provider text not null,
  base_url text not null,
  -- AES-256-GCM under OMNIA_SECRETS_KEY: 'v1.<iv>.<tag>.<ciphertext>' (base64url); never stored in clear
  credentials text not null,
  settings jsonb not null default '{}',
  -- debounce window of stock pushes: at most one feed per connection per this many seconds
  feed_interval_s int not null default 60 check (feed_interval_s between 1 and 86400),
  orders_interval_s int not null default 120 check (orders_interval_s between 1 and 86400),
  active boolean not null default true,
  -- order import cursor: orders changed at or after this moment are asked for next
  orders_since timestamptz not null,
  changes_since timestamptz not null,
  -- leases: a worker that claims the import or the push pushes these ahead (several workers share the job)
  orders_due_at timestamptz not null,
  feed_due_at timestamptz not null,
  last_error text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

-- What is (to be) listed per SKU. dirty_mark set = a stock or price change waits for the next feed. The mark
-- is drawn from a sequence, not the clock: a feed clears only the marks it read before computing its
-- figures, so a change marked while the feed was being built (a higher mark) stays for the next feed.
create sequence marketplace_dirty_seq;
create table marketplace_offers (
  connection_id text not null references marketplace_connections (id),
  sku text not null,
  status text not null default 'pending' check (status in ('pending', 'listed', 'refused')),
  external_id text,
  message text,
  published_quantity int,
  published_price bigint,
  published_at timestamptz,
  dirty_mark bigint,
  primary key (connection_id, sku)
);
create index marketplace_offers_dirty on marketplace_offers (connection_id, dirty_mark) where dirty_mark is not null;
create index marketplace_offers_sku on marketplace_offers (sku);

-- One batched update (a JSON listings feed on Amazon): its items are the latest figures when it was built.
create table marketplace_feeds (
  id text primary key,
  connection_id text not null references marketplace_connections (id),
  state text not null check (state in ('sending', 'pending', 'done', 'failed')),
  submission_id text,
  items jsonb not null,
  error text,
  -- a 'sending' feed past this was left by a crash; a 'pending' one is asked about again then
  check_at timestamptz not null,
  created_at timestamptz not null,
  finished_at timestamptz
);
create index marketplace_feeds_open on marketplace_feeds (connection_id, check_at) where state in ('sending', 'pending');

create table marketplace_orders (
  id text primary key,
  connection_id text not null references marketplace_connections (id),
  channel_id text not null,
  external_id text not null,
  status text not null check (status in ('received', 'imported', 'exception', 'cancelled')),
  cart_id text,
  order_id text,
  payload jsonb not null,
  problem_type text,
  problem_detail text,
  attempts int not null default 0,
  next_attempt_at timestamptz not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  -- the idempotency of the import: a marketplace order is one row, so one Omnia order
  constraint marketplace_orders_external unique (connection_id, external_id)
);
create unique index marketplace_orders_order on marketplace_orders (order_id) where order_id is not null;
create index marketplace_orders_due on marketplace_orders (next_attempt_at) where status = 'received';
create index marketplace_orders_status on marketplace_orders (status, created_at desc, id desc);

-- Calls owed to the marketplace, recorded in the transaction that decided them, made by a job after commit.
create table marketplace_actions (
  id text primary key,
  connection_id text not null references marketplace_connections (id),
  marketplace_order_id text not null references marketplace_orders (id),
  kind text not null check (kind in ('confirm_shipment', 'cancel')),
  -- what caused it (fulfillment id, exception cancel): the same cause is recorded once
  source_key text not null unique,
  payload jsonb not null,
  state text not null default 'pending' check (state in ('pending', 'done', 'failed')),
  attempts int not null default 0,
  last_error text,
  next_attempt_at timestamptz not null,
  created_at timestamptz not null,
  done_at timestamptz
);
create index marketplace_actions_due on marketplace_actions (next_attempt_at) where state = 'pending';
