export { CartsService, type CartDeps } from './service.js';
export { CheckoutService, type CheckoutInput } from './checkout.js';
export type { CheckoutDeps } from './checkout-prepare.js';
export { DeliveryService } from './delivery.js';
export { cartRoutes } from './routes.js';
export type { CartsPromotionsPort, CartsInventoryPort, CartsCatalogPort, CartsCustomersPort } from './ports.js';
export * from './types.js';
