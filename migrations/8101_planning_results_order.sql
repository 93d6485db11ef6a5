-- Results keyed (run, SKU, store), the order a run writes them in (SKU by SKU): appending to the
-- primary key instead of inserting all over it made the 10-million-pair write several times faster.
-- The console's grid reads SKU rows × store columns, so results are paged in this order too.
alter table planning_results drop constraint planning_results_pkey;
alter table planning_results add primary key (run_id, sku, location_id);
