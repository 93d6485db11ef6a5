-- Sourcing counts each capacity-limited location's packages of the day (fulfillment/store.ts
-- packagesSince, and the inbox's claim of an order to source): with this index it reads that
-- location's rows since midnight, where the count had no index on created_at and scanned every
-- fulfillment ever made, once per order sourced.
create index fulfillments_location_day on fulfillments (location_id, created_at);
