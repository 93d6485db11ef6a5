import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeWorld, type StripeWorld } from './stripe-helpers.js';

/**
 * Issue 18 point 4: card payments through Stripe's PaymentIntents with the official SDK, pointed at a
 * local fake that speaks Stripe's form-encoded API. Authorisation at checkout, capture and refund
 * through the payment state machine, a declined card, and Stripe's refund webhook that repeats what
 * Omnia already knows.
 */
describe('Stripe: authorise, capture, refund through the state machine', () => {
  let w: StripeWorld;
  beforeAll(async () => {
    w = await stripeWorld({ prefix: 'sa' });
  });
  afterAll(async () => w?.close());

  it('checkout holds the money (manual capture), shipment captures it, a return refunds part of it', async () => {
    const { t, fake } = w;
    const res = await w.checkout(await w.cartWith(0), 'pm_card_visa');
    expect(res.status).toBe(201);
    const order = await t.omnia.services.orders.get(res.body.id);
    expect(order.status).toBe('placed');
    const pay = order.payment!;
    expect(pay).toMatchObject({ provider: 'stripe', status: 'authorized', details: { brand: 'visa', last4: '4242' } });
    const pi = fake.intents.get(pay.provider_ref!)!;
    expect(pi).toMatchObject({
      status: 'requires_capture',
      amount: order.total.amount,
      currency: 'eur',
      capture_method: 'manual',
    });
    expect(pi.metadata).toMatchObject({ omnia_payment_id: pay.id, omnia_order_id: order.id });
    // Our payment id is the Idempotency-Key Stripe saw.
    expect(fake.calls.find((c) => c.path === '/v1/payment_intents' && c.method === 'POST')?.key).toBe(pay.id);

    const captured = await t.omnia.services.payments.capture(pay.id);
    expect(captured).toMatchObject({ status: 'captured', captured_amount: order.total.amount });
    expect(fake.intents.get(pi.id)).toMatchObject({ status: 'succeeded', amount_received: order.total.amount });

    const refunded = await t.omnia.services.payments.refund(pay.id, 300);
    expect(refunded).toMatchObject({ status: 'partially_refunded', refunded_amount: 300 });
    expect(fake.refunds).toHaveLength(1);
    expect(fake.refunds[0]).toMatchObject({ amount: 300, payment_intent: pi.id });
    // Stripe's charge.refunded for that refund reaches Omnia: a refund it knows, so nothing more.
    await fake.idle();
    const d = fake.deliveries.filter((x) => x.type === 'charge.refunded');
    expect(d).toHaveLength(1);
    expect(d[0]!.status).toBe(200);
    expect((await t.omnia.services.payments.get(pay.id)).refunded_amount).toBe(300);
  });

  it('a refund made in the Stripe dashboard reaches Omnia by webhook, once however often it is sent', async () => {
    const { t, fake } = w;
    const res = await w.checkout(await w.cartWith(1), 'pm_card_mastercard');
    const payId = res.body.payment.id as string;
    await t.omnia.services.payments.capture(payId);
    const pi = (await t.omnia.services.payments.get(payId)).provider_ref!;
    // Someone refunds 200 in the dashboard (Stripe's API without Omnia).
    const dash = await fetch(`${fake.url}/v1/refunds`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk_test_omnia_fake', 'content-type': 'application/x-www-form-urlencoded' },
      body: `payment_intent=${pi}&amount=200`,
    });
    expect(dash.status).toBe(200);
    await fake.idle();
    expect(await t.omnia.services.payments.get(payId)).toMatchObject({
      status: 'partially_refunded',
      refunded_amount: 200,
    });
    // The same event again (Stripe retries until it sees a 2xx): acknowledged, applied once.
    const event = fake.events.filter((e) => e.type === 'charge.refunded').at(-1)!;
    const again = await w.post(JSON.stringify(event), fake.sign(JSON.stringify(event)));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ received: true, duplicate: true });
    // A different event saying the same (the charge's state, sent again under a new id): nothing to add.
    const copy = JSON.stringify({ ...event, id: 'evt_copy_of_refund' });
    expect((await w.post(copy, fake.sign(copy))).body).toMatchObject({
      duplicate: false,
      applied: 'nothing (refunds known)',
    });
    expect((await t.omnia.services.payments.get(payId)).refunded_amount).toBe(200);
    expect(await w.events('payment.refunded', payId)).toBe(1);
  });

  it('a declined card: 402 with the network reason, the order cancelled, the cart open again', async () => {
    const cartId = await w.cartWith(2);
    const res = await w.checkout(cartId, 'pm_card_visa_chargeDeclinedInsufficientFunds');
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ code: 'payment_declined', reason: 'insufficient_funds' });
    expect(await w.t.omnia.services.orders.get(res.body.order_id)).toMatchObject({
      status: 'cancelled',
      payment: { status: 'declined' },
    });
    expect((await w.t.request('GET', `/v1/carts/${cartId}`, { token: w.shop.keys.web })).body.status).toBe('open');
  });

  it('card numbers never reach Stripe through Omnia, and the token must be a PaymentMethod id', async () => {
    const cartId = await w.cartWith(0);
    const calls = w.fake.calls.length;
    const num = await w.t.request('POST', `/v1/carts/${cartId}/checkout`, {
      token: w.shop.keys.web,
      body: {
        delivery: {
          method: 'home',
          address: { name: 'A', line1: 'x', city: 'Madrid', postal_code: '28004', country: 'ES' },
        },
        payment: { provider: 'stripe', card_number: '4242 4242 4242 4242' },
      },
    });
    expect(num.status).toBe(400);
    expect(num.body.errors[0].field).toBe('payment/card_number');
    const bad = await w.checkout(cartId, 'tok_visa');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('payment/token');
    expect(w.fake.calls.length).toBe(calls);
  });
});
