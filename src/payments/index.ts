export { PaymentsService, PROVIDER_TIMEOUT_MS, type AuthorisationAnswer } from './service.js';
export { providerAllowed, paymentMethods, PAY_BY_LINK_BY_CHANNEL_TYPE, type PaymentMethod } from './rules.js';
export { paymentMethodRoutes } from './methods-routes.js';
export {
  manualProvider,
  testCardProvider,
  TEST_CARD_DECLINES,
  TEST_CARD_CAPTURE_FAILS,
  type TestProviderLedger,
} from './providers.js';
export * from './types.js';
export {
  StoreCreditService,
  type StoreCreditAccount,
  type StoreCreditEntry,
  type IssueCredit,
} from './store-credit.js';
export { storeCreditRoutes } from './store-credit-routes.js';
export {
  StoreCreditSpending,
  remainderAfterCredit,
  type CreditSpend,
  type CreditTender,
} from './store-credit-spend.js';
export { storeCreditChecks } from './store-credit-doctor.js';
export { StripeProvider, StripeWebhooks, stripeWebhookRoutes, type StripeProviderOptions } from './stripe/index.js';
export { StripeLinkProvider, type StripeLinkOptions } from './link/index.js';
