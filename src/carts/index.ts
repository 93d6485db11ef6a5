export { CartsService, type CartDeps } from './service.js';
export { CheckoutService, type CheckoutInput, type CheckoutDeps } from './checkout.js';
export { DeliveryService } from './delivery.js';
export { cartRoutes } from './routes.js';
export type { CartsPromotionsPort, CartsInventoryPort, CartsCatalogPort, CartsCustomersPort } from './ports.js';
export * from './types.js';
