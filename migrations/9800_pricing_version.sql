-- The pricing version (issue 17 point 2, quote reuse at checkout): one counter row that moves, in the
-- writing transaction, with every write of what a cart's quote is made from when it has no customer and
-- no coupon (src/carts/quote-reuse.ts): the price book, the variant and product facts the engine reads
-- (product, size, active; category, tax class), and the promotions. A statement trigger keeps it, as
-- for webhooks_version (migration 9450), so a write by the API, an import, a script or psql moves it
-- and a rolled-back write moves nothing. Readers compare `version || ':' || xmin`, never the number
-- alone: a transaction that wrote sees its own uncommitted number, which a later commit may take again.
--
-- Not here, on purpose: coupons (every redemption updates its coupon row, so a trigger there would
-- make the counter row a lock that every checkout with a coupon waits on; carts with coupons are always
-- re-priced instead), customers (their facts move with orders and time; carts with a customer are
-- always re-priced), shipping rates (the shipping amount is part of the reuse key itself), channels and
-- locations (the VAT country is part of the key), weights and costs of variants (not read by a quote).
create table pricing_version (
  id int primary key check (id = 1),
  version bigint not null
);
insert into pricing_version (id, version) values (1, 0);

-- BEFORE each statement, not after: the counter row is locked before the statement's first row, so
-- two writers of different rows queue on the counter instead of each holding a row the other's second
-- statement wants while waiting for the counter (a deadlock the AFTER form allowed).
create function pricing_version_bump() returns trigger language plpgsql as $$
begin
  update pricing_version set version = version + 1 where id = 1;
  return null;
end
$$;

create trigger pricing_version_bump before insert or update or delete or truncate on prices
  for each statement execute function pricing_version_bump();
create trigger pricing_version_bump before insert or update or delete or truncate on promotions
  for each statement execute function pricing_version_bump();
create trigger pricing_version_bump before insert or delete or truncate on variants
  for each statement execute function pricing_version_bump();
create trigger pricing_version_bump_update before update of sku, product_id, size, active on variants
  for each statement execute function pricing_version_bump();
create trigger pricing_version_bump before insert or delete or truncate on products
  for each statement execute function pricing_version_bump();
create trigger pricing_version_bump_update before update of id, category, tax_class, active on products
  for each statement execute function pricing_version_bump();

-- What the cart's stored quote (`priced`) was made from: the versions, the inputs and until when it
-- holds (QuoteBasis in src/carts/quote-reuse.ts). Written with the quote in one statement.
alter table carts add column priced_basis jsonb;
