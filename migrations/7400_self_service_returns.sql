-- Self-service and gift returns (issue 16 points 5 and 6). A customer's return starts `requested`
-- with a return code (QR payload) and its drop-off choice; nothing moves or is refunded until a
-- store receives it by that code. A gift receipt's return credits a gift card, never the buyer.
alter table returns drop constraint returns_status_check;
alter table returns add constraint returns_status_check check (status in ('requested', 'received', 'refunded'));
alter table returns add column return_code text;
alter table returns add column dropoff_method text check (dropoff_method in ('store', 'pickup_point', 'carrier'));
alter table returns add column received_at timestamptz;
alter table returns add column gift boolean not null default false;
alter table returns add column store_credit_account_id text;
create unique index returns_code on returns (return_code) where return_code is not null;
