/**
 * Payment by link under concurrency (PostgreSQL: PGlite's one connection cannot race): the paid
 * session's webhook delivered several times at once (Stripe's retries, and two events for the same
 * session) while reconciliation runs on two workers — the payment is authorised once, the order placed
 * once, one payment.authorized and one order.placed in the outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOME_ADDRESS } from '../checkout/fixtures.js';
import { stripeWorld, type StripeWorld } from './stripe-helpers.js';

describe('payment by link: concurrent webhooks and reconciliations settle once (PostgreSQL)', () => {
  let w: StripeWorld;
  let agent: string;
  let channel: string;
  beforeAll(async () => {
    w = await stripeWorld({ prefix: 'plr', timeoutMs: 2000 });
    const s = w.t.omnia.services;
    await s.auth.createStaff({ email: 'agent-plr@test.omnia', password: 'correct horse battery', role: 'agent' });
    agent = (await s.auth.loginStaff('agent-plr@test.omnia', 'correct horse battery')).token;
    channel = (await s.network.channel('plr-phone'))!.id;
  });
  afterAll(async () => w?.close());

  it('three deliveries at once and two reconciliations: one authorisation, one placed order', async () => {
    const { t, fake } = w;
    const cart = await t.request('POST', '/v1/carts', { token: agent, body: { channel } });
    await t.request('POST', `/v1/carts/${cart.body.id}/items`, {
      token: agent,
      body: { sku: w.shop.skus[0]!, quantity: 1 },
    });
    const res = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
      token: agent,
      body: { delivery: { method: 'home', address: HOME_ADDRESS }, payment: { provider: 'stripe_link' } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(402);
    const orderId = res.body.order_id as string;
    fake.autoWebhooks = false;
    expect(await fake.payLink(res.body.next_action.redirect_url)).toBe(302);
    const completed = fake.events.filter((e) => e.type === 'checkout.session.completed').at(-1)!;
    const bodies = [completed, { ...completed, id: `${completed.id}_a` }, completed].map((e) => JSON.stringify(e));
    // Old enough for the reconciliation to take it by age too.
    w.clock.advance(60_000);
    const results = await Promise.all([
      ...bodies.map((b) => w.post(b, fake.sign(b))),
      t.omnia.services.checkout.reconcile(),
      t.omnia.services.checkout.reconcile(),
    ]);
    for (const r of results.slice(0, 3)) expect((r as { status: number }).status).toBe(200);
    // Whatever the first round left leased is settled by the next (the lease runs out).
    w.clock.advance(120_000);
    await t.omnia.services.checkout.reconcile();
    const order = await t.omnia.services.orders.get(orderId);
    expect(order).toMatchObject({ status: 'placed', payment: { status: 'authorized' } });
    expect(await w.events('payment.authorized', order.payment!.id)).toBe(1);
    expect(await w.events('order.placed', orderId)).toBe(1);
    expect(await w.events('payment.link_sent', order.payment!.id)).toBe(1);
  });
});
