-- Fulfillment (issue 8): one task per location per order, and the sourcing decisions with their explanation.

create table fulfillments (
  id text primary key,
  order_id text not null,
  -- the location that picks and packs (the source)
  location_id text not null,
  method text not null check (method in ('home', 'click_collect', 'pickup_point')),
  -- the collect store or pickup point (null for home delivery)
  destination_location_id text,
  status text not null check (status in ('pending', 'accepted', 'picked', 'packed', 'shipped', 'in_transit', 'ready_for_pickup', 'handed_over', 'rejected', 'cancelled', 'returned_to_stock')),
  -- [{ line_id, sku, quantity }]
  lines jsonb not null,
  -- the reservation holding this task's units (at the source, or at the collect store after a transfer)
  reservation_id text,
  transfer_id text,
  pickup_code text,
  tracking text,
  sla_deadline timestamptz not null,
  ready_at timestamptz,
  reject_reason text,
  decision_id text not null,
  channel_id text not null,
  customer_id text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index fulfillments_queue on fulfillments (location_id, status, id);
create index fulfillments_destination on fulfillments (destination_location_id, status, id) where destination_location_id is not null;
create index fulfillments_order on fulfillments (order_id);
create index fulfillments_sla on fulfillments (sla_deadline) where status = 'pending';
create index fulfillments_ready on fulfillments (ready_at) where status = 'ready_for_pickup';
create index fulfillments_transfer on fulfillments (transfer_id) where transfer_id is not null;

create table sourcing_decisions (
  id text primary key,
  order_id text not null,
  -- 1 for the first sourcing, then one more per re-sourcing (rejection, timeout)
  attempt int not null,
  trigger text not null,
  cost bigint not null,
  allocations jsonb not null,
  unsourced jsonb not null,
  explanation jsonb not null,
  created_at timestamptz not null,
  unique (order_id, attempt)
);
