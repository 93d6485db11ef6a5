/** Public types of the planning module's pure rules (min/max, pooling, simulation, proposals). */

/** Why a rule refused its input: the field at fault and a sentence for the problem+json detail. */
export interface RuleError {
  code: 'invalid_input' | 'insufficient_history';
  field: string;
  message: string;
}
/** Rules refuse bad input with a typed error instead of throwing or clamping. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: RuleError };

/** One day of one SKU at one store: units demanded (orders + till sales) and whether it ran out. */
export interface DemandDay {
  units: number;
  /** The SKU was out of stock for (part of) the day: what was sold is a lower bound, not demand. */
  stockout: boolean;
}
export interface DemandStats {
  /** Mean daily demand over the uncensored days. */
  mean: number;
  /** Sample standard deviation (n − 1) of daily demand over the uncensored days. */
  sd: number;
  /** Days that entered the estimate. */
  observed_days: number;
  /** Stock-out days left out of the estimate. */
  censored_days: number;
}
export interface MinMaxInput {
  mean: number;
  sd: number;
  /** Target cycle service level, 0.5 ≤ p < 1 (e.g. 0.95). */
  service_level: number;
  /** Days between deliveries (review period R), integer ≥ 1. */
  review_days: number;
  /** Days from order to delivery (lead time L), integer ≥ 0. */
  lead_days: number;
}
export interface MinMax {
  /** Reorder point, rounded up: μ(R+L) + zσ√(R+L). */
  min: number;
  /** Order-up-to level, rounded up: the reorder point plus one review period of demand, μR. */
  max: number;
  z: number;
  /** Unrounded zσ√(R+L). */
  safety_stock: number;
  /** Unrounded reorder point and order-up-to level. */
  raw_min: number;
  raw_max: number;
}
export interface PoolingStore {
  id: string;
  /** Daily demand standard deviation. */
  sd: number;
}
export interface PoolingInput {
  stores: PoolingStore[];
  service_level: number;
  /** Protection horizon in days (R + L). */
  horizon_days: number;
  /**
   * Correlation of daily demand between stores, `correlation[i][j]`, symmetric with 1 on the
   * diagonal. Absent means independent stores (ρ = 0), the square-root law's assumption.
   */
  correlation?: number[][];
}
export interface PoolingStoreResult {
  id: string;
  /** Safety stock the store holds alone: zσᵢ√T. */
  alone: number;
  /** Its share of the pooled safety stock (allocated in proportion to its stand-alone need). */
  pooled: number;
  saving: number;
}
export interface PoolingResult {
  stores: PoolingStoreResult[];
  /** Σ zσᵢ√T. */
  total_alone: number;
  /** z·σ_pooled·√T with σ_pooled = √(ΣᵢΣⱼ ρᵢⱼσᵢσⱼ) (= √Σσᵢ² when independent). */
  total_pooled: number;
  saving: number;
  /** total_alone / total_pooled: √n for n identical independent stores. */
  ratio: number;
}
export interface SimulationStore {
  id: string;
  min: number;
  max: number;
  /** Units on hand at the start of day 0. */
  initial_on_hand: number;
  /** Cost of one unit, integer minor units. */
  unit_cost: number;
}
export interface SimulationInput {
  stores: SimulationStore[];
  /** demand[day][store index], whole units. */
  demand: number[][];
  review_days: number;
  lead_days: number;
  /**
   * Store-to-store backup: a store short of stock is served from another store's stock on hand when
   * the transfer reaches the shopper within the promise. Absent: every store stands alone.
   */
  pooling?: { transfer_lead_days: number; promise_days: number };
}
export interface SimulationStoreResult {
  id: string;
  demand: number;
  served: number;
  /** Units of this store's demand served from other stores. */
  served_by_transfer: number;
  fill_rate: number;
  /** Share of review cycles with no unserved demand. */
  cycle_service_level: number;
  /** Mean units on hand at the end of a day. */
  average_on_hand: number;
  /** Mean money on hand at the end of a day, integer minor units (rounded). */
  average_stock_value: number;
}
export interface SimulationResult {
  stores: SimulationStoreResult[];
  demand: number;
  served: number;
  fill_rate: number;
  cycle_service_level: number;
  average_on_hand: number;
  average_stock_value: number;
  transfers: number;
}
export interface ReplenishmentLine {
  sku: string;
  store: string;
  warehouse: string;
  min: number;
  max: number;
  on_hand: number;
  in_transit: number;
}
export interface WarehouseStock {
  warehouse: string;
  sku: string;
  available: number;
}
export interface Proposal {
  sku: string;
  from: string;
  to: string;
  units: number;
}
export interface ReplenishmentProposal extends Proposal {
  /** What the store needed to reach max; more than `units` when the warehouse was short. */
  needed: number;
}
export interface RebalanceStore {
  sku: string;
  store: string;
  min: number;
  max: number;
  on_hand: number;
  in_transit: number;
  /** Mean daily demand of this SKU at this store. */
  mean_daily_demand: number;
  /** Days until the store's next warehouse delivery arrives. */
  days_to_next_delivery: number;
}
export interface RebalanceInput {
  stores: RebalanceStore[];
  /**
   * Transfer lead time in days between two stores, keyed `${from}>${to}` (absent pair = no transfer),
   * or a function of the pair (a chain of 500 stores would need 250,000 keys per SKU).
   */
  lead_days: Map<string, number> | ((from: string, to: string) => number | undefined);
  /** Smallest transfer worth a parcel, units ≥ 1. */
  min_lot: number;
}
