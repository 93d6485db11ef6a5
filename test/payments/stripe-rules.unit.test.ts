import { describe, expect, it } from 'vitest';
import {
  abandoned,
  captureStep,
  declineReason,
  outcomeOf,
  voidStep,
  webhookAction,
  type IntentView,
} from '../../src/payments/stripe/rules.js';

const pi = (over: Partial<IntentView>): IntentView => ({
  id: 'pi_1',
  status: 'requires_capture',
  amount: 1000,
  amount_capturable: 1000,
  amount_received: 0,
  created: 1_700_000_000,
  capture_method: 'manual',
  metadata: { omnia_payment_id: 'pay_1' },
  ...over,
});

describe('a PaymentIntent as an authorisation outcome', () => {
  it('held or charged money is authorised, with the card from the expanded charge', () => {
    const charge = { id: 'ch_1', payment_method_details: { card: { brand: 'visa', last4: '4242' } } };
    expect(outcomeOf(pi({ latest_charge: charge }))).toEqual({
      kind: 'authorised',
      provider_ref: 'pi_1',
      details: { payment_intent: 'pi_1', capture_method: 'manual', brand: 'visa', last4: '4242' },
    });
    expect(outcomeOf(pi({ status: 'succeeded', capture_method: 'automatic' })).kind).toBe('authorised');
  });
  it('3-D Secure is action required, with the redirect URL', () => {
    expect(
      outcomeOf(
        pi({
          status: 'requires_action',
          next_action: { type: 'redirect_to_url', redirect_to_url: { url: 'https://b/3ds' } },
        }),
      ),
    ).toEqual({ kind: 'action_required', provider_ref: 'pi_1', redirect_url: 'https://b/3ds' });
  });
  it('a failed confirmation is a decline with the network decline code when there is one', () => {
    const failed = pi({
      status: 'requires_payment_method',
      last_payment_error: { code: 'card_declined', decline_code: 'insufficient_funds' },
    });
    expect(outcomeOf(failed)).toEqual({ kind: 'declined', reason: 'insufficient_funds' });
    expect(declineReason({ code: 'payment_intent_authentication_failure' })).toBe(
      'payment_intent_authentication_failure',
    );
    expect(declineReason(null)).toBe('card_declined');
    expect(outcomeOf(pi({ status: 'canceled' }))).toEqual({ kind: 'declined', reason: 'canceled' });
  });
  it('processing is undecided', () => {
    expect(outcomeOf(pi({ status: 'processing' })).kind).toBe('undecided');
  });
  it('a 3-D Secure challenge left alone past its time is abandoned; a decided one never is', () => {
    const created = 1_700_000_000;
    const waiting = pi({ status: 'requires_action', created });
    expect(abandoned(waiting, created * 1000 + 29 * 60_000, 30 * 60_000)).toBe(false);
    expect(abandoned(waiting, created * 1000 + 31 * 60_000, 30 * 60_000)).toBe(true);
    expect(abandoned(pi({ created }), created * 1000 + 99 * 60_000, 30 * 60_000)).toBe(false);
  });
});

describe('capture and void against what Stripe holds', () => {
  it('captures a held amount up to what is capturable', () => {
    expect(captureStep(pi({}), 800, 0)).toEqual({ do: 'capture' });
    expect(captureStep(pi({}), 1200, 0)).toEqual({ do: 'refuse', reason: 'amount_too_large' });
  });
  it('a charge already taken (automatic capture, or our lost answer) is done, and any excess refunded', () => {
    const taken = pi({ status: 'succeeded', amount_received: 1000, amount_capturable: 0 });
    expect(captureStep(taken, 1000, 0)).toEqual({ do: 'done' });
    expect(captureStep(taken, 700, 0)).toEqual({ do: 'refund_excess', excess: 300 });
    expect(captureStep(taken, 700, 300)).toEqual({ do: 'done' });
    expect(captureStep(pi({ status: 'canceled' }), 1000, 0)).toEqual({ do: 'refuse', reason: 'canceled' });
  });
  it('a void cancels a hold, refunds what automatic capture took, and is done once cancelled', () => {
    expect(voidStep(pi({}), 0)).toEqual({ do: 'cancel' });
    expect(voidStep(pi({ status: 'succeeded', amount_received: 1000 }), 200)).toEqual({ do: 'refund', amount: 800 });
    expect(voidStep(pi({ status: 'canceled' }), 0)).toEqual({ do: 'done' });
  });
});

describe('webhook events', () => {
  it('a decided PaymentIntent of ours settles its payment; others are ignored', () => {
    const ev = (type: string, object: unknown) => ({ type, data: { object } });
    expect(webhookAction(ev('payment_intent.amount_capturable_updated', pi({})))).toEqual({
      kind: 'settle',
      payment_id: 'pay_1',
      payment_intent_id: 'pi_1',
      status: 'requires_capture',
    });
    expect(webhookAction(ev('payment_intent.succeeded', pi({ metadata: {} }))).kind).toBe('ignore');
    expect(webhookAction(ev('payment_intent.created', pi({}))).kind).toBe('ignore');
    expect(webhookAction(ev('charge.refunded', { id: 'ch_1', payment_intent: 'pi_1', amount_refunded: 300 }))).toEqual({
      kind: 'refunded',
      payment_intent_id: 'pi_1',
      amount_refunded: 300,
    });
  });
});
