-- Carriers (issue 18 part 3): labels bought from a carrier for a fulfillment task, and the tracking
-- checkpoints that came back (polled or pushed). A shipment row is written BEFORE the carrier is
-- called (status 'requested'): its id is the reference sent to the carrier, so a crash between the
-- call and the answer leaves a row the settle job finds and finishes, never a label paid twice.

-- A home delivery the carrier reports delivered ends in its own status (shipped → delivered).
alter table fulfillments drop constraint if exists fulfillments_status_check;
alter table fulfillments add constraint fulfillments_status_check check (status in (
  'pending', 'accepted', 'picked', 'packed', 'shipped', 'in_transit', 'ready_for_pickup', 'handed_over',
  'rejected', 'cancelled', 'returned_to_stock', 'delivered'));

create table carrier_shipments (
  id text primary key,
  fulfillment_id text not null,
  order_id text not null,
  -- the carrier code ('dhl_express'); the account is the carrier's configured one
  carrier text not null,
  status text not null check (status in ('requested', 'created', 'failed')),
  -- what was asked for (addresses, parcels, product): the settle job retries it without re-reading the task
  request jsonb not null,
  attempts int not null default 0,
  next_at timestamptz not null,
  last_error text,
  tracking_number text,
  tracking_url text,
  -- the label document as the carrier sent it: base64 content and its format ('pdf' | 'zpl')
  label_format text,
  label_base64 text,
  -- the latest normalised tracking status, and when the fulfillment was moved to delivered by it
  tracking_status text,
  delivered_at timestamptz,
  applied_at timestamptz,
  polled_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
-- One live label per task: a second request while one is pending or made answers the first.
create unique index carrier_shipments_live on carrier_shipments (fulfillment_id) where status <> 'failed';
create unique index carrier_shipments_tracking on carrier_shipments (carrier, tracking_number) where tracking_number is not null;
create index carrier_shipments_requested on carrier_shipments (next_at) where status = 'requested';
create index carrier_shipments_tracking_due on carrier_shipments (polled_at) where status = 'created' and applied_at is null;

-- Every checkpoint once: the same event from a poll and a webhook (or a webhook sent twice) is one row.
create table carrier_tracking_events (
  shipment_id text not null,
  event_key text not null,
  code text not null,
  status text not null,
  description text,
  occurred_at timestamptz not null,
  source text not null check (source in ('poll', 'webhook')),
  received_at timestamptz not null,
  primary key (shipment_id, event_key)
);
