export { PaymentsService, PROVIDER_TIMEOUT_MS, type AuthorisationAnswer } from './service.js';
export { providerAllowed } from './rules.js';
export {
  manualProvider,
  testCardProvider,
  TEST_CARD_DECLINES,
  TEST_CARD_CAPTURE_FAILS,
  type TestProviderLedger,
} from './providers.js';
export * from './types.js';
