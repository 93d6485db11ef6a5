-- Marketplaces console (issue 18): an exception staff settled by hand becomes 'resolved' (no Omnia order,
-- nothing sent to the marketplace) with their note; the connection remembers its last import run.
alter table marketplace_orders drop constraint marketplace_orders_status_check;
alter table marketplace_orders
  add constraint marketplace_orders_status_check
  check (status in ('received', 'imported', 'exception', 'cancelled', 'resolved'));
alter table marketplace_orders add column resolution text;
alter table marketplace_connections add column last_import_at timestamptz;
alter table marketplace_connections add column last_import_count int;
