-- Analytics (issue 15): demand answered out of stock, recorded compactly for the lost-sales report and
-- for planning (a store × SKU × day with lost demand is a censored demand day).
-- One row per (day, source, channel, location, sku) per flush of the in-memory batch: the recorder
-- sums repeated answers before writing, so a hot sold-out SKU costs one row per flush, not one per ask.
create table analytics_lost_demand (
  day date not null,
  -- what answered "out of stock": an availability query, a cart addition or a checkout
  source text not null check (source in ('availability', 'cart', 'checkout')),
  channel_id text not null,
  -- the store asked about (availability in a store, a till, click & collect); null when the channel
  -- as a whole was short (a web cart)
  location_id text,
  sku text not null,
  -- units asked for and not granted, and how many times it was asked
  units int not null check (units > 0),
  asks int not null check (asks > 0),
  -- the price of one unit when it was asked, minor units
  unit_price bigint not null check (unit_price >= 0),
  currency char(3) not null,
  -- units other locations could still promise at that moment (the best seen in the batch):
  -- > 0 means the chain could have served it from elsewhere
  elsewhere int not null check (elsewhere >= 0)
);
create index analytics_lost_demand_day on analytics_lost_demand (day, sku);
create index analytics_lost_demand_location on analytics_lost_demand (location_id, day) where location_id is not null;
