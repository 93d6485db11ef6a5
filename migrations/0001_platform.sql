-- Platform: settings, credentials, idempotency, the transactional outbox, webhooks, job leases.

create table platform_settings (
  key text primary key,
  value text not null
);

create table staff_users (
  id text primary key,
  email text not null unique,
  password_hash text not null,
  role text not null check (role in ('admin', 'merchandiser', 'store_associate', 'agent')),
  location_id text,
  disabled boolean not null default false,
  created_at timestamptz not null default now(),
  check (role <> 'store_associate' or location_id is not null)
);

create table api_keys (
  id text primary key,
  channel_id text not null,
  location_id text,
  scopes text[] not null,
  secret_hash text not null,
  label text,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index api_keys_channel on api_keys (channel_id);

-- A retried mutation returns its first answer. The row is claimed before the handler runs
-- (response null, locked_until set) and completed after it answers.
create table idempotency_keys (
  principal text not null,
  key text not null,
  method text not null,
  path text not null,
  request_hash text not null,
  status_code int,
  response text,
  content_type text,
  locked_until timestamptz,
  created_at timestamptz not null default now(),
  primary key (principal, key)
);
create index idempotency_keys_created on idempotency_keys (created_at);

-- Every state change writes its events here in the same transaction.
create table outbox (
  seq bigserial primary key,
  id text not null unique,
  type text not null,
  aggregate_id text,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  dispatched_at timestamptz,
  attempts int not null default 0,
  last_error text
);
create index outbox_pending on outbox (seq) where dispatched_at is null;

create table webhooks (
  id text primary key,
  url text not null,
  secret text not null,
  event_types text[] not null,
  active boolean not null default true,
  description text,
  created_at timestamptz not null default now()
);

create table webhook_deliveries (
  id text primary key,
  webhook_id text not null references webhooks(id) on delete cascade,
  event_id text not null,
  event_type text not null,
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts int not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_status_code int,
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  unique (webhook_id, event_id)
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';

-- Leases let several processes share a periodic job: one holder at a time, taken over when it lapses.
create table job_leases (
  name text primary key,
  holder text not null,
  lease_until timestamptz not null
);
