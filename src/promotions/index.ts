export { PromotionsService } from './service.js';
export { promotionRoutes } from './routes.js';
export type { QuoteInput } from './pricing.js';
export type { CouponCheck, CouponsInput, Redemption } from './coupons.js';
export type {
  PromotionsCatalogPort,
  CustomerFactsPort,
  PromotionsNetworkPort,
  VatRate,
  PromotionsDeps,
  CouponGuardPort,
} from './ports.js';
export { compile, type PromotionIndex, type PromotionSnapshot } from './compile.js';
export { ruleFrom } from './mapping.js';
export { priceBasket } from './engine.js';
export { distribute } from './rounding.js';
export { QuoteSchema } from './schemas.js';
export * from './types.js';
export { customerFactsFrom } from './customer-facts.js';
export { promotionChecks } from './doctor.js';
