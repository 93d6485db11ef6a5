-- Issue 11 (5): per-consumer delivery state. The dispatcher fans each outbox event out into one row
-- per subscribed consumer; each row is worked on its own, with attempts, back-off and a dead state,
-- so one failing consumer neither stalls the outbox nor repeats what the others already did.
create table event_deliveries (
  id text primary key,
  event_id text not null,
  consumer text not null,
  status text not null default 'pending' check (status in ('pending', 'done', 'dead')),
  attempts int not null default 0,
  next_attempt_at timestamptz not null,
  last_error text,
  created_at timestamptz not null,
  done_at timestamptz,
  unique (event_id, consumer)
);
create index event_deliveries_due on event_deliveries (next_attempt_at) where status = 'pending';
create index event_deliveries_dead on event_deliveries (id) where status = 'dead';

-- Issue 11 (6): a webhook belongs to one channel, or to none (global, admin only).
alter table webhooks add column channel_id text;
create index webhooks_channel on webhooks (channel_id);
