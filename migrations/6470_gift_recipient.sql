-- Gift orders (issue 16 point 6): who receives the gift, so the recipient can be told by mail (no prices)
-- what is coming, when, and the gift receipt code. Personal data of the buyer's: erased with the buyer.
alter table orders add column gift_recipient_email text;
alter table orders add column gift_recipient_name text;
