import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decideCapture, decideRefund, decideVoid, luhnValid, type PaymentState } from './rules.js';
import { testCardProvider } from './providers.js';

const authorized: PaymentState = { status: 'authorized', amount: 1000, captured: 0, refunded: 0 };

describe('payment rules', () => {
  it('checks card numbers with Luhn', () => {
    expect(luhnValid('4242424242424242')).toBe(true);
    expect(luhnValid('4000000000000002')).toBe(true);
    expect(luhnValid('4242424242424241')).toBe(false);
  });
  it('captures at most the authorised amount, once', () => {
    expect(decideCapture(authorized, 1000)).toEqual({
      ok: true,
      next: { ...authorized, status: 'captured', captured: 1000 },
    });
    expect(decideCapture(authorized, 1001).ok).toBe(false);
    expect(decideCapture(authorized, 0).ok).toBe(false);
    expect(decideCapture({ ...authorized, status: 'captured', captured: 1000 }, 1).ok).toBe(false);
    expect(decideCapture({ ...authorized, status: 'voided' }, 1).ok).toBe(false);
  });
  it('never refunds more than was captured, whatever the sequence', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.array(fc.integer({ min: -5, max: 5000 }), { maxLength: 20 }),
        (captured, refunds) => {
          let s: PaymentState = { status: 'captured', amount: captured, captured, refunded: 0 };
          for (const r of refunds) {
            const d = decideRefund(s, r);
            if (d.ok) s = d.next;
          }
          expect(s.refunded).toBeLessThanOrEqual(s.captured);
          expect(s.status === 'refunded').toBe(s.refunded === s.captured);
        },
      ),
    );
  });
  it('voids only uncaptured authorisations, idempotently', () => {
    expect(decideVoid(authorized)).toEqual({ ok: true, next: { ...authorized, status: 'voided' } });
    expect(decideVoid({ ...authorized, status: 'voided' })).toMatchObject({ ok: true, noop: true });
    expect(decideVoid({ ...authorized, status: 'captured', captured: 1000 }).ok).toBe(false);
  });
});

describe('test card provider', () => {
  const p = testCardProvider();
  const auth = (card_number: string) =>
    p.authorise(
      { amount: 100, currency: 'EUR', reference: 'ord_x', request: { provider: 'test', card_number } },
      { idempotency_key: `pay_${card_number}` },
    );
  it('follows the card-number convention', async () => {
    expect(await auth('4242 4242 4242 4242')).toMatchObject({ ok: true, details: { last4: '4242', brand: 'visa' } });
    expect(await auth('4000000000000002')).toEqual({ ok: false, reason: 'card_declined' });
    expect(await auth('4000000000009995')).toEqual({ ok: false, reason: 'insufficient_funds' });
    expect(await auth('4000000000000069')).toEqual({ ok: false, reason: 'expired_card' });
    expect(await auth('1234')).toMatchObject({
      ok: false,
      reason: 'invalid_card_number',
      field: 'payment/card_number',
    });
    const failing = await auth('4000000000000341');
    expect(failing.ok).toBe(true);
    if (failing.ok)
      expect(await p.capture(failing.provider_ref, 100, { idempotency_key: 'k' })).toEqual({
        ok: false,
        reason: 'capture_failed',
      });
  });
});
