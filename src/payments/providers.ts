import { randomUUID } from 'node:crypto';
import type { Executor } from '../platform/db/schema.js';
import type { AuthoriseResult, PaymentProvider, PaymentRequest, ProviderCall } from './types.js';
import { luhnValid } from './rules.js';
import { getTestOutcome, saveTestOutcome } from './store.js';

/**
 * `manual`: pay at the till or on pickup. Authorising records the promise to pay; the associate
 * captures when the money is taken (at handover). It never declines, so its answer can be derived
 * from the idempotency key alone (and retrieved after a crash the same way).
 */
export const manualProvider: PaymentProvider = {
  name: 'manual',
  async authorise(_input, call) {
    return { ok: true, provider_ref: `manual_${call.idempotency_key}` };
  },
  async retrieve(key) {
    return { ok: true, provider_ref: `manual_${key}` };
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

/** A provider's round trip, simulated: `latencyMs` (OMNIA_TEST_PAYMENT_LATENCY_MS) makes every call this slow. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });
}

export interface TestProviderOptions {
  /** Every call takes this long (config.testPayments, from OMNIA_TEST_PAYMENT_LATENCY_MS; default 0). */
  latencyMs?: number;
  /**
   * Crash-test hook: after an authorisation is decided and remembered, wait this long before
   * answering (config.testPayments, from OMNIA_TEST_PAYMENT_HANG_AFTER_AUTH_MS; default 0), so a test can kill the process
   * between the provider's yes and our record of it.
   */
  hangAfterAuthMs?: number;
  /** Where the provider remembers outcomes by idempotency key; without it, in this process's memory. */
  db?: Executor;
}

/** What the test provider has done, for tests that must show a refund was (not) paid out. */
export interface TestProviderLedger {
  refunds: { key: string; ref: string; amount: number }[];
  voids: { key: string; ref: string }[];
  captures: { key: string; ref: string; amount: number }[];
}

export function testCardProvider(opts: TestProviderOptions = {}): PaymentProvider & { ledger: TestProviderLedger } {
  const captureFails = new Set<string>();
  const latency = opts.latencyMs ?? 0;
  const hang = opts.hangAfterAuthMs ?? 0;
  const memory = new Map<string, AuthoriseResult>();
  const ledger: TestProviderLedger = { refunds: [], voids: [], captures: [] };
  /** Keeps the first outcome for `key` and answers it: `result` unless an earlier call's is stored. */
  const remember = async (key: string, result: AuthoriseResult): Promise<AuthoriseResult> => {
    if (opts.db && !(await saveTestOutcome(opts.db, key, 'authorise', result))) {
      const first = await getTestOutcome(opts.db, key);
      if (first) result = first.outcome as AuthoriseResult;
    }
    memory.set(key, result);
    return result;
  };
  const recall = async (key: string): Promise<AuthoriseResult | null> => {
    const hit = memory.get(key);
    if (hit) return hit;
    const row = opts.db ? await getTestOutcome(opts.db, key) : undefined;
    return row ? (row.outcome as AuthoriseResult) : null;
  };
  function decide(request: PaymentRequest): AuthoriseResult {
    const number = (request.card_number ?? '').replace(/[\s-]/g, '');
    if (!/^\d{12,19}$/.test(number) || !luhnValid(number))
      return { ok: false, reason: 'invalid_card_number', field: 'payment/card_number' };
    const last4 = number.slice(-4);
    const decline = TEST_CARD_DECLINES[last4];
    if (decline) return { ok: false, reason: decline };
    return {
      ok: true,
      provider_ref: `test_${randomUUID()}`,
      details: { brand: number.startsWith('4') ? 'visa' : number.startsWith('5') ? 'mastercard' : 'card', last4 },
    };
  }
  return {
    name: 'test',
    ledger,
    async authorise({ request }, call: ProviderCall): Promise<AuthoriseResult> {
      // Idempotent like a PSP: the same key answers the first outcome. The outcome is decided, then
      // stored unless one is already (one statement for a new key; the stored one read only then),
      // so concurrent calls with one key also agree.
      const seen = memory.get(call.idempotency_key);
      if (seen) return seen;
      await sleep(latency, call.signal);
      const result = await remember(call.idempotency_key, decide(request));
      if (result.ok && result.details?.last4 === TEST_CARD_CAPTURE_FAILS) captureFails.add(result.provider_ref);
      await sleep(hang, call.signal);
      return result;
    },
    retrieve: recall,
    validate(request) {
      const r = decide(request);
      return !r.ok && r.field ? { field: r.field, reason: r.reason } : null;
    },
    async capture(ref, amount, call) {
      await sleep(latency, call.signal);
      if (captureFails.has(ref)) return { ok: false, reason: 'capture_failed' };
      ledger.captures.push({ key: call.idempotency_key, ref, amount });
      return { ok: true };
    },
    async refund(ref, amount, call) {
      await sleep(latency, call.signal);
      if (!ledger.refunds.some((r) => r.key === call.idempotency_key))
        ledger.refunds.push({ key: call.idempotency_key, ref, amount });
      return { ok: true };
    },
    async void(ref, call) {
      await sleep(latency, call.signal);
      ledger.voids.push({ key: call.idempotency_key, ref });
    },
  };
}
