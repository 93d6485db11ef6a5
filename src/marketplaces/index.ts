export { MarketplacesService, type MarketplacesDeps, type MarketplaceOrderView, type OfferView } from './service.js';
export { marketplaceRoutes } from './routes.js';
export { marketplaceEvents } from './events.js';
export type * from './ports.js';
export * from './types.js';
export { amazonConnector } from './amazon/index.js';
export { composeMarketplaces } from './compose.js';
