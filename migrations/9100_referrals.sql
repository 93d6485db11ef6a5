-- Referrals (issue 19 point 2): the retailer's programme, one code per person, one referral row per
-- friend's order that carried a code, and the traits (hashed delivery addresses and payment
-- fingerprints of a person's past orders) that the self-referral check compares.

-- One programme for the retailer: which promotion the friend gets (a coupon-only, first-order
-- promotion of the one pricing engine) and how much store credit the referrer earns.
create table referral_programme (
  id text primary key check (id = 'default'),
  promotion_id text not null,
  reward_minor bigint not null check (reward_minor > 0),
  currency char(3) not null,
  -- the storefront page a share link opens; the code travels as ?referral=
  link_base text not null,
  active boolean not null,
  updated_at timestamptz not null
);

-- A person's code: created on first request, kept for good (a merge keeps the oldest of its rows').
-- The code is also a public coupon of the programme's promotion, so the pricing engine applies it.
create table referral_codes (
  code text primary key,
  customer_id text not null,
  promotion_id text not null,
  created_at timestamptz not null
);
create unique index referral_codes_customer on referral_codes (customer_id);

create table referrals (
  id text primary key,
  code text not null,
  referrer_id text not null,
  friend_id text,
  -- one referral per order: a repeated order.placed finds it and does nothing
  order_id text not null unique,
  status text not null check (status in ('pending', 'refused', 'credited', 'reversed', 'void')),
  -- refused: same_person | same_device | same_address | same_payment; void: order_cancelled | returned | referrer_gone
  reason text,
  detail text,
  reward_minor bigint not null,
  currency char(3) not null,
  order_units integer not null,
  returned_units integer not null default 0,
  credit_account_id text,
  reversed_minor bigint,
  unrecovered_minor bigint,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  credited_at timestamptz,
  reversed_at timestamptz
);
create index referrals_referrer on referrals (referrer_id, id);
create index referrals_friend on referrals (friend_id, id);
create index referrals_status on referrals (status, id);

-- Returns already counted against a referral (return.received repeats).
create table referral_returns (
  referral_id text not null references referrals (id),
  return_id text not null,
  units integer not null,
  primary key (referral_id, return_id)
);

-- SHA-256 of a normalised delivery address or payment fingerprint, per customer row; erased with them.
create table referral_traits (
  customer_id text not null,
  kind text not null check (kind in ('address', 'payment')),
  hash text not null,
  created_at timestamptz not null,
  primary key (customer_id, kind, hash)
);
create index referral_traits_hash on referral_traits (kind, hash);
