import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { setupShop, GOOD_CARD, HOME_ADDRESS, type Shop } from '../checkout/fixtures.js';

/** The console's order list filters: a location (placed at its tills or collected there) and a time window. */
describe('GET /v1/orders by location and date', () => {
  let t: TestApp;
  let shop: Shop;
  const ids: Record<'home' | 'collect' | 'till', string> = { home: '', collect: '', till: '' };

  async function order(key: string, delivery: unknown, payment: unknown): Promise<string> {
    const cart = await t.request('POST', '/v1/carts', { token: key, body: {} });
    await t.request('POST', `/v1/carts/${cart.body.id}/items`, {
      token: key,
      body: { sku: shop.skus[0], quantity: 1 },
    });
    const res = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
      token: key,
      body: { delivery, payment },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  }

  beforeAll(async () => {
    t = await startTestApp();
    shop = await setupShop(t, { prefix: 'of' });
    const card = { provider: 'test', card_number: GOOD_CARD };
    ids.home = await order(shop.keys.web, { method: 'home', address: HOME_ADDRESS }, card);
    ids.collect = await order(shop.keys.web, { method: 'click_collect', location_id: shop.store.id }, card);
    ids.till = await order(shop.keys.pos, { method: 'home', address: HOME_ADDRESS }, { provider: 'manual' });
  });
  afterAll(async () => t?.close());

  const list = async (query: string) => {
    const res = await t.request('GET', `/v1/orders?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.items as { id: string }[]).map((o) => o.id).sort();
  };

  it('finds the orders placed at a store or collected there, not the others', async () => {
    expect(await list(`location_id=${shop.store.id}`)).toEqual([ids.collect, ids.till].sort());
    expect(await list(`location_id=${shop.otherStore.id}`)).toEqual([]);
  });

  it('limits the list to a time window, from inclusive to exclusive', async () => {
    const all = [ids.home, ids.collect, ids.till].sort();
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    expect(await list(`placed_from=${hourAgo}&placed_to=${inAnHour}`)).toEqual(all);
    expect(await list(`placed_from=${inAnHour}`)).toEqual([]);
    expect(await list(`placed_to=${hourAgo}`)).toEqual([]);
    expect(await list(`placed_from=${hourAgo}&location_id=${shop.store.id}&channel=of-pos`)).toEqual([ids.till]);
  });

  it('refuses a window that ends before it starts, and a date that is not one', async () => {
    const now = new Date().toISOString();
    const bad = await t.request('GET', `/v1/orders?placed_from=${now}&placed_to=${now}`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('placed_to');
    expect((await t.request('GET', '/v1/orders?placed_from=yesterday')).status).toBe(400);
  });
});
