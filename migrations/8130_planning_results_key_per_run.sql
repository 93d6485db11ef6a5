-- A run's results keyed (sku, location_id) in its own partition, without the run id.
--
-- The partitioned table's primary key (run_id, sku, location_id) put the run id, the same 30 bytes
-- on every row of a partition, in front of each of a 500-store run's 10 million index entries: a
-- third of the index's size and of what its build sorted and wrote. Every read names the run, so it
-- is pruned to the run's partition first, where (sku, location_id) is unique and in the order the
-- pages are read. The parent keeps no key; each partition gets its unique index when it is attached.
alter table planning_results drop constraint planning_results_pkey;
do $$
declare r record;
begin
  for r in select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
           where i.inhparent = 'planning_results'::regclass loop
    execute format('create unique index %I on %I (sku, location_id)', r.relname || '_key', r.relname);
  end loop;
end $$;
