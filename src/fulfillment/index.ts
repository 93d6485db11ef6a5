export {
  FulfillmentService,
  DEFAULT_FULFILLMENT_CONFIG,
  EXCHANGE_LINE_PREFIX,
  type ActionInput,
  type LocationGuard,
} from './service.js';
export { fulfillmentRoutes } from './routes.js';
export { storeQueueRoutes } from './store-routes.js';
export { StoreQueue } from './store-queue.js';
export { decide, TRANSITIONS, FULFILLMENT_STATUSES, ACTIONS, type FulfillmentStatus, type Action } from './rules.js';
export type { SourceRequest, SourceOutcome } from './sourcing-service.js';
export type { Fulfillment, FulfillmentLine, StoredDecision, OrderPlaced, FulfillmentConfig } from './types.js';
export type { FulfillmentOrdersPort, FulfillmentInventoryPort, FulfillmentCatalogPort } from './ports.js';
export * as sourcing from './sourcing/index.js';
export { fulfillmentChecks } from './doctor.js';
