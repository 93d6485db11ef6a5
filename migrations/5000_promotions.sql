-- Promotions: rules as data (the engine in src/promotions reads them into memory), coupons, and
-- the ledger of coupon redemptions written inside each order's transaction.

create table promotions (
  id text primary key,
  code text unique,
  name text not null,
  description text not null default '',
  kind text not null check (kind in ('item_percent', 'item_amount', 'basket_percent', 'basket_amount', 'tiered_spend', 'buy_x_get_y', 'bundle_price', 'free_shipping')),
  status text not null default 'active' check (status in ('active', 'inactive')),
  currency char(3) not null default 'EUR',
  -- kind-specific parameters, the item scope and the context conditions (validated by rules.ts)
  params jsonb not null default '{}',
  scope jsonb not null default '{}',
  conditions jsonb not null default '{}',
  exclusive boolean not null default false,
  priority int not null default 0,
  group_key text,
  coupon_required boolean not null default false,
  starts_at timestamptz,
  ends_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (starts_at is null or ends_at is null or starts_at < ends_at)
);
create index promotions_live on promotions (status, ends_at);

-- One row per code. A single-use code is max_redemptions = 1; the counter only moves by a
-- conditional increment, and the check below is the last line of defence against a double use.
create table coupons (
  code text primary key check (code ~ '^[A-Z0-9]{3,40}$'),
  promotion_id text not null references promotions (id),
  kind text not null check (kind in ('public', 'single_use')),
  batch_id text,
  customer_id text,
  max_redemptions int check (max_redemptions > 0),
  per_customer_limit int check (per_customer_limit > 0),
  redemptions int not null default 0,
  starts_at timestamptz,
  ends_at timestamptz,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  check (redemptions >= 0 and (max_redemptions is null or redemptions <= max_redemptions)),
  check (kind <> 'single_use' or max_redemptions = 1),
  check (starts_at is null or ends_at is null or starts_at < ends_at)
);
create index coupons_promotion on coupons (promotion_id, code);
create index coupons_batch on coupons (batch_id) where batch_id is not null;

create table coupon_redemptions (
  id text primary key,
  code text not null references coupons (code),
  promotion_id text not null,
  order_id text not null,
  customer_id text,
  single_use boolean not null,
  created_at timestamptz not null default now(),
  unique (code, order_id)
);
-- a single-use code appears at most once, whatever raced to redeem it
create unique index coupon_redemptions_single_use on coupon_redemptions (code) where single_use;
create index coupon_redemptions_customer on coupon_redemptions (code, customer_id);
