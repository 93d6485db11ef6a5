-- Results in one partition per run, indexed once when the run has written them.
--
-- A run of a 500-store chain writes 10 million result rows. Kept in the primary key as they were
-- inserted, each row cost an index descent over three text columns in the database's collation;
-- loading a run's own table bare and building its primary key with one sort at the end is several
-- times cheaper, and a run's results are dropped with its table. The key columns compare bytewise
-- (collate "C"): the ids and SKUs are ASCII, so the order is the same, and the sort that builds the
-- index can use abbreviated keys. No foreign key to the run either (on proposals neither): it was
-- checked row by row (a lock on the run row per inserted row); both tables are written only by the
-- run's own computation, under its lease, and runs are never deleted.
alter table planning_proposals drop constraint if exists planning_proposals_run_id_fkey;

alter table planning_results rename to planning_results_unpartitioned;
alter index planning_results_pkey rename to planning_results_unpartitioned_pkey;

create table planning_results (
  run_id text collate "C" not null,
  sku text collate "C" not null,
  location_id text collate "C" not null,
  mean_daily real not null,
  sd_daily real not null,
  observed_days int not null,
  censored_days int not null,
  min_qty int not null check (min_qty >= 0),
  max_qty int not null check (max_qty >= min_qty),
  unit_cost bigint not null check (unit_cost >= 0),
  -- expected average stock (safety + half a review period) at cost, minor units
  investment bigint not null check (investment >= 0),
  safety_alone real not null,
  safety_pooled real not null,
  primary key (run_id, sku, location_id)
) partition by list (run_id);

-- The runs computed before: a partition each, rows moved over.
do $$
declare r record;
begin
  for r in select distinct run_id from planning_results_unpartitioned loop
    execute format('create table %I partition of planning_results for values in (%L)',
      'planning_results_' || lower(r.run_id), r.run_id);
  end loop;
end $$;
insert into planning_results select * from planning_results_unpartitioned;
drop table planning_results_unpartitioned;
