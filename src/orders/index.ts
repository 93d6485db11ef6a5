export { OrdersService } from './service.js';
export { orderRoutes, assertOrderVisible } from './routes.js';
export { ORDER_STATUSES, TRANSITIONS, decide, type OrderStatus, type OrderCommand } from './rules.js';
export { OrderSchema } from './schemas.js';
export * from './types.js';
export { orderChecks } from './doctor.js';
