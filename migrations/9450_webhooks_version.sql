-- The webhook subscriptions' version (issue 17): each process caches the active webhooks for the
-- outbox dispatcher's sink instead of reading them for every batch. The dispatcher reads this row in
-- the same statement that claims its events, so a batch whose events committed after a subscription
-- change also sees that change's version, and reloads the subscriptions (platform/events/webhooks/
-- service.ts). A statement trigger keeps it, so every write — the API, a script, psql — moves it in its
-- own transaction: a rolled-back change moves nothing.
create table webhooks_version (
  id int primary key check (id = 1),
  version bigint not null
);
insert into webhooks_version (id, version) values (1, 0);

create function webhooks_version_bump() returns trigger language plpgsql as $$
begin
  update webhooks_version set version = version + 1 where id = 1;
  return null;
end
$$;

create trigger webhooks_version_bump
  after insert or update or delete or truncate on webhooks
  for each statement execute function webhooks_version_bump();
