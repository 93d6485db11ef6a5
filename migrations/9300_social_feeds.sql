-- Social shops (issue 19, point 4): a catalog feed per social channel (Meta commerce catalog CSV, Google
-- Merchant RSS), stored per SKU and regenerated only for the SKUs whose price, stock or product changed,
-- and share links that carry attribution parameters.

-- One feed per social channel. The fetch token is shown once; only its SHA-256 is kept.
create table social_feeds (
  channel_id text primary key references channels (id),
  token_hash text not null unique,
  -- the token's last characters, so staff can tell which one a platform holds
  token_hint text not null,
  -- product page and image URLs: {sku}, {product_code}, {product_id} are replaced
  link_template text not null,
  image_template text not null,
  active boolean not null default true,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

-- SKUs waiting to be regenerated. The mark comes from a sequence: a refresh clears only the marks it read
-- before computing, so a change marked while it ran keeps its newer mark for the next refresh.
create sequence social_feed_dirty_seq;
create table social_feed_dirty (
  channel_id text not null references social_feeds (channel_id),
  sku text not null,
  mark bigint not null,
  primary key (channel_id, sku)
);

-- The stored feed: one row per SKU the channel sells, as the platforms are sent it.
create table social_feed_items (
  channel_id text not null references social_feeds (channel_id),
  sku text not null,
  product_id text not null,
  title text not null,
  description text not null,
  brand text not null,
  link text not null,
  image_link text not null,
  size text,
  color text,
  gtin text,
  currency text not null,
  price bigint not null check (price >= 0),
  sale_price bigint check (sale_price >= 0),
  -- what the channel may promise (after its buffer and safety stock) when the row was computed
  quantity int not null check (quantity >= 0),
  -- bumped only when a figure of the row changed: the proof that a change touches only its rows
  revision int not null default 1,
  updated_at timestamptz not null,
  primary key (channel_id, sku)
);

-- Share links: a product page URL with utm_source/utm_medium/utm_campaign and the share id.
create table share_links (
  id text primary key,
  channel_id text not null references channels (id),
  target_url text not null,
  campaign text not null,
  medium text not null,
  sku text,
  -- the customer who shared (a customer token), null for staff or anonymous shares
  sharer_customer_id text,
  visits int not null default 0,
  created_at timestamptz not null
);
create index share_links_sharer on share_links (sharer_customer_id) where sharer_customer_id is not null;
