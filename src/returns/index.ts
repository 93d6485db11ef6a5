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
export type { Return, ReturnLine, ReturnInput } from './types.js';
export type { ReturnsOrdersPort, ReturnsCatalogPort, ReturnsInventoryPort } from './ports.js';
export { returnsChecks } from './doctor.js';
