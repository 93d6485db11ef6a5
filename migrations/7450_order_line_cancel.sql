-- Cancelling units of an order line (issue 14 point 8). The line's quantity is what is still live
-- (fulfilled or to fulfil); what was cancelled is kept beside it, so a fully cancelled line shows 0 + n.
alter table order_lines drop constraint order_lines_quantity_check;
alter table order_lines add constraint order_lines_quantity_check check (quantity >= 0);
alter table order_lines add column cancelled_quantity int not null default 0 check (cancelled_quantity >= 0);
-- What cancelling lines took off the order (minor units): the capture at the first shipment takes the
-- authorised amount minus this, so the cancelled units' share of an authorisation is never captured
-- (it lapses with the authorisation, as a void of the difference would).
alter table orders add column cancelled_amount bigint not null default 0;
