export { ReferralsService } from './service.js';
export { referralRoutes } from './routes.js';
export { composeReferrals } from './compose.js';
export type {
  ReferralsCustomersPort,
  ReferralsPromotionsPort,
  ReferralsOrdersPort,
  ReferralsCreditPort,
  ReferralsReturnsPort,
  ReferralsDeps,
} from './ports.js';
export * from './types.js';
