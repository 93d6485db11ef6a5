-- Reviews (issue 19 point 1): one review per person and product, from any channel. The verified-purchase
-- badge is decided when the review is written, from the orders of every profile row of the person; the
-- order that proves it is kept. Moderation: pending → approved | rejected (with the reason).
create table reviews (
  id text primary key,
  product_id text not null,
  -- the variant the person bought or names (its size gives the size feedback a meaning), when known
  sku text,
  -- the person's resolved id when written; null once the author is erased (rating and size feedback stay)
  customer_id text,
  -- shown next to a published review ("Ana G."): the author's choice of name, erased with them
  author_name text,
  channel_id text not null,
  rating smallint not null check (rating between 1 and 5),
  title text,
  body text,
  size_feedback text check (size_feedback in ('small', 'true', 'large')),
  verified boolean not null,
  verified_order_id text,
  -- where the proving purchase was made: web, app, pos, marketplace, ...
  verified_channel_type text,
  status text not null check (status in ('pending', 'approved', 'rejected')),
  reject_reason text,
  moderated_by text,
  moderated_at timestamptz,
  erased_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
-- One review per profile row and product: a second one is a 409 (the service checks the whole person).
create unique index reviews_product_customer on reviews (product_id, customer_id) where customer_id is not null;
-- The product page: approved ones, newest first; and its summary (an aggregate over the same rows).
create index reviews_product_status on reviews (product_id, status, id);
-- The moderation queue, oldest first.
create index reviews_status on reviews (status, id);
create index reviews_customer on reviews (customer_id) where customer_id is not null;
