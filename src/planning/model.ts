/** What the planning service returns (the API's shapes). */
import type { MaxRule } from './run-rules.js';
import type { SimulationCheck } from './check-rules.js';

export interface RunInput {
  service_level?: number | undefined;
  review_days?: number | undefined;
  lead_days?: number | undefined;
  max_rule?: MaxRule | undefined;
  min_observed_days?: number | undefined;
  transfer_lead_days?: number | undefined;
  min_lot?: number | undefined;
  /** Days of history before `as_of` (default 182). */
  history_days?: number | undefined;
  /** The day the run plans from (YYYY-MM-DD, UTC); the history ends the day before. Default: today. */
  as_of?: string | undefined;
  /** Stores in scope (ids); default every store. */
  location_ids?: string[] | undefined;
  /** Rebuild the daily demand summary from orders and the ledger first (default true). */
  refresh_demand?: boolean | undefined;
  /** SKUs (the best sellers) replayed by the simulation check (default 200, 0 = none). */
  simulate_skus?: number | undefined;
  /** Compute in the background even when small (default: only when large). */
  background?: boolean | undefined;
}

export interface RunParamsStored {
  service_level: number;
  review_days: number;
  lead_days: number;
  max_rule: MaxRule;
  min_observed_days: number;
  transfer_lead_days: number;
  min_lot: number;
  history_days: number;
  as_of: string;
  location_ids: string[] | null;
  refresh_demand: boolean;
  simulate_skus: number;
}

export interface StoreFigures {
  location_id: string;
  skus: number;
  min_units: number;
  max_units: number;
  investment: number;
  safety_alone: number;
  safety_pooled: number;
  safety_saving_value: number;
  /** Null on runs computed before pooling by region (and for a store without a region). */
  region: string | null;
  /** The store's share of its region's pooled safety stock; null on runs computed before. */
  safety_region_pooled: number | null;
  region_saving_value: number | null;
}

/** The pooling saving when only the stores of a region back each other up. */
export interface RegionSummary {
  /** null: the stores without a region, each a pool of one (no saving). */
  region: string | null;
  stores: number;
  safety_alone: number;
  safety_pooled: number;
  safety_saving_value: number;
  pooling_ratio: number;
}

export interface RunSummary {
  currency: string;
  pairs: number;
  skipped: number;
  stores: number;
  skus: number;
  min_units: number;
  max_units: number;
  investment: number;
  safety_alone: number;
  safety_pooled: number;
  safety_saving_value: number;
  /** Σ stand-alone safety stock / pooled: √n for n identical independent stores. */
  pooling_ratio: number;
  /** Pooling by region (absent on runs computed before it). */
  regions?: RegionSummary[];
  proposals: { replenishment: number; rebalancing: number };
  simulation: SimulationCheck | null;
  duration_ms: number;
  /**
   * Wall time per phase: demand refresh and setup, the chunks (rebalancing included), the
   * rebalancing rule and its insert summed over the chunks (they run two at a time), attaching the
   * run's partitions (each chunk indexes its own within the chunks' time), the simulation check.
   */
  phases?: RunPhases;
}

export interface RunPhases {
  prepare_ms: number;
  chunks_ms: number;
  rebalancing_ms: number;
  index_ms: number;
  simulation_ms: number;
}

export interface Run {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  params: RunParamsStored;
  progress: { total: number; done: number };
  summary: RunSummary | null;
  stores: StoreFigures[];
  error: string | null;
  applied_at: string | null;
  /** When its results and proposals were dropped (newer runs kept instead); null: still there. */
  expired_at: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface ResultLine {
  sku: string;
  location_id: string;
  size: string | null;
  mean_daily: number;
  sd_daily: number;
  observed_days: number;
  censored_days: number;
  min_qty: number;
  max_qty: number;
  unit_cost: number;
  investment: number;
  safety_alone: number;
  safety_pooled: number;
}

export interface ProposalView {
  id: string;
  run_id: string;
  kind: 'replenishment' | 'rebalancing';
  sku: string;
  from_location_id: string;
  to_location_id: string;
  units: number;
  needed: number;
  status: 'proposed' | 'accepted' | 'rejected';
  transfer_id: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
}
