import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { setupShop, GOOD_CARD, HOME_ADDRESS, type Shop } from './fixtures.js';

/**
 * Issue 11 point 9: a first-order promotion is re-checked at redemption, inside the order
 * transaction. The quote judges "first order" from the customer's metrics, which follow the
 * orders through the outbox and lag behind them; before, a second order placed before the metrics
 * caught up got the welcome discount again.
 */
describe('first-order promotions at checkout', () => {
  let t: TestApp;
  let shop: Shop;
  beforeAll(async () => {
    t = await startTestApp();
    shop = await setupShop(t, { prefix: 'fo', promotions: 0 });
    await t.omnia.services.promotions.createPromotion({
      name: 'Welcome: 5 € off your first order',
      kind: 'item_amount',
      params: { amount: 500 },
      scope: { skus: [shop.skus[1]!] },
      conditions: { first_order: true },
    } as never);
  });
  afterAll(async () => t?.close());

  it('gives the welcome discount once, and refuses it (cart_changed) on a second order made before the metrics caught up', async () => {
    const web = (await t.omnia.services.network.channel('fo-web'))!;
    const reg = await t.omnia.services.customers.register({
      email: 'new@example.com',
      password: 'a long enough password',
      channelId: web.id,
    });
    const buy = async () => {
      const cart = await t.request('POST', '/v1/carts', { token: reg.token, body: {} });
      await t.request('POST', `/v1/carts/${cart.body.id}/items`, {
        token: reg.token,
        body: { sku: shop.skus[1], quantity: 1 },
      });
      return t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
        token: reg.token,
        body: {
          delivery: { method: 'home', address: HOME_ADDRESS },
          payment: { provider: 'test', card_number: GOOD_CARD },
        },
      });
    };
    const first = await buy();
    expect(first.status).toBe(201);
    expect(first.body.discount_total.amount).toBe(500);
    // No outbox dispatch in between: the customer's orders_count still says 0, so the quote applies it again.
    const second = await buy();
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('cart_changed');
    const orders = (await t.request('GET', `/v1/orders?customer_id=${reg.customer_id}`)).body.items;
    expect(orders.filter((o: { status: string }) => o.status !== 'cancelled')).toHaveLength(1);
  });
});
