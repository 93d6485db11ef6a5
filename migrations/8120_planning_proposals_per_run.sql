-- Proposals in one partition per run, indexed once when the run has written them (like the results,
-- migration 8110).
--
-- A 500-store run writes about 3.8 million replenishment proposals. Inserted into one table with a
-- text primary key and two more text indexes in the database's collation, each row cost three index
-- descents: about 30 % of a chunk's time. A run now loads its own bare table and the attach builds
-- the indexes with one sort each. Keys compare bytewise (collate "C"): the ids are ASCII, so the
-- order is the same. Each partition has a unique index on id alone (a unique key on the partitioned
-- table would have to hold run_id too, 30 bytes more in each of millions of entries): a proposal is
-- found by id with one probe per run's partition, and listing a run's proposals prunes to its
-- partition and walks that index in id order. Ids are unique across runs by construction (a
-- per-run random tail, see src/planning/run-sql.ts).
alter table planning_proposals rename to planning_proposals_unpartitioned;
alter index planning_proposals_pkey rename to planning_proposals_unpartitioned_pkey;
drop index planning_proposals_run;
drop index planning_proposals_status;

create table planning_proposals (
  id text collate "C" not null,
  run_id text collate "C" not null,
  kind text not null check (kind in ('replenishment', 'rebalancing')),
  sku text collate "C" not null,
  from_location_id text collate "C" not null,
  to_location_id text collate "C" not null,
  units int not null check (units > 0),
  -- what the store needed to reach max (more than units when the source was short)
  needed int not null check (needed >= units),
  status text not null check (status in ('proposed', 'accepted', 'rejected')),
  transfer_id text,
  decided_by text,
  decided_at timestamptz,
  created_at timestamptz not null
) partition by list (run_id);
create index planning_proposals_status on planning_proposals (status, id);

-- The runs' proposals made before: a partition each, rows moved over.
do $$
declare r record;
begin
  for r in select distinct run_id from planning_proposals_unpartitioned loop
    execute format('create table %I partition of planning_proposals for values in (%L)',
      'planning_proposals_' || lower(r.run_id), r.run_id);
    execute format('create unique index %I on %I (id)',
      'planning_proposals_' || lower(r.run_id) || '_id', 'planning_proposals_' || lower(r.run_id));
  end loop;
end $$;
insert into planning_proposals select * from planning_proposals_unpartitioned;
drop table planning_proposals_unpartitioned;
