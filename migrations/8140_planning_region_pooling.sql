-- Pooling by region (issue 15 point 2): per store of a run, its region and its share of the safety
-- stock its region's stores need when they back each other up (24 h transfers within a region), and
-- what that saves at cost. Null on runs computed before.
alter table planning_run_stores add column region text;
alter table planning_run_stores add column safety_region_pooled real;
alter table planning_run_stores add column region_saving_value bigint;
