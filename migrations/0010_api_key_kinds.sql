-- Publishable keys (public: in every web page and app, fixed narrow rights) and secret keys
-- (servers and connectors, with scopes). Every key made before this was a secret key.
alter table api_keys add column kind text not null default 'secret';
alter table api_keys add constraint api_keys_kind check (kind in ('publishable', 'secret'));
alter table api_keys alter column kind drop default;

-- Customer register/login is its own scope now (it reads no PII); keys that could log customers in
-- before keep that right. Export, erasure and coupon listing are not granted here: they were
-- implied by broader scopes before, and must now be given explicitly.
update api_keys set scopes = array_append(scopes, 'customers:authenticate')
  where 'customers:read' = any(scopes) and not 'customers:authenticate' = any(scopes);
