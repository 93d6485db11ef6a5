-- The store associate app's queue (issue 14 point 1): what a task was packed into and who carries it.
-- parcels and weight_g are recorded at pack (the packing slip and the carrier label need them);
-- carrier at ship, beside the tracking number that was already there.
alter table fulfillments add column parcels int;
alter table fulfillments add column weight_g int;
alter table fulfillments add column carrier text;
-- When the pickup notification was last sent again from the store (the first send is the ready event).
alter table fulfillments add column pickup_notified_at timestamptz;
