import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeWorld, type StripeWorld } from './stripe-helpers.js';

/**
 * Issue 18 points 4 and 5: what arrives out of order or not at all. 3-D Secure's redirect and its
 * completion by webhook; a webhook that beats the checkout's own answer; a duplicate webhook; a bad
 * signature; an authorisation whose answer never came back (timeout, 429), settled by the
 * reconciliation with the same Idempotency-Key — one PaymentIntent, never a second charge.
 */
describe('Stripe: 3-D Secure, webhooks and lost answers', () => {
  let w: StripeWorld;
  beforeAll(async () => {
    // A deadline the machine's load cannot miss by accident; the timeout test holds its answer longer.
    w = await stripeWorld({ prefix: 'sb', timeoutMs: 2000 });
  });
  afterAll(async () => w?.close());

  it('3-D Secure: the checkout answers pending with where to send the shopper; the webhook completes it', async () => {
    const { t, fake } = w;
    const res = await w.checkout(await w.cartWith(0), 'pm_card_authenticationRequired');
    // 402 payment_action_required with the bank's page: the storefront redirects the shopper at once
    expect(res.status).toBe(402);
    expect(res.body.code).toBe('payment_action_required');
    expect(res.body.type).toBe('https://omnia.dev/problems/payment_action_required');
    expect(res.body.next_action.type).toBe('redirect_to_url');
    const orderId = res.body.order_id as string;
    // The shopper's page reads the order: pending, and the bank's page to go to.
    const seen = await t.request('GET', `/v1/orders/${orderId}`);
    expect(seen.body).toMatchObject({ status: 'payment_pending', payment: { status: 'pending' } });
    const next = seen.body.payment.details.next_action;
    expect(next.type).toBe('redirect_to_url');
    const piId = seen.body.payment.provider_ref as string;
    expect(next.redirect_url).toBe(`${fake.url}/3ds/${piId}`);
    expect(res.body.next_action).toEqual(next);
    // Not settled by the reconciliation while the shopper is at the bank.
    w.clock.advance(60_000);
    await t.omnia.services.checkout.reconcile();
    expect((await t.omnia.services.orders.get(orderId)).status).toBe('payment_pending');
    // The shopper passes; the browser goes back to the shop; Stripe's webhook settles the order.
    expect(await fake.challenge(piId, true)).toBe(`https://shop.example/checkout/return?payment_intent=${piId}`);
    await fake.idle();
    expect(await t.omnia.services.orders.get(orderId)).toMatchObject({
      status: 'placed',
      payment: { status: 'authorized', provider_ref: piId },
    });
    expect(await w.events('order.placed', orderId)).toBe(1);
  });

  it('3-D Secure failed: the webhook cancels the order with the reason and frees the cart', async () => {
    const { t, fake } = w;
    const cartId = await w.cartWith(1);
    const res = await w.checkout(cartId, 'pm_card_authenticationRequired');
    const piId = (await t.omnia.services.orders.get(res.body.order_id)).payment!.provider_ref!;
    await fake.challenge(piId, false);
    await fake.idle();
    expect(await t.omnia.services.orders.get(res.body.order_id)).toMatchObject({
      status: 'cancelled',
      payment: { status: 'declined', decline_reason: 'payment_intent_authentication_failure' },
    });
    expect((await t.request('GET', `/v1/carts/${cartId}`, { token: w.shop.keys.web })).body.status).toBe('open');
  });

  it('a shopper who never finishes 3-D Secure: the PaymentIntent is cancelled and the order with it', async () => {
    const { t, fake } = w;
    const res = await w.checkout(await w.cartWith(2), 'pm_card_authenticationRequired');
    const piId = (await t.omnia.services.orders.get(res.body.order_id)).payment!.provider_ref!;
    w.clock.advance(31 * 60_000);
    await t.omnia.services.checkout.reconcile();
    expect(fake.intents.get(piId)).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    expect(await t.omnia.services.orders.get(res.body.order_id)).toMatchObject({
      status: 'cancelled',
      payment: { status: 'declined', decline_reason: 'authentication_abandoned' },
    });
  });

  it("a late webhook arriving before the checkout's own answer: the payment is settled once", async () => {
    const { t, fake } = w;
    fake.webhookBeforeAnswer = true;
    try {
      const res = await w.checkout(await w.cartWith(0), 'pm_card_visa');
      expect(res.status).toBe(201);
      const payId = res.body.payment.id as string;
      // The webhook got there first (the fake sent it before answering the create) and settled it.
      const first = fake.deliveries.find((d) => d.type === 'payment_intent.amount_capturable_updated');
      expect(first?.status).toBe(200);
      expect(await t.omnia.services.orders.get(res.body.id)).toMatchObject({
        status: 'placed',
        payment: { status: 'authorized' },
      });
      expect(await w.events('payment.authorized', payId)).toBe(1);
      expect(await w.events('order.placed', res.body.id)).toBe(1);
      expect([...fake.intents.values()].filter((pi) => pi.metadata.omnia_payment_id === payId)).toHaveLength(1);
    } finally {
      fake.webhookBeforeAnswer = false;
    }
  });

  it('the same webhook event twice is applied once; signed with another secret, tampered or unsigned it is refused', async () => {
    const { fake } = w;
    const event = fake.events.find((e) => e.type === 'payment_intent.amount_capturable_updated')!;
    const body = JSON.stringify(event);
    const again = await w.post(body, fake.sign(body));
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ received: true, duplicate: true, applied: 'nothing (seen before)' });

    const fresh = JSON.stringify({ ...event, id: 'evt_never_seen' });
    const forged = await w.post(fresh, fake.sign(fresh, undefined, 'whsec_someone_else'));
    expect(forged.status).toBe(400);
    expect(forged.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(forged.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'header/stripe-signature' }] });
    const tampered = await w.post(fresh.replace('"amount":', '"amount": 1'), fake.sign(fresh));
    expect(tampered.status).toBe(400);
    const unsigned = await w.post(fresh);
    expect(unsigned.status).toBe(400);
    // Signed correctly but ten minutes old: a replay, refused.
    const old = await w.post(fresh, fake.sign(fresh, new Date(w.clock.now().getTime() - 600_000)));
    expect(old.status).toBe(400);
    // None of them was recorded: the genuine event is still new.
    expect((await w.post(fresh, fake.sign(fresh))).body.duplicate).toBe(false);
  });

  it('a timeout during authorise: the reconciliation retrieves it by its key, one PaymentIntent, no second charge', async () => {
    const { t, fake } = w;
    fake.autoWebhooks = false; // the job's path alone, no webhook to help
    try {
      fake.faults.push({ match: (m, p) => m === 'POST' && p === '/v1/payment_intents', delayMs: 5000, times: 1 });
      const before = fake.intents.size;
      const res = await w.checkout(await w.cartWith(1), 'pm_card_visa');
      expect(res.status).toBe(503);
      const { order_id: orderId, payment_id: payId } = res.body as { order_id: string; payment_id: string };
      expect((await t.omnia.services.orders.get(orderId)).status).toBe('payment_pending');
      // Stripe did the work; only its answer was late.
      expect(fake.intents.size).toBe(before + 1);
      w.clock.advance(10_000);
      expect(await t.omnia.services.checkout.reconcile()).toBeGreaterThan(0);
      expect(await t.omnia.services.orders.get(orderId)).toMatchObject({
        status: 'placed',
        payment: { status: 'authorized' },
      });
      expect(fake.intents.size).toBe(before + 1);
      const creates = fake.calls.filter((c) => c.key === payId);
      expect(creates.length).toBeGreaterThanOrEqual(2);
      expect(creates.slice(1).every((c) => c.replayed)).toBe(true);
    } finally {
      fake.autoWebhooks = true;
    }
  });

  it('a 429 on authorise: pending, then settled by the reconciliation; with Stripe-Should-Retry the SDK retries it', async () => {
    const { t, fake } = w;
    // Only this test's creates (the card tells them apart from an earlier test's SDK retry still in flight).
    const create = (m: string, p: string, body: string) =>
      m === 'POST' && p === '/v1/payment_intents' && body.includes('pm_card_mastercard');
    const intents = () => [...fake.intents.values()].filter((pi) => pi.payment_method === 'pm_card_mastercard').length;
    fake.autoWebhooks = false;
    try {
      fake.faults.push({ match: create, status: 429, times: 1 });
      const res = await w.checkout(await w.cartWith(2), 'pm_card_mastercard');
      expect(res.status).toBe(503);
      expect(intents()).toBe(0);
      w.clock.advance(10_000);
      expect(await t.omnia.services.checkout.reconcile()).toBeGreaterThan(0);
      expect((await t.omnia.services.orders.get(res.body.order_id)).status).toBe('placed');
      expect(intents()).toBe(1);

      fake.faults.push({ match: create, status: 429, shouldRetry: true, times: 1 });
      const retried = await w.checkout(await w.cartWith(0), 'pm_card_mastercard');
      expect(retried.status).toBe(201);
      expect(intents()).toBe(2);
      expect(fake.faults.every((f) => f.times === 0)).toBe(true);
    } finally {
      fake.autoWebhooks = true;
    }
  });
});
