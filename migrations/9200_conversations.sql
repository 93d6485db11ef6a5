-- Webchat into the contact center (issue 19 point 3): a shopper's conversation with the agents and its
-- messages. Messages are the source of truth for every process: live delivery only wakes readers, who read
-- from here (see src/conversations/live.ts), so a message posted to one process reaches a reader of another.
create table conversations (
  id text primary key,
  channel_id text not null references channels (id),
  -- the person the transcript belongs to (their 360, export and erasure); null while nobody is known
  customer_id text,
  -- true when customer_id came from the shopper's own customer token; false when the shopper only typed an
  -- e-mail (matched to a known person) or an agent linked the person after asking
  customer_verified boolean not null default false,
  -- sha-256 of the conversation token (the shopper's secret; shown once, at opening)
  token_hash text not null,
  shopper_name text,
  shopper_email text,
  status text not null check (status in ('waiting', 'open', 'closed')),
  assigned_to text,
  assigned_at timestamptz,
  closed_at timestamptz,
  -- bumped by every change (message, assignment, hand-over, close): what live readers compare
  version int not null default 0,
  last_seq int not null default 0,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
-- The agents' queue: waiting oldest first, mine and closed newest first.
create index conversations_queue on conversations (status, updated_at, id);
create index conversations_assignee on conversations (assigned_to, status, updated_at) where assigned_to is not null;
create index conversations_customer on conversations (customer_id, created_at) where customer_id is not null;

create table conversation_messages (
  conversation_id text not null references conversations (id) on delete cascade,
  -- 1, 2, 3 … per conversation, assigned under the conversation's row lock: readers resume after a seq
  seq int not null,
  author text not null check (author in ('shopper', 'agent', 'system')),
  staff_id text,
  kind text not null check (kind in ('text', 'cart', 'event')),
  body text not null,
  -- kind 'cart': { cart_id, code, expires_at } — the hand-off code the shopper's page claims
  cart jsonb,
  created_at timestamptz not null,
  primary key (conversation_id, seq)
);
