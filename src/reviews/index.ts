export { ReviewsService, type ReviewInput } from './service.js';
export { reviewRoutes } from './routes.js';
export { reviewEvents } from './events.js';
export { composeReviews } from './compose.js';
export { summarize, sizeAdvice, provingOrder, customerSizeProfile } from './rules.js';
export type * from './ports.js';
export * from './types.js';
