-- Inventory: stock per SKU and location (keyed SKU first so it can be partitioned or distributed by
-- SKU), the append-only movement ledger, reservations and transfers.
-- SKUs are not foreign keys to the catalog: the catalog module owns variants and may live in
-- another partition; the inventory service checks SKUs through the catalog service.

create table stock_levels (
  sku text not null,
  location_id text not null references locations (id),
  on_hand int not null default 0,
  reserved int not null default 0 check (reserved >= 0),
  safety_stock int not null default 0 check (safety_stock >= 0),
  -- units dispatched to this location by a transfer and not yet received
  in_transit int not null default 0 check (in_transit >= 0),
  min_qty int check (min_qty >= 0),
  max_qty int check (max_qty >= 0),
  updated_at timestamptz not null default now(),
  primary key (sku, location_id),
  -- the last line of defence: nothing is ever available below zero
  constraint stock_levels_not_oversold check (on_hand >= reserved)
);

create table stock_movements (
  id bigint generated always as identity,
  sku text not null,
  location_id text not null,
  type text not null check (type in ('receipt', 'sale', 'return', 'adjustment', 'count', 'damage', 'transfer_out', 'transfer_in')),
  -- signed change of on-hand
  quantity int not null,
  on_hand_after int not null,
  actor text not null,
  reason text,
  reference text,
  created_at timestamptz not null default now(),
  primary key (sku, location_id, id)
);

create table reservations (
  id text primary key,
  channel_id text not null references channels (id),
  reference text not null,
  customer_id text,
  status text not null check (status in ('active', 'released', 'confirmed', 'expired')),
  expires_at timestamptz not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index reservations_expiring on reservations (expires_at) where status = 'active';
create index reservations_reference on reservations (reference);

create table reservation_lines (
  reservation_id text not null references reservations (id),
  line_no int not null,
  sku text not null,
  location_id text not null,
  -- still reserved (counts in stock_levels.reserved while the reservation is active)
  quantity int not null check (quantity >= 0),
  confirmed int not null default 0 check (confirmed >= 0),
  primary key (reservation_id, line_no)
);
create index reservation_lines_sku on reservation_lines (sku, location_id);

create table transfers (
  id text primary key,
  from_location_id text not null references locations (id),
  to_location_id text not null references locations (id),
  status text not null check (status in ('in_transit', 'partially_received', 'received')),
  reference text,
  actor text not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

create table transfer_lines (
  transfer_id text not null references transfers (id),
  sku text not null,
  shipped int not null check (shipped > 0),
  received int not null default 0 check (received >= 0),
  -- shipped - received once the transfer is closed (lost or damaged on the way); null while open
  discrepancy int,
  primary key (transfer_id, sku)
);
