-- Pickup codes lock after wrong tries (issue 11 point 7): each wrong code at handover counts on the
-- task; at the limit (fulfillment rules.ts PICKUP_MAX_TRIES) the handover locks until a staff member
-- with `fulfillment:unlock` unlocks it (which resets the count; the code itself stays the one mailed).
alter table fulfillments add column pickup_failures int not null default 0;
alter table fulfillments add column pickup_locked_at timestamptz;
