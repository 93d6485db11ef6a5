-- Marketplace returns (issue 18): one row per return the marketplace reported, unique on its key per
-- connection, so the same report read twice records one Omnia return. The connection's returns job has
-- its own due time (marketplace_return_cursors).
create table marketplace_returns (
  id text primary key,
  connection_id text not null references marketplace_connections (id),
  external_key text not null,
  external_order_id text not null,
  -- waiting: the buyer asked, the goods are not back yet; recorded: an Omnia return exists;
  -- exception: it could not be recorded (unknown order, more units than sold): a marketplace_orders exception row says why
  status text not null check (status in ('waiting', 'recorded', 'exception')),
  return_id text,
  exception_order_id text,
  payload jsonb not null,
  requested_at timestamptz not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  constraint marketplace_returns_external unique (connection_id, external_key)
);
create index marketplace_returns_waiting on marketplace_returns (connection_id, requested_at) where status = 'waiting';
-- Per connection: where the returns job reads from next and when (a row appears on its first run).
create table marketplace_return_cursors (
  connection_id text primary key references marketplace_connections (id),
  since timestamptz not null,
  due_at timestamptz not null,
  last_error text,
  updated_at timestamptz not null
);
