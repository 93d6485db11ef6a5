-- Personal messages with consent (issue 16): coupon campaigns to saved segments, and the
-- abandoned-cart reminder. What each person was sent (or why not) is in the notifications log.
create table campaigns (
  id text primary key,
  name text not null,
  segment_id text not null,
  promotion_id text not null,
  offer text,
  channel text not null check (channel in ('email', 'sms', 'push')),
  -- at most cap_max marketing messages per person in cap_days (every campaign and reminder counts)
  cap_max int not null check (cap_max between 1 and 100),
  cap_days int not null check (cap_days between 1 and 365),
  status text not null check (status in ('draft', 'sending', 'sent')),
  batch_id text,
  created_by text not null,
  created_at timestamptz not null,
  sent_at timestamptz,
  finished_at timestamptz
);

-- One row per person of the segment when the campaign was sent: the intent, recorded before any
-- mail leaves; `logged` once the outcome is in the notifications log (a job finishes the rest).
create table campaign_recipients (
  campaign_id text not null references campaigns (id),
  customer_id text not null,
  status text not null check (status in ('pending', 'sent', 'skipped')),
  reason text,
  coupon_code text,
  logged boolean not null default false,
  updated_at timestamptz not null,
  primary key (campaign_id, customer_id)
);
create index campaign_recipients_open on campaign_recipients (campaign_id) where not logged;
create index campaign_recipients_customer on campaign_recipients (customer_id);

-- One reminder per cart, ever: pending (claimed, mail not yet out), sent or skipped.
create table cart_reminders (
  cart_id text primary key,
  customer_id text not null,
  status text not null check (status in ('pending', 'sent', 'skipped')),
  reason text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index cart_reminders_customer on cart_reminders (customer_id);

-- The frequency cap counts a person's marketing messages in a window.
create index notifications_customer on notifications (customer_id, created_at);
