-- Receiving transfers at the store: why a closed transfer came up short (damaged, missing, wrong
-- item), and the store's list of what is on its way to it (GET /v1/transfers?to_location_id=).
alter table transfers add column discrepancy_reason text;
create index transfers_incoming on transfers (to_location_id, status, id);
