-- The in-transaction consumers' claim (events/deliveries-store.ts lockDue) takes the oldest due rows
-- in (next_attempt_at, id) order. The index held next_attempt_at alone, so every claim joined every
-- due row with its outbox event and sorted them all before taking its 50: with a backlog of 14,000
-- due rows (the checkout benchmark's consumers behind the load) one claim cost 220 ms, and the
-- bigger the backlog the slower the consumers worked it off. On (next_attempt_at, id) the claim
-- reads its rows in order and stops at its limit.
drop index event_deliveries_due;
create index event_deliveries_due on event_deliveries (next_attempt_at, id) where status = 'pending';

-- The side-effect consumers' claim (claimDue) reads each consumer's due rows on their own: in the
-- shared order above, their few rows sat among the in-transaction consumers' backlog, and every claim
-- stepped over all of it.
create index event_deliveries_due_consumer on event_deliveries (consumer, next_attempt_at, id) where status = 'pending';
