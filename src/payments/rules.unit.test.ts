import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decideAuthorisation,
  decideCapture,
  decideRefund,
  decideVoid,
  luhnValid,
  PAYMENT_TRANSITIONS,
  providerAllowed,
  type PaymentState,
} from './rules.js';
import { PAYMENT_STATUSES } from './types.js';
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

describe('payment state machine', () => {
  it('Given a pending payment, When the provider answers, Then it is authorized, declined, or failed (no answer)', () => {
    expect(decideAuthorisation('pending', { ok: true })).toEqual({
      ok: true,
      next: { status: 'authorized', reason: null },
    });
    expect(decideAuthorisation('pending', { ok: false, reason: 'card_declined' })).toEqual({
      ok: true,
      next: { status: 'declined', reason: 'card_declined' },
    });
    expect(decideAuthorisation('pending', null)).toEqual({
      ok: true,
      next: { status: 'failed', reason: 'no_answer_from_provider' },
    });
  });
  it('Given a payment already settled, When a late answer arrives, Then it is refused (the first answer stands)', () => {
    for (const s of PAYMENT_STATUSES.filter((x) => x !== 'pending'))
      expect(decideAuthorisation(s, { ok: true }).ok).toBe(false);
  });
  it('has a row for every status, and terminal states lead nowhere', () => {
    expect(Object.keys(PAYMENT_TRANSITIONS).sort()).toEqual([...PAYMENT_STATUSES].sort());
    for (const s of ['refunded', 'voided', 'declined', 'failed'] as const) expect(PAYMENT_TRANSITIONS[s]).toEqual([]);
  });
  it('Given refunds pending at the provider, When another is asked, Then it fits in what is left after them', () => {
    const captured: PaymentState = { status: 'captured', amount: 1000, captured: 1000, refunded: 200, refunding: 500 };
    expect(decideRefund(captured, 300).ok).toBe(true);
    expect(decideRefund(captured, 301)).toMatchObject({
      ok: false,
      reason: 'cannot refund 301: 300 is left to refund',
    });
  });
});

describe('which provider a checkout may use', () => {
  const web = { channel_type: 'web', delivery_method: 'home', staff: false };
  it('Given a web shopper, When they ask for manual, Then it is refused (nobody would pay)', () => {
    expect(providerAllowed('manual', web).ok).toBe(false);
    expect(providerAllowed('manual', { ...web, channel_type: 'app', delivery_method: 'click_collect' }).ok).toBe(false);
    expect(providerAllowed('test', web).ok).toBe(true);
  });
  it('Given the till, a staff-placed order or a pay-on-pickup channel, When manual is asked, Then it is allowed', () => {
    expect(providerAllowed('manual', { channel_type: 'pos', delivery_method: 'in_store', staff: false }).ok).toBe(true);
    expect(providerAllowed('manual', { channel_type: 'pos', delivery_method: 'home', staff: false }).ok).toBe(true);
    expect(providerAllowed('manual', { ...web, staff: true }).ok).toBe(true);
    expect(
      providerAllowed('manual', { channel_type: 'contact_center', delivery_method: 'click_collect', staff: false }).ok,
    ).toBe(true);
    expect(
      providerAllowed('manual', { channel_type: 'contact_center', delivery_method: 'home', staff: false }).ok,
    ).toBe(false);
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
