-- Customers: the identity graph, behaviour events (partitioned by month), per-day activity roll-ups,
-- orders as seen by the customer 360, consents, merges and their conflicts, saved segments.

-- A profile. A merged profile keeps its row (its identifiers, consents and events stay on it) and
-- points at the profile it was merged into; root_id is the surviving profile every member resolves
-- to, so reads gather "all rows with root_id = X" and an unmerge only rewrites root_id.
create table customers (
  id text primary key,
  status text not null default 'active' check (status in ('active', 'merged', 'erased')),
  merged_into text references customers (id),
  root_id text not null,
  first_name text,
  last_name text,
  password_hash text,
  -- set on the root from its members' consents: ingestion reads it with the identity lookup
  analytics_denied boolean not null default false,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  erased_at timestamptz,
  check ((status = 'merged') = (merged_into is not null))
);
create index customers_root on customers (root_id);
create index customers_merged_into on customers (merged_into) where merged_into is not null;

-- (kind, value) → the profile row that owns it. Unique per kind except device ids, which a shared
-- device may link to several profiles (bounded in rules.ts).
create table customer_identifiers (
  kind text not null check (kind in ('email', 'phone', 'loyalty_card', 'device_id', 'anonymous_id', 'marketplace_buyer', 'pos_customer')),
  value text not null,
  customer_id text not null references customers (id),
  verified boolean not null default false,
  created_at timestamptz not null,
  primary key (kind, value, customer_id)
);
create unique index customer_identifiers_unique on customer_identifiers (kind, value) where kind <> 'device_id';
create index customer_identifiers_customer on customer_identifiers (customer_id);

create table customer_merges (
  id text primary key,
  survivor_id text not null references customers (id),
  absorbed_id text not null references customers (id),
  reason text not null,
  -- what an undo needs: the absorbed profile's member rows at merge time (ids only, no personal data)
  snapshot jsonb not null,
  created_at timestamptz not null,
  undone_at timestamptz,
  undone_by text
);
create index customer_merges_absorbed on customer_merges (absorbed_id);
create index customer_merges_survivor on customer_merges (survivor_id);

-- Merges refused by the over-merge rules, with why (identifier kinds only, never values).
create table customer_merge_conflicts (
  id text primary key,
  customer_a text not null,
  customer_b text not null,
  reason text not null,
  detail text not null,
  source text not null,
  created_at timestamptz not null
);
create index customer_merge_conflicts_a on customer_merge_conflicts (customer_a);
create index customer_merge_conflicts_b on customer_merge_conflicts (customer_b);

create table customer_consents (
  customer_id text not null references customers (id),
  purpose text not null check (purpose in ('marketing_email', 'marketing_sms', 'marketing_push', 'personalisation', 'analytics')),
  granted boolean not null,
  source text not null,
  updated_at timestamptz not null,
  primary key (customer_id, purpose)
);

-- Behaviour events, partitioned by month; rows with customer_id null are anonymous until their
-- anonymous or device id is identified. No primary key: the server id is never looked up, and a
-- unique index on it cost a b-tree insert per event; retries are deduplicated on the client's own
-- event id (client_id), when it sends one.
create table customer_events (
  id text not null,
  client_id text,
  ts timestamptz not null,
  type text not null,
  customer_id text,
  anonymous_id text,
  device_id text,
  channel text not null,
  channel_kind text not null,
  product_id text,
  properties jsonb not null,
  received_at timestamptz not null
) partition by range (ts);
create unique index customer_events_client on customer_events (client_id, ts) where client_id is not null;
create index customer_events_customer on customer_events (customer_id, ts) where customer_id is not null;
create index customer_events_anonymous on customer_events (anonymous_id) where customer_id is null and anonymous_id is not null;
create index customer_events_device on customer_events (device_id) where customer_id is null and device_id is not null;
create table customer_events_default partition of customer_events default;
create table customer_events_202501 partition of customer_events for values from ('2025-01-01 00:00:00+00') to ('2025-02-01 00:00:00+00');
create table customer_events_202502 partition of customer_events for values from ('2025-02-01 00:00:00+00') to ('2025-03-01 00:00:00+00');
create table customer_events_202503 partition of customer_events for values from ('2025-03-01 00:00:00+00') to ('2025-04-01 00:00:00+00');
create table customer_events_202504 partition of customer_events for values from ('2025-04-01 00:00:00+00') to ('2025-05-01 00:00:00+00');
create table customer_events_202505 partition of customer_events for values from ('2025-05-01 00:00:00+00') to ('2025-06-01 00:00:00+00');
create table customer_events_202506 partition of customer_events for values from ('2025-06-01 00:00:00+00') to ('2025-07-01 00:00:00+00');
create table customer_events_202507 partition of customer_events for values from ('2025-07-01 00:00:00+00') to ('2025-08-01 00:00:00+00');
create table customer_events_202508 partition of customer_events for values from ('2025-08-01 00:00:00+00') to ('2025-09-01 00:00:00+00');
create table customer_events_202509 partition of customer_events for values from ('2025-09-01 00:00:00+00') to ('2025-10-01 00:00:00+00');
create table customer_events_202510 partition of customer_events for values from ('2025-10-01 00:00:00+00') to ('2025-11-01 00:00:00+00');
create table customer_events_202511 partition of customer_events for values from ('2025-11-01 00:00:00+00') to ('2025-12-01 00:00:00+00');
create table customer_events_202512 partition of customer_events for values from ('2025-12-01 00:00:00+00') to ('2026-01-01 00:00:00+00');
create table customer_events_202601 partition of customer_events for values from ('2026-01-01 00:00:00+00') to ('2026-02-01 00:00:00+00');
create table customer_events_202602 partition of customer_events for values from ('2026-02-01 00:00:00+00') to ('2026-03-01 00:00:00+00');
create table customer_events_202603 partition of customer_events for values from ('2026-03-01 00:00:00+00') to ('2026-04-01 00:00:00+00');
create table customer_events_202604 partition of customer_events for values from ('2026-04-01 00:00:00+00') to ('2026-05-01 00:00:00+00');
create table customer_events_202605 partition of customer_events for values from ('2026-05-01 00:00:00+00') to ('2026-06-01 00:00:00+00');
create table customer_events_202606 partition of customer_events for values from ('2026-06-01 00:00:00+00') to ('2026-07-01 00:00:00+00');
create table customer_events_202607 partition of customer_events for values from ('2026-07-01 00:00:00+00') to ('2026-08-01 00:00:00+00');
create table customer_events_202608 partition of customer_events for values from ('2026-08-01 00:00:00+00') to ('2026-09-01 00:00:00+00');
create table customer_events_202609 partition of customer_events for values from ('2026-09-01 00:00:00+00') to ('2026-10-01 00:00:00+00');
create table customer_events_202610 partition of customer_events for values from ('2026-10-01 00:00:00+00') to ('2026-11-01 00:00:00+00');
create table customer_events_202611 partition of customer_events for values from ('2026-11-01 00:00:00+00') to ('2026-12-01 00:00:00+00');
create table customer_events_202612 partition of customer_events for values from ('2026-12-01 00:00:00+00') to ('2027-01-01 00:00:00+00');
create table customer_events_202701 partition of customer_events for values from ('2027-01-01 00:00:00+00') to ('2027-02-01 00:00:00+00');
create table customer_events_202702 partition of customer_events for values from ('2027-02-01 00:00:00+00') to ('2027-03-01 00:00:00+00');
create table customer_events_202703 partition of customer_events for values from ('2027-03-01 00:00:00+00') to ('2027-04-01 00:00:00+00');
create table customer_events_202704 partition of customer_events for values from ('2027-04-01 00:00:00+00') to ('2027-05-01 00:00:00+00');
create table customer_events_202705 partition of customer_events for values from ('2027-05-01 00:00:00+00') to ('2027-06-01 00:00:00+00');
create table customer_events_202706 partition of customer_events for values from ('2027-06-01 00:00:00+00') to ('2027-07-01 00:00:00+00');
create table customer_events_202707 partition of customer_events for values from ('2027-07-01 00:00:00+00') to ('2027-08-01 00:00:00+00');
create table customer_events_202708 partition of customer_events for values from ('2027-08-01 00:00:00+00') to ('2027-09-01 00:00:00+00');
create table customer_events_202709 partition of customer_events for values from ('2027-09-01 00:00:00+00') to ('2027-10-01 00:00:00+00');
create table customer_events_202710 partition of customer_events for values from ('2027-10-01 00:00:00+00') to ('2027-11-01 00:00:00+00');
create table customer_events_202711 partition of customer_events for values from ('2027-11-01 00:00:00+00') to ('2027-12-01 00:00:00+00');
create table customer_events_202712 partition of customer_events for values from ('2027-12-01 00:00:00+00') to ('2028-01-01 00:00:00+00');

-- Per profile row, day and channel: maintained in the same statement that stores the events, so
-- the 360 metrics read a few rows instead of scanning events.
create table customer_daily (
  customer_id text not null,
  day date not null,
  channel text not null,
  channel_kind text not null,
  events int not null,
  views int not null,
  cart_adds int not null,
  store_visits int not null,
  first_at timestamptz not null,
  last_at timestamptz not null,
  primary key (customer_id, day, channel, channel_kind)
);

create table customer_product_views (
  customer_id text not null,
  product_id text not null,
  views int not null,
  last_viewed_at timestamptz not null,
  -- the product's category and the size viewed, last seen: view-based traits read these rows
  category text,
  size text,
  primary key (customer_id, product_id)
);

-- Weighted preferences from carts, store visits and orders (views count through customer_product_views).
create table customer_affinities (
  customer_id text not null,
  kind text not null check (kind in ('size', 'category', 'store')),
  value text not null,
  weight int not null,
  primary key (customer_id, kind, value)
);

-- Orders as the customer 360 needs them, fed by order.* events (idempotent on order_id).
create table customer_orders (
  order_id text primary key,
  customer_id text not null,
  channel text not null,
  channel_kind text not null,
  location_id text,
  placed_at timestamptz not null,
  amount bigint not null,
  currency char(3) not null,
  status text not null default 'placed' check (status in ('placed', 'cancelled')),
  refunded bigint not null default 0,
  returns_count int not null default 0
);
-- Returns and refunds already counted, by the delivering event's id (redelivery changes nothing).
create table customer_order_returns (
  event_id text primary key,
  order_id text not null,
  refunded bigint not null
);

create index customer_orders_customer on customer_orders (customer_id, placed_at);

create table customer_order_lines (
  order_id text not null references customer_orders (order_id),
  line_no int not null,
  sku text not null,
  product_id text not null,
  quantity int not null,
  amount bigint not null,
  primary key (order_id, line_no)
);
create index customer_order_lines_order on customer_order_lines (order_id);

-- Item-to-item co-occurrence: how many orders held both products (both directions stored).
create table product_pairs (
  product_id text not null,
  other_id text not null,
  orders int not null,
  primary key (product_id, other_id)
);
-- SKUs seen per product with their size, for recommending in the customer's size.
create table product_skus (
  product_id text not null,
  sku text not null,
  size text,
  primary key (product_id, sku)
);

create table customer_segments (
  id text primary key,
  name text not null unique,
  definition jsonb not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
