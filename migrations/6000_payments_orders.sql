-- Payments, orders and their history (issue 7). Money is integer minor units plus currency.

create table payments (
  id text primary key,
  order_id text not null,
  provider text not null,
  status text not null check (status in ('authorized', 'captured', 'partially_refunded', 'refunded', 'voided', 'declined')),
  currency char(3) not null,
  amount bigint not null check (amount >= 0),
  captured_amount bigint not null default 0 check (captured_amount >= 0),
  refunded_amount bigint not null default 0 check (refunded_amount >= 0),
  provider_ref text,
  decline_reason text,
  details jsonb not null default '{}',
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (captured_amount <= amount and refunded_amount <= captured_amount)
);
create index payments_order on payments (order_id);

create table orders (
  id text primary key,
  channel_id text not null,
  channel_type text not null,
  customer_id text,
  -- one order per cart: the checkout's own idempotency key (a completed cart returns its order)
  cart_id text unique,
  location_id text,
  status text not null check (status in ('placed', 'confirmed', 'partially_fulfilled', 'fulfilled', 'completed', 'cancelled')),
  hold_reason text,
  currency char(3) not null,
  subtotal bigint not null,
  discount_total bigint not null,
  shipping_amount bigint not null,
  shipping_discount bigint not null,
  tax_total bigint not null,
  total bigint not null check (total >= 0),
  tax_breakdown jsonb not null default '[]',
  coupons jsonb not null default '[]',
  delivery jsonb not null,
  email text,
  reservation_id text,
  payment_id text,
  placed_at timestamptz not null,
  updated_at timestamptz not null,
  anonymised_at timestamptz
);
create index orders_customer on orders (customer_id, id);
create index orders_channel_status on orders (channel_id, status, id);
create index orders_status on orders (status, id);
-- click & collect capacity: orders promised to a store per day
create index orders_pickup_location on orders ((delivery ->> 'location_id'), placed_at) where delivery ->> 'method' = 'click_collect';

create table order_lines (
  id text primary key,
  order_id text not null references orders (id),
  position int not null,
  sku text not null,
  product_id text,
  quantity int not null check (quantity > 0),
  unit_price bigint not null,
  discount bigint not null,
  total bigint not null,
  tax_rate numeric not null default 0,
  tax_amount bigint not null default 0,
  applied jsonb not null default '[]',
  location_id text,
  fulfilled_quantity int not null default 0 check (fulfilled_quantity >= 0),
  check (fulfilled_quantity <= quantity)
);
create index order_lines_order on order_lines (order_id, position);

create table order_history (
  seq bigserial primary key,
  order_id text not null references orders (id),
  from_status text,
  to_status text not null,
  hold_reason text,
  note text,
  at timestamptz not null
);
create index order_history_order on order_history (order_id, seq);
