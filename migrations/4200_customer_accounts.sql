-- One account from every channel (issue 16): one-time codes mailed to prove an inbox (registering,
-- claiming a profile another channel created, password reset), and the shopper's message locale.
create table customer_account_codes (
  id text primary key,
  -- register: a new account once verified; claim: an existing profile gets the account; reset: a new
  -- password; exists: the address already has an account (the mail says so; the code opens nothing).
  purpose text not null check (purpose in ('register', 'claim', 'reset', 'exists')),
  email text not null,
  channel_id text not null,
  customer_id text,
  -- HMAC of the code with the server secret: a leaked table does not give the codes away
  code_hash text not null,
  -- the code sealed (AES-GCM, platform/auth/keyring.ts) only until the mail has left, then null
  code_sealed text,
  -- the password chosen when registering (argon2id), applied on verification
  password_hash text,
  first_name text,
  last_name text,
  locale text,
  attempts int not null default 0,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null
);
create index customer_account_codes_email on customer_account_codes (email, created_at);

-- The language messages are written in for a person (root id), and where it came from.
create table customer_locales (
  customer_id text primary key,
  locale text not null,
  source text not null check (source in ('shopper', 'channel', 'store')),
  updated_at timestamptz not null
);
