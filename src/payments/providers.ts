import { randomUUID } from 'node:crypto';
import type { AuthoriseResult, PaymentProvider, PaymentRequest } from './types.js';
import { luhnValid } from './rules.js';

/**
 * `manual`: pay at the till or on pickup. Authorising records the promise to pay; the associate
 * captures when the money is taken (at handover). It never declines.
 */
export const manualProvider: PaymentProvider = {
  name: 'manual',
  async authorise() {
    return { ok: true, provider_ref: `manual_${randomUUID()}` };
  },
  async capture() {
    return { ok: true };
  },
  async refund() {
    return { ok: true };
  },
  async void() {},
};

/**
 * `test`: a card provider for development and tests, deciding by card number so every path can
 * be exercised without a network. The number must be 12–19 digits and pass the Luhn check
 * (otherwise 400 validation_failed on payment/card_number). Then, by its last four digits:
 *   0002 → declined (card_declined)
 *   9995 → declined (insufficient_funds)
 *   0069 → declined (expired_card)
 *   0341 → authorises, but capture fails (capture_failed)
 *   anything else (e.g. 4242 4242 4242 4242) → authorised, captures and refunds succeed.
 */
export const TEST_CARD_DECLINES: Record<string, string> = {
  '0002': 'card_declined',
  '9995': 'insufficient_funds',
  '0069': 'expired_card',
};
export const TEST_CARD_CAPTURE_FAILS = '0341';

export function testCardProvider(): PaymentProvider {
  const captureFails = new Set<string>();
  return {
    name: 'test',
    async authorise({ request }: { request: PaymentRequest }): Promise<AuthoriseResult> {
      const number = (request.card_number ?? '').replace(/[\s-]/g, '');
      if (!/^\d{12,19}$/.test(number) || !luhnValid(number))
        return { ok: false, reason: 'invalid_card_number', field: 'payment/card_number' };
      const last4 = number.slice(-4);
      const decline = TEST_CARD_DECLINES[last4];
      if (decline) return { ok: false, reason: decline };
      const ref = `test_${randomUUID()}`;
      if (last4 === TEST_CARD_CAPTURE_FAILS) captureFails.add(ref);
      return {
        ok: true,
        provider_ref: ref,
        details: { brand: number.startsWith('4') ? 'visa' : number.startsWith('5') ? 'mastercard' : 'card', last4 },
      };
    },
    async capture(ref) {
      return captureFails.has(ref) ? { ok: false, reason: 'capture_failed' } : { ok: true };
    },
    async refund() {
      return { ok: true };
    },
    async void() {},
  };
}
