/** The planning module: pure rules (min/max, pooling, simulation, proposals), runs, routes. */
export * from './types.js';
export { inverseNormalCdf } from './normal.js';
export {
  demandStats,
  expectedAverageStock,
  minMax,
  roundUp,
  stockInvestment,
  zForServiceLevel,
} from './minmax-rules.js';
export { pooledSd, poolingSaving } from './pooling-rules.js';
export { regionPooling, type RegionPoolingInput, type RegionPoolingResult } from './region-pooling-rules.js';
export { simulate } from './simulation-rules.js';
export { largestRemainder, rebalanceProposals, replenishmentProposals } from './replenishment-rules.js';
export { PlanningService, type PlanningDeps } from './service.js';
export { planningRoutes } from './routes.js';
export type { PlanningInventoryPort, PlanningNetworkPort } from './ports.js';
export type { Run, RunInput, ResultLine, ProposalView, RegionSummary, RunPhases } from './model.js';
// One chunk's statement, for bench/planning-explain.ts (EXPLAIN ANALYZE of a chunk).
export { chunkEnd, planChunk, proposalIdOf } from './run-sql.js';
// A chunk's own partitions, for bench/_planning-parts.ts (their index build's CPU).
export { attachChunk, chunkTables, clearRunOutput, createChunk, proposalsTable, resultsTable } from './store.js';
// A chunk through binary COPY, for bench/_planning-copy.ts (its database and process CPU).
export { ChunkMemory, chunkStores, copyIoOf, planChunkByCopy } from './chunk-copy.js';
