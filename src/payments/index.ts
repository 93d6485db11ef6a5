export { PaymentsService } from './service.js';
export { manualProvider, testCardProvider, TEST_CARD_DECLINES, TEST_CARD_CAPTURE_FAILS } from './providers.js';
export * from './types.js';
