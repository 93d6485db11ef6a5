import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import { testCardProvider } from '../../src/payments/index.js';
import { setupShop, GOOD_CARD, HOME_ADDRESS, type Shop } from './fixtures.js';

/**
 * Issue 11: the provider is called with no transaction open, so the order can move while it thinks.
 * A provider slower than the deadline leaves the order waiting; the reconciliation settles it. An
 * order cancelled while its payment is pending gets a late authorisation voided.
 */
describe('payments that are still pending', () => {
  let t: TestApp;
  let shop: Shop;
  const clock = new ManualClock('2026-06-01T09:00:00Z');
  const reserved = async (sku: string) =>
    (await t.omnia.services.inventory.stock(sku)).levels.reduce((n, l) => n + l.reserved, 0);
  const cartWith = async (sku: string) => {
    const cart = await t.request('POST', '/v1/carts', { token: shop.keys.web, body: {} });
    await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token: shop.keys.web, body: { sku, quantity: 1 } });
    return cart.body.id as string;
  };
  const body = {
    delivery: { method: 'home', address: HOME_ADDRESS },
    payment: { provider: 'test', card_number: GOOD_CARD },
  };

  beforeAll(async () => {
    t = await startTestApp({
      clock,
      env: { OMNIA_TEST_PAYMENT_LATENCY_MS: '400', OMNIA_PAYMENT_TIMEOUT_MS: '150' },
    });
    shop = await setupShop(t, { prefix: 'pp' });
  });
  afterAll(async () => t?.close());

  it('a provider past its deadline: 503, the order waits, the reconciliation cancels it and frees the stock', async () => {
    const sku = shop.skus[0]!;
    const before = await reserved(sku);
    const cartId = await cartWith(sku);
    const res = await t.request('POST', `/v1/carts/${cartId}/checkout`, { token: shop.keys.web, body });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('unavailable');
    const orderId = res.body.order_id as string;
    expect((await t.omnia.services.orders.get(orderId)).status).toBe('payment_pending');
    expect(await reserved(sku)).toBe(before + 1);
    // Not stale yet: the reconciliation leaves it to the request that is still waiting.
    expect(await t.omnia.services.checkout.reconcile()).toBe(0);
    clock.advance(1000);
    expect(await t.omnia.services.checkout.reconcile()).toBe(1);
    // The provider never decided (the deadline cut it off): unknown to it, so the order is cancelled.
    expect(await t.omnia.services.orders.get(orderId)).toMatchObject({
      status: 'cancelled',
      payment: { status: 'failed' },
    });
    expect(await reserved(sku)).toBe(before);
    expect((await t.request('GET', `/v1/carts/${cartId}`, { token: shop.keys.web })).body.status).toBe('open');
  });

  it('an order cancelled while its payment is pending: the late authorisation is voided, the stock freed', async () => {
    // A provider that says yes only once the order has been cancelled (and ignores the deadline).
    let cancelled = () => {};
    const afterCancel = new Promise<void>((r) => (cancelled = r));
    const card = testCardProvider();
    const slow = {
      ...card,
      name: 'slow',
      authorise: async (input: Parameters<typeof card.authorise>[0], call: { idempotency_key: string }) => {
        await afterCancel;
        return card.authorise(input, { idempotency_key: call.idempotency_key });
      },
    };
    t.omnia.services.payments.register(slow);
    const sku = shop.skus[1]!;
    const before = await reserved(sku);
    const cartId = await cartWith(sku);
    const pending = t.request('POST', `/v1/carts/${cartId}/checkout`, {
      token: shop.keys.web,
      body: { ...body, payment: { provider: 'slow', card_number: GOOD_CARD } },
    });
    let orderId: string | undefined;
    while (!orderId) {
      orderId = (await t.omnia.services.orders.findByCart(cartId))?.id;
      if (!orderId) await new Promise((r) => setTimeout(r, 5));
    }
    await t.omnia.services.orders.cancel(orderId, { reason: 'customer changed their mind' });
    cancelled();
    const res = await pending;
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ code: 'payment_declined', reason: 'order_cancelled' });
    expect(await t.omnia.services.orders.get(orderId)).toMatchObject({
      status: 'cancelled',
      payment: { status: 'voided' },
    });
    expect(slow.ledger.voids).toHaveLength(1);
    expect(await reserved(sku)).toBe(before);
  });
});
