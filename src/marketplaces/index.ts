export { MarketplacesService, type MarketplacesDeps, type MarketplaceOrderView, type OfferView } from './service.js';
export { marketplaceRoutes } from './routes.js';
export { marketplaceEvents } from './events.js';
export type * from './ports.js';
export type * from './types.js';
export { composeMarketplaces } from './compose.js';
