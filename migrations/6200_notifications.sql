-- The notification log (issue 7): one row per (event, template), so redelivered events send once.
create table notifications (
  id text primary key,
  event_id text not null,
  template text not null,
  kind text not null check (kind in ('transactional', 'marketing')),
  channel text not null,
  recipient text,
  subject text,
  status text not null check (status in ('sent', 'skipped')),
  reason text,
  order_id text,
  customer_id text,
  created_at timestamptz not null,
  unique (event_id, template)
);
create index notifications_order on notifications (order_id);
