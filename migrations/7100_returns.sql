-- Returns (issue 8): returns in any channel, their lines with the restock decision, store credit issued.

create table returns (
  id text primary key,
  order_id text not null,
  channel_id text not null,
  -- where the goods came back (a store, a pickup point, a warehouse for mail returns)
  location_id text not null,
  customer_id text,
  status text not null check (status in ('received', 'refunded')),
  refund_method text not null check (refund_method in ('original', 'store_credit')),
  currency char(3) not null,
  refund_amount bigint not null check (refund_amount >= 0),
  -- exchange lines [{ for_line_id, sku, quantity }] and how they were served
  exchange jsonb not null default '[]',
  exchange_reservation_id text,
  exchange_fulfillment_id text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index returns_order on returns (order_id);
create index returns_customer on returns (customer_id, id);

create table return_lines (
  return_id text not null references returns (id),
  line_id text not null,
  sku text not null,
  quantity int not null check (quantity > 0),
  reason text not null,
  condition text not null check (condition in ('sellable', 'damaged')),
  refund_amount bigint not null check (refund_amount >= 0),
  -- the restock decision: back into the receiving location's stock, or booked as damage
  restock text not null check (restock in ('restock', 'damage')),
  restock_location_id text not null,
  primary key (return_id, line_id)
);
create index return_lines_line on return_lines (line_id);

create table store_credits (
  id text primary key,
  customer_id text,
  order_id text not null,
  return_id text not null references returns (id),
  currency char(3) not null,
  amount bigint not null check (amount > 0),
  created_at timestamptz not null
);
create index store_credits_customer on store_credits (customer_id);
