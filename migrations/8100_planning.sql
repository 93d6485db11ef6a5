-- Planning (issue 15): the daily demand summary per SKU × store, min/max runs and their results,
-- and replenishment / rebalancing proposals. Keyed SKU first, like stock_levels.

-- One row per SKU, store and day: units demanded (order lines sourced there + till sales) and whether
-- the SKU was out of stock for (part of) the day. Such a day is censored: its sales are a lower
-- bound of demand, so the estimates leave it out.
create table planning_demand_daily (
  sku text not null,
  location_id text not null,
  day date not null,
  units int not null check (units >= 0),
  stockout boolean not null,
  primary key (sku, location_id, day)
);

-- One row per SKU × store over a history window: the sums a run needs (mean and sample sd come from
-- n, Σx, Σx² over the uncensored days), so a run reads one row per pair instead of every day.
create table planning_demand_summary (
  sku text not null,
  location_id text not null,
  observed_days int not null check (observed_days >= 0),
  censored_days int not null check (censored_days >= 0),
  units_sum bigint not null check (units_sum >= 0),
  units_sumsq bigint not null check (units_sumsq >= 0),
  primary key (sku, location_id)
);

create table planning_runs (
  id text primary key,
  status text not null check (status in ('queued', 'running', 'done', 'failed')),
  params jsonb not null,
  -- SKU × store pairs to compute and computed so far (the progress bar)
  total int not null default 0,
  done int not null default 0,
  summary jsonb,
  error text,
  actor text not null,
  -- a worker holds a running run until then; an expired lease is taken over (a crashed worker)
  lease_until timestamptz,
  applied_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  finished_at timestamptz
);
create index planning_runs_due on planning_runs (created_at) where status in ('queued', 'running');

create table planning_results (
  run_id text not null references planning_runs (id),
  sku text not null,
  location_id text not null,
  mean_daily real not null,
  sd_daily real not null,
  observed_days int not null,
  censored_days int not null,
  min_qty int not null check (min_qty >= 0),
  max_qty int not null check (max_qty >= min_qty),
  unit_cost bigint not null check (unit_cost >= 0),
  -- expected average stock (safety + half a review period) at cost, minor units
  investment bigint not null check (investment >= 0),
  safety_alone real not null,
  safety_pooled real not null,
  primary key (run_id, location_id, sku)
);

-- Per store of a run: investment and pooling saving (the chain-wide figures are in planning_runs.summary).
create table planning_run_stores (
  run_id text not null references planning_runs (id),
  location_id text not null,
  skus int not null,
  min_units bigint not null,
  max_units bigint not null,
  investment bigint not null,
  safety_alone real not null,
  safety_pooled real not null,
  safety_saving_value bigint not null,
  primary key (run_id, location_id)
);

create table planning_proposals (
  id text primary key,
  run_id text not null references planning_runs (id),
  kind text not null check (kind in ('replenishment', 'rebalancing')),
  sku text not null,
  from_location_id text not null,
  to_location_id text not null,
  units int not null check (units > 0),
  -- what the store needed to reach max (more than units when the source was short)
  needed int not null check (needed >= units),
  status text not null check (status in ('proposed', 'accepted', 'rejected')),
  transfer_id text,
  decided_by text,
  decided_at timestamptz,
  created_at timestamptz not null
);
create index planning_proposals_run on planning_proposals (run_id, id);
create index planning_proposals_status on planning_proposals (status, id);
