-- Payment by link (issue 14 point 8): a Stripe Checkout Session per pending payment, keyed by our
-- payment id (the Idempotency-Key of the create call). As for PaymentIntents (6310), the row is written
-- BEFORE Stripe is called, with the exact create parameters (text, not jsonb: the replay after a crash
-- must send the very same request, expires_at included); the session's id, url and status are stored
-- once Stripe answers or a webhook names them, and the PaymentIntent it made once the shopper paid.
create table stripe_checkout_sessions (
  payment_id text primary key,
  session_id text unique,
  params text not null,
  url text,
  status text,
  payment_intent_id text unique,
  expires_at timestamptz not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
