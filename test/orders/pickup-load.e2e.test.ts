/**
 * The click & collect orders promised to each store on a day (`orders.pickupLoad`, what the delivery
 * options weigh against a store's daily capacity): only click & collect, only the stores asked, only
 * the day asked, cancelled orders left out. PGlite by default, PostgreSQL with OMNIA_TEST_DB=pg.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { setupShop, GOOD_CARD, HOME_ADDRESS, type Shop } from '../checkout/fixtures.js';
import { ManualClock } from '../../src/platform/clock.js';

describe('click & collect load per store and day', () => {
  let t: TestApp;
  let shop: Shop;
  const clock = new ManualClock('2026-06-01T10:00:00Z');

  beforeAll(async () => {
    t = await startTestApp({ clock });
    shop = await setupShop(t, { prefix: 'pl' });
  });
  afterAll(async () => t?.close());

  async function order(delivery: Record<string, unknown>): Promise<string> {
    const token = shop.keys.phone;
    const cart = await t.request('POST', '/v1/carts', { token, body: {} });
    await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token, body: { sku: shop.skus[2], quantity: 1 } });
    const res = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
      token,
      body: { delivery, payment: { provider: 'test', card_number: GOOD_CARD }, email: 'x@example.com' },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  it('counts the day’s click & collect orders of the stores asked, cancelled ones left out', async () => {
    const atStore = { method: 'click_collect', location_id: shop.store.id };
    await order(atStore);
    await order(atStore);
    const cancelled = await order(atStore);
    await order({ method: 'home', address: HOME_ADDRESS });
    expect(
      (await t.request('POST', `/v1/orders/${cancelled}/cancel`, { token: shop.keys.phone, body: {} })).status,
    ).toBe(200);

    const orders = t.omnia.services.orders;
    const day = new Date('2026-06-01T00:00:00Z');
    const next = new Date('2026-06-02T00:00:00Z');
    const stores = [shop.store.id, shop.otherStore.id];
    expect(await orders.pickupLoad(stores, day, next)).toEqual(new Map([[shop.store.id, 2]]));
    expect(await orders.pickupLoad([shop.otherStore.id], day, next)).toEqual(new Map());
    expect(await orders.pickupLoad(stores, next, new Date('2026-06-03T00:00:00Z'))).toEqual(new Map());
    expect(await orders.pickupLoad([], day, next)).toEqual(new Map());
  });
});
