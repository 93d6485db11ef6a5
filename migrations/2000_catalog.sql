-- Catalog: products, their variants (the SKUs everything else counts and sells) and the price book.

create table products (
  id text primary key,
  code text not null unique,
  name text not null,
  description text not null default '',
  brand text not null default '',
  -- slash path, e.g. 'women/shoes/sneakers'
  category text not null default '',
  tax_class text not null default 'standard' check (tax_class in ('standard', 'reduced', 'super_reduced')),
  returnable boolean not null default true,
  attributes jsonb not null default '{}',
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index products_category on products (category, id);

create table variants (
  sku text primary key check (sku ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  product_id text not null references products (id),
  -- GTIN-13; the check digit is validated by the service (rules.ts) before it gets here
  gtin char(13) unique check (gtin ~ '^[0-9]{13}$'),
  size text,
  colour text,
  weight_g int not null default 0 check (weight_g >= 0),
  -- minor units of the default currency, for stock investment figures
  unit_cost bigint not null default 0 check (unit_cost >= 0),
  position int not null default 0,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index variants_product on variants (product_id, position, sku);

-- The price book: one entry per SKU, currency and channel (channel_id null = the default every
-- channel uses unless it has its own). Prices are tax-inclusive minor units. The sale price applies
-- between valid_from and valid_to (open ends when null); outside that window the list price holds.
create table prices (
  id bigint generated always as identity primary key,
  sku text not null references variants (sku),
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  channel_id text,
  list_amount bigint not null check (list_amount >= 0),
  sale_amount bigint check (sale_amount >= 0 and sale_amount <= list_amount),
  valid_from timestamptz,
  valid_to timestamptz,
  updated_at timestamptz not null default now(),
  check (valid_from is null or valid_to is null or valid_from < valid_to),
  constraint prices_entry unique nulls not distinct (sku, currency, channel_id)
);
