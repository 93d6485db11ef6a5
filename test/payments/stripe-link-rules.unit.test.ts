import { describe, expect, it } from 'vitest';
import {
  linkExpiry,
  LINK_EXPIRED,
  MAX_LINK_TTL_MS,
  MIN_LINK_TTL_MS,
  sessionOutcome,
  sessionWebhookAction,
} from '../../src/payments/link/rules.js';
import { paymentMethods, providerAllowed } from '../../src/payments/rules.js';

const NOW = Date.parse('2026-06-01T09:00:00Z');
const open = { id: 'cs_1', status: 'open', url: 'https://pay/cs_1', expires_at: NOW / 1000 + 3600, metadata: {} };

describe('payment link rules', () => {
  it('an open session is a link until its expiry, then to be expired', () => {
    expect(sessionOutcome(open, NOW)).toEqual({
      kind: 'link',
      provider_ref: 'cs_1',
      action: { type: 'payment_link', redirect_url: 'https://pay/cs_1', expires_at: '2026-06-01T10:00:00.000Z' },
    });
    expect(sessionOutcome(open, NOW + 3600_000)).toEqual({ kind: 'expire', session_id: 'cs_1' });
  });
  it('expired is a decline that cancels the order; complete is what its PaymentIntent says', () => {
    expect(sessionOutcome({ ...open, status: 'expired' }, NOW)).toEqual({ kind: 'declined', reason: LINK_EXPIRED });
    const pi = { id: 'pi_1', status: 'requires_capture', amount: 100, created: NOW / 1000, capture_method: 'manual' };
    expect(sessionOutcome({ ...open, status: 'complete', payment_intent: pi }, NOW)).toMatchObject({
      kind: 'authorised',
      provider_ref: 'pi_1',
    });
    // Complete, but the PaymentIntent not expanded: not decided here (never authorised on a guess).
    expect(sessionOutcome({ ...open, status: 'complete', payment_intent: 'pi_1' }, NOW).kind).toBe('undecided');
  });
  it('the link lives within Stripe’s 30 min – 24 h', () => {
    expect(linkExpiry(NOW, 60_000)).toBe((NOW + MIN_LINK_TTL_MS) / 1000);
    expect(linkExpiry(NOW, 7 * 24 * 3600_000)).toBe((NOW + MAX_LINK_TTL_MS) / 1000);
    expect(linkExpiry(NOW, 2 * 3600_000)).toBe(NOW / 1000 + 7200);
  });
  it('checkout.session.* events of ours settle; others and foreign sessions do not', () => {
    const ev = (type: string, metadata: Record<string, string>) => ({
      type,
      data: { object: { ...open, status: 'complete', metadata, payment_intent: 'pi_9' } },
    });
    expect(sessionWebhookAction(ev('checkout.session.completed', { omnia_payment_id: 'pay_1' }))).toEqual({
      kind: 'settle_link',
      payment_id: 'pay_1',
      session_id: 'cs_1',
      status: 'complete',
      payment_intent_id: 'pi_9',
    });
    expect(sessionWebhookAction(ev('checkout.session.expired', {}))?.kind).toBe('ignore');
    expect(sessionWebhookAction(ev('payment_intent.succeeded', { omnia_payment_id: 'pay_1' }))).toBeNull();
  });
  it('links are for staff on a channel that sends them; the methods list says why not', () => {
    const agent = { channel_type: 'contact_center', delivery_method: 'home', staff: true };
    expect(providerAllowed('stripe_link', agent).ok).toBe(true);
    expect(providerAllowed('stripe_link', { ...agent, staff: false }).ok).toBe(false);
    expect(providerAllowed('stripe_link', { ...agent, channel_type: 'web' }).ok).toBe(false);
    const without = paymentMethods(new Set(['manual', 'test']), agent).find((m) => m.provider === 'stripe_link')!;
    expect(without).toMatchObject({ configured: false, allowed: false });
    expect(without.reason).toMatch(/Stripe is not configured/);
    const withStripe = paymentMethods(new Set(['manual', 'stripe', 'stripe_link']), agent);
    expect(withStripe.find((m) => m.provider === 'stripe_link')).toMatchObject({ allowed: true, reason: null });
    expect(withStripe.find((m) => m.provider === 'test')).toMatchObject({ configured: false });
  });
});
