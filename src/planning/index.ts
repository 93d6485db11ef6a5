/** The planning module's pure rules: min/max per size per store, pooling, simulation, proposals. */
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
export { simulate } from './simulation-rules.js';
export { largestRemainder, rebalanceProposals, replenishmentProposals } from './replenishment-rules.js';
