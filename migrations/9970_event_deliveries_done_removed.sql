-- A delivery that succeeds now deletes its row (platform/events/deliveries-store.ts removeDone) where
-- it was marked 'done' and kept for ever. Nothing reads the done rows; remove those an older version
-- left, so the table holds pending and dead work only, as docs/security.md says.
delete from event_deliveries where status = 'done';
