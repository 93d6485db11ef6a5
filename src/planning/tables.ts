/** Kysely tables of the planning module (migration 8100_planning.sql); only planning's stores query them. */
export interface PlanningDemandDailyTable {
  sku: string;
  location_id: string;
  day: string | Date;
  units: number;
  stockout: boolean;
}

export interface PlanningDemandSummaryTable {
  sku: string;
  location_id: string;
  observed_days: number;
  censored_days: number;
  units_sum: number | string;
  units_sumsq: number | string;
}

export interface PlanningRunsTable {
  id: string;
  status: string;
  params: unknown;
  total: number;
  done: number;
  summary: unknown;
  error: string | null;
  actor: string;
  lease_until: Date | null;
  applied_at: Date | null;
  /** When the run's output tables were dropped (OMNIA_PLANNING_KEEP_RUNS); null: still there. */
  expired_at: Date | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

export interface PlanningResultsTable {
  run_id: string;
  sku: string;
  location_id: string;
  mean_daily: number;
  sd_daily: number;
  observed_days: number;
  censored_days: number;
  min_qty: number;
  max_qty: number;
  unit_cost: number | string;
  investment: number | string;
  safety_alone: number;
  safety_pooled: number;
}

export interface PlanningRunStoresTable {
  run_id: string;
  location_id: string;
  skus: number;
  min_units: number | string;
  max_units: number | string;
  investment: number | string;
  safety_alone: number;
  safety_pooled: number;
  safety_saving_value: number | string;
  /** Migration 8140; null on runs computed before it. */
  region: string | null;
  safety_region_pooled: number | null;
  region_saving_value: number | string | null;
}

export interface PlanningProposalsTable {
  id: string;
  run_id: string;
  kind: string;
  sku: string;
  from_location_id: string;
  to_location_id: string;
  units: number;
  needed: number;
  status: string;
  transfer_id: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  created_at: Date;
}

declare module '../platform/db/schema.js' {
  interface DB {
    planning_demand_daily: PlanningDemandDailyTable;
    planning_demand_summary: PlanningDemandSummaryTable;
    planning_runs: PlanningRunsTable;
    planning_results: PlanningResultsTable;
    planning_run_stores: PlanningRunStoresTable;
    planning_proposals: PlanningProposalsTable;
  }
}
