-- Carts, hand-off codes, delivery lead times and the home-delivery rate table (issue 7).

create table carts (
  id text primary key,
  channel_id text not null,
  customer_id text,
  location_id text,
  status text not null check (status in ('open', 'merged', 'completed')),
  currency char(3) not null,
  coupons text[] not null default '{}',
  delivery jsonb,
  -- the last quote shown to the shopper, so checkout can tell them when prices changed since
  priced jsonb,
  version int not null default 1,
  merged_into text,
  order_id text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
-- the same open cart on every device and channel for a logged-in customer
create unique index carts_one_open_per_customer on carts (customer_id) where status = 'open' and customer_id is not null;

create table cart_lines (
  id text primary key,
  cart_id text not null references carts (id),
  sku text not null,
  quantity int not null check (quantity > 0),
  added_at timestamptz not null,
  unique (cart_id, sku)
);

create table cart_handoffs (
  code text primary key,
  cart_id text not null references carts (id),
  created_by text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  claimed_at timestamptz,
  claimed_by text,
  claimed_channel_id text
);
create index cart_handoffs_cart on cart_handoffs (cart_id);

-- Days to move goods from one location to another (transfer) or, with to_location_id '*', to a
-- customer's door. Missing pairs fall back to the defaults in carts/delivery-rules.ts.
create table location_lead_times (
  from_location_id text not null,
  to_location_id text not null,
  days int not null check (days between 0 and 60),
  primary key (from_location_id, to_location_id)
);

-- Home delivery price by zone (country) and parcel weight: the first row whose max_weight_g is
-- at least the parcel's weight applies.
create table shipping_rates (
  zone text not null,
  max_weight_g int not null check (max_weight_g > 0),
  amount bigint not null check (amount >= 0),
  currency char(3) not null,
  primary key (zone, max_weight_g)
);
insert into shipping_rates (zone, max_weight_g, amount, currency) values
  ('ES', 2000, 395, 'EUR'), ('ES', 10000, 695, 'EUR'), ('ES', 30000, 1295, 'EUR'),
  ('*', 2000, 995, 'EUR'), ('*', 10000, 1595, 'EUR'), ('*', 30000, 2995, 'EUR');
