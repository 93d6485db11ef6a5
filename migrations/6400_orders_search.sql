-- The counter's order search (GET /v1/orders?query=): by e-mail, newest first. Orders keep the
-- e-mail as typed at checkout, so the index is on its lower-cased form, as the query compares.
-- Phone searches go through the customer's profiles (orders_customer); order numbers through the key.
create index orders_email_search on orders (lower(email), id) where email is not null;
