-- Availability answers cached per SKU (src/inventory/answer-cache.ts) are keyed by the summary row's
-- version: a process keeps a SKU's row (and the JSON answers made from it) and, on the next read,
-- asks the database only for the row's version, shipping the arrays only when it changed. updated_at
-- cannot be that key (two commits in one millisecond, or a clock standing still, share it). Every
-- write of a row takes a new value of one sequence (atp-summary-store.ts: the sync's UPDATE, the
-- rebuild's upsert, and an INSERT by default), and sequence values are never handed out twice, even
-- by a transaction that rolls back; so a (sku, version) pair names exactly one committed content, on
-- the primary and on a replica alike, whatever deletes or re-inserts happen.
create sequence atp_summary_version;
-- Existing rows keep 0 (no table rewrite): each keeps that value only until its first write.
alter table atp_summary add column version bigint not null default 0;
alter table atp_summary alter column version set default nextval('atp_summary_version');
