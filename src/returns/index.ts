export { ReturnsService, DEFAULT_RETURNS_CONFIG, type ReturnsConfig } from './service.js';
export { returnRoutes } from './routes.js';
export {
  decideReturn,
  proratedRefund,
  CONDITIONS,
  REFUND_METHODS,
  type Condition,
  type RefundMethod,
} from './rules.js';
export type { Return, ReturnLine, ReturnInput, ReturnsOrdersPort, ReturnsCatalogPort } from './types.js';
export { returnsChecks } from './doctor.js';
