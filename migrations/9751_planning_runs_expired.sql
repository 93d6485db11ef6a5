-- Issue 15: a finished run's output (its results and proposals tables, ≈ 2 GB and 82 leaf tables at
-- 10 M pairs) is dropped once newer runs replace it (OMNIA_PLANNING_KEEP_RUNS); the run's row, its
-- summary and per-store figures stay, marked with when its output went.
alter table planning_runs add column expired_at timestamptz;
