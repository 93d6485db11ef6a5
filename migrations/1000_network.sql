-- Network: sales channels and the physical locations that hold or hand over stock.

create table channels (
  id text primary key,
  code text not null unique,
  type text not null check (type in ('web', 'app', 'pos', 'contact_center', 'marketplace', 'social')),
  name text not null,
  currency char(3) not null default 'EUR',
  country char(2) not null default 'ES',
  -- null = every location feeds this channel; otherwise the listed location ids
  stock_locations text[],
  safety_stock int not null default 0 check (safety_stock >= 0),
  buffer_pct int not null default 0 check (buffer_pct between 0 and 100),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table locations (
  id text primary key,
  code text not null unique,
  type text not null check (type in ('store', 'warehouse', 'pickup_point')),
  name text not null,
  lat double precision not null check (lat between -90 and 90),
  lng double precision not null check (lng between -180 and 180),
  address jsonb not null,
  capabilities text[] not null default '{}',
  opening_hours jsonb not null default '{}',
  timezone text not null default 'Europe/Madrid',
  daily_capacity int not null default 0 check (daily_capacity >= 0),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index locations_type on locations (type);
