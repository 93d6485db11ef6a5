-- Gift orders (issue 16 point 6): an order marked as a gift carries a message and a gift receipt
-- code; the recipient returns or exchanges with that code (store credit, never a refund to the buyer).
alter table orders add column gift boolean not null default false;
alter table orders add column gift_message text;
alter table orders add column gift_receipt_code text;
create unique index orders_gift_receipt_code on orders (gift_receipt_code) where gift_receipt_code is not null;
