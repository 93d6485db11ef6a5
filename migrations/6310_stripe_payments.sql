-- Stripe card payments (issue 18 point 4).
--
-- The connector's memory of its PaymentIntents, keyed by our payment id (the Idempotency-Key of the
-- create call). The row is written BEFORE Stripe is called, with the exact create parameters: after a
-- crash or a timeout the reconciliation replays the same create under the same key, which Stripe
-- answers with the original PaymentIntent (or creates it then, if the first call never arrived) —
-- never a second charge. The PaymentIntent id is stored as soon as an answer or a webhook names it.
-- `params` is text, not jsonb: jsonb reorders keys, and the replay must send the very same request.
create table stripe_payment_intents (
  payment_id text primary key,
  payment_intent_id text unique,
  params text not null,
  status text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

-- Webhook events applied, by Stripe's event id: Stripe delivers at least once (and retries for days),
-- so a second delivery of the same event is acknowledged and does nothing.
create table stripe_webhook_events (
  event_id text primary key,
  type text not null,
  object_id text,
  received_at timestamptz not null
);

-- A pending payment whose outcome the provider told us out of band (a PSP webhook) is due for the
-- reconciliation now, not only once it is older than twice the provider timeout.
alter table payments add column settle_after timestamptz;
create index payments_settle_after on payments (settle_after) where status = 'pending' and settle_after is not null;
