import { Type } from '@sinclair/typebox';
import { Strict, StringEnum, Timestamp } from '../platform/http/schemas.js';
import { PageQuery } from '../platform/http/pagination.js';
import { MAX_RULES } from './run-rules.js';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (UTC)' });

export const RunCreate = Strict({
  service_level: Type.Optional(
    Type.Number({ minimum: 0.5, exclusiveMaximum: 1, description: 'target cycle service level (default 0.95)' }),
  ),
  review_days: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 365, description: 'days between deliveries (default 2)' }),
  ),
  lead_days: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 365, description: 'order to delivery, days (default 1)' }),
  ),
  max_rule: Type.Optional(
    StringEnum(MAX_RULES, {
      description:
        'order_up_to (default): max = min, every review orders up to μ(R+L)+zσ√(R+L) and reaches the target; min_plus_review: max = min + μR (overshoots it)',
    }),
  ),
  min_observed_days: Type.Optional(
    Type.Integer({ minimum: 2, maximum: 3650, description: 'uncensored days a pair needs (default 7)' }),
  ),
  transfer_lead_days: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 365, description: 'store → store, days (default 1)' }),
  ),
  min_lot: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 100000, description: 'smallest store → store transfer (default 2)' }),
  ),
  history_days: Type.Optional(
    Type.Integer({ minimum: 7, maximum: 1095, description: 'days of history (default 182)' }),
  ),
  as_of: Type.Optional(Day),
  location_ids: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
      minItems: 1,
      maxItems: 2000,
      description: 'stores in scope (default: all)',
    }),
  ),
  refresh_demand: Type.Optional(
    Type.Boolean({ description: 'rebuild the daily demand summary from orders and the ledger first (default true)' }),
  ),
  simulate_skus: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 5000, description: 'best sellers replayed by the simulation (default 200)' }),
  ),
  background: Type.Optional(Type.Boolean({ description: 'always compute in the background (large runs always are)' })),
});

const Outcome = Type.Object({
  cycle_service_level: Type.Number(),
  fill_rate: Type.Number(),
  average_units: Type.Number(),
  average_value: Type.Integer({ description: 'minor units' }),
});

const StoreFigures = Type.Object({
  location_id: Type.String(),
  skus: Type.Integer(),
  min_units: Type.Integer(),
  max_units: Type.Integer(),
  investment: Type.Integer({ description: 'expected average stock at cost, minor units' }),
  safety_alone: Type.Number({ description: 'safety stock units standing alone' }),
  safety_pooled: Type.Number({ description: "the store's share of the pooled safety stock, units" }),
  safety_saving_value: Type.Integer({ description: 'safety stock the pooling saves, at cost, minor units' }),
  region: Type.Union([Type.String(), Type.Null()], { description: "the store's address.region (null: none)" }),
  safety_region_pooled: Type.Union([Type.Number(), Type.Null()], {
    description: "the store's share of its region's pooled safety stock, units (null: run made before 8140)",
  }),
  region_saving_value: Type.Union([Type.Integer(), Type.Null()], {
    description: 'safety stock pooling within the region saves, at cost, minor units',
  }),
});

const RegionFigures = Type.Object({
  region: Type.Union([Type.String(), Type.Null()], {
    description: 'null: the stores without a region, each a pool of one',
  }),
  stores: Type.Integer(),
  safety_alone: Type.Number(),
  safety_pooled: Type.Number({ description: 'the stores of the region backing each other up' }),
  safety_saving_value: Type.Integer({ description: 'minor units' }),
  pooling_ratio: Type.Number(),
});

export const RunSchema = Type.Object({
  id: Type.String(),
  status: StringEnum(['queued', 'running', 'done', 'failed'] as const),
  params: Type.Object({
    service_level: Type.Number(),
    review_days: Type.Integer(),
    lead_days: Type.Integer(),
    max_rule: StringEnum(MAX_RULES),
    min_observed_days: Type.Integer(),
    transfer_lead_days: Type.Integer(),
    min_lot: Type.Integer(),
    history_days: Type.Integer(),
    as_of: Type.String(),
    location_ids: Type.Union([Type.Array(Type.String()), Type.Null()]),
    refresh_demand: Type.Boolean(),
    simulate_skus: Type.Integer(),
  }),
  progress: Type.Object({ total: Type.Integer(), done: Type.Integer() }),
  summary: Type.Union([
    Type.Object({
      currency: Type.String(),
      pairs: Type.Integer(),
      skipped: Type.Integer({ description: 'pairs without enough uncensored days' }),
      stores: Type.Integer(),
      skus: Type.Integer(),
      min_units: Type.Integer(),
      max_units: Type.Integer(),
      investment: Type.Integer(),
      safety_alone: Type.Number(),
      safety_pooled: Type.Number(),
      safety_saving_value: Type.Integer(),
      pooling_ratio: Type.Number(),
      regions: Type.Optional(
        Type.Array(RegionFigures, { description: 'pooling by region (24 h transfers within one)' }),
      ),
      proposals: Type.Object({ replenishment: Type.Integer(), rebalancing: Type.Integer() }),
      simulation: Type.Union([
        Type.Object({ skus: Type.Integer(), days: Type.Integer(), alone: Outcome, pooled: Outcome }),
        Type.Null(),
      ]),
      duration_ms: Type.Integer(),
      phases: Type.Optional(
        Type.Object(
          {
            prepare_ms: Type.Integer(),
            chunks_ms: Type.Integer(),
            rebalancing_ms: Type.Integer({ description: 'the store-to-store rule and its insert, summed over chunks' }),
            index_ms: Type.Integer(),
            simulation_ms: Type.Integer(),
          },
          { description: 'wall time per phase (absent on runs made before it was recorded)' },
        ),
      ),
    }),
    Type.Null(),
  ]),
  stores: Type.Array(StoreFigures),
  error: Type.Union([Type.String(), Type.Null()]),
  applied_at: Type.Union([Timestamp, Type.Null()]),
  expired_at: Type.Union([Timestamp, Type.Null()], {
    description:
      "When the run's results and proposals were dropped (OMNIA_PLANNING_KEEP_RUNS newer runs kept); its summary and per-store figures stay. Results, CSV, apply and its proposals then answer 410 run_expired.",
  }),
  created_at: Timestamp,
  finished_at: Type.Union([Timestamp, Type.Null()]),
});

export const RunParam = Type.Object({ run_id: Type.String({ minLength: 1, maxLength: 64 }) });

export const ResultsQuery = Type.Object({
  ...PageQuery,
  location_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  sku: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  format: Type.Optional(StringEnum(['json', 'csv'] as const, { description: 'csv: the whole result, every page' })),
});

export const ResultLineSchema = Type.Object({
  sku: Type.String(),
  location_id: Type.String(),
  size: Type.Union([Type.String(), Type.Null()]),
  mean_daily: Type.Number(),
  sd_daily: Type.Number(),
  observed_days: Type.Integer(),
  censored_days: Type.Integer({ description: 'stock-out days left out of the estimate' }),
  min_qty: Type.Integer({ description: 'reorder point' }),
  max_qty: Type.Integer({ description: 'order-up-to level' }),
  unit_cost: Type.Integer(),
  investment: Type.Integer(),
  safety_alone: Type.Number(),
  safety_pooled: Type.Number(),
});

export const ApplyResult = Type.Object({
  applied: Type.Integer({ description: 'stock levels whose min_qty/max_qty were written' }),
  missing: Type.Integer({ description: 'levels the store no longer holds' }),
});

export const ProposalSchema = Type.Object({
  id: Type.String(),
  run_id: Type.String(),
  kind: StringEnum(['replenishment', 'rebalancing'] as const),
  sku: Type.String(),
  from_location_id: Type.String(),
  to_location_id: Type.String(),
  units: Type.Integer(),
  needed: Type.Integer(),
  status: StringEnum(['proposed', 'accepted', 'rejected'] as const),
  transfer_id: Type.Union([Type.String(), Type.Null()]),
  decided_by: Type.Union([Type.String(), Type.Null()]),
  decided_at: Type.Union([Timestamp, Type.Null()]),
  created_at: Timestamp,
});

export const ProposalsQuery = Type.Object({
  ...PageQuery,
  run_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  status: Type.Optional(StringEnum(['proposed', 'accepted', 'rejected'] as const)),
  kind: Type.Optional(StringEnum(['replenishment', 'rebalancing'] as const)),
  location_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});

export const ProposalParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
