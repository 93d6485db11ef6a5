-- Revocable staff and customer tokens (issue 11 point 7). Tokens stay signed and stateless to
-- issue; what revokes them is kept here and read on each request (cached a few seconds per process).

-- Every token of a subject (staff user or customer id) issued at or before not_before is refused:
-- written when a user is disabled or changes role or location, and when a customer is erased.
create table auth_revocations (
  subject text primary key,
  not_before timestamptz not null
);

-- One token's session ended by logout; kept until the token would have expired anyway.
create table auth_revoked_sessions (
  sid text primary key,
  subject text not null,
  expires_at timestamptz not null,
  revoked_at timestamptz not null
);
create index auth_revoked_sessions_expires on auth_revoked_sessions (expires_at);
