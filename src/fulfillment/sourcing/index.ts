export {
  sourceBatch,
  type SourcingDecision,
  type Allocation,
  type CandidateExplanation,
  type SourceResult,
} from './explain.js';
export {
  buildModel,
  exclusionOf,
  deliveryDays,
  packageCost,
  EXCLUSION_REASONS,
  type SourcingLocation,
  type StockLevel,
  type SourcingOrderInput,
  type DeliveryMethod,
  type ExclusionReason,
} from './candidates.js';
export { DEFAULT_COSTS, batchCost, planViolations, type CostParams, type BatchModel, type OrderPlan } from './model.js';
export { solveBatch, type SolveOptions, type BatchSolution } from './optimiser.js';
export { toLp, type MipText } from './mip.js';
