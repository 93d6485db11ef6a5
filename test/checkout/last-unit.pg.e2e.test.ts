import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { setupShop, GOOD_CARD, HOME_ADDRESS, type Shop } from './fixtures.js';

/**
 * PostgreSQL only: a real race needs real concurrent connections (PGlite has one). The test card
 * provider answers in 500 ms (issue 11): it is called after the checkout transaction commits, so
 * the races below run with the provider slow and no row lock held while it thinks.
 */
describe('the last unit, wanted by the web shop and the till at once', () => {
  let t: TestApp;
  let shop: Shop;
  beforeAll(async () => {
    t = await startTestApp({
      database: await createTestDatabase({ forcePg: true }),
      env: { OMNIA_TEST_PAYMENT_LATENCY_MS: '500' },
    });
    shop = await setupShop(t, { prefix: 'r' });
  });
  afterAll(async () => t?.close());

  it('one wins, the other gets insufficient_stock, nothing is oversold', async () => {
    const last = shop.skus[3]!;
    for (let round = 0; round < 5; round++) {
      if (round > 0)
        await t.omnia.services.inventory.recordMovement({
          sku: last,
          location_id: shop.store.id,
          type: 'receipt',
          quantity: 1,
        });
      const web = await t.request('POST', '/v1/carts', { token: shop.keys.web, body: {} });
      const till = await t.request('POST', '/v1/carts', { token: shop.keys.pos, body: {} });
      await t.request('POST', `/v1/carts/${web.body.id}/items`, {
        token: shop.keys.web,
        body: { sku: last, quantity: 1 },
      });
      await t.request('POST', `/v1/carts/${till.body.id}/items`, {
        token: shop.keys.pos,
        body: { sku: last, quantity: 1 },
      });
      const [a, b] = await Promise.all([
        t.request('POST', `/v1/carts/${web.body.id}/checkout`, {
          token: shop.keys.web,
          body: {
            delivery: { method: 'home', address: HOME_ADDRESS },
            payment: { provider: 'test', card_number: GOOD_CARD },
          },
        }),
        t.request('POST', `/v1/carts/${till.body.id}/checkout`, {
          token: shop.keys.pos,
          body: { delivery: { method: 'in_store' }, payment: { provider: 'manual' } },
        }),
      ]);
      expect([a.status, b.status].sort()).toEqual([201, 409]);
      const loser = a.status === 409 ? a : b;
      expect(loser.body.code).toBe('insufficient_stock');
      expect(loser.body.lines[0].sku).toBe(last);
      const level = (await t.omnia.services.inventory.stock(last)).levels.find((l) => l.location_id === shop.store.id)!;
      expect(level.reserved).toBe(round + 1);
      expect(level.on_hand).toBe(round + 1);
    }
    const orders = (await t.request('GET', '/v1/orders?limit=500')).body.items;
    expect(orders).toHaveLength(5);
  });

  it('a burst of retries of one checkout creates exactly one order', async () => {
    const cart = await t.request('POST', '/v1/carts', { token: shop.keys.web, body: {} });
    await t.request('POST', `/v1/carts/${cart.body.id}/items`, {
      token: shop.keys.web,
      body: { sku: shop.skus[0], quantity: 1 },
    });
    const body = {
      delivery: { method: 'home', address: HOME_ADDRESS },
      payment: { provider: 'test', card_number: GOOD_CARD },
    };
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
          token: shop.keys.web,
          body,
          headers: { 'idempotency-key': `burst-${i % 2}` },
        }),
      ),
    );
    const ids = new Set(answers.filter((r) => r.status < 300).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    for (const r of answers) expect([200, 201, 409]).toContain(r.status);
    const orders = (await t.request('GET', '/v1/orders?limit=500')).body.items.filter(
      (o: { cart_id: string }) => o.cart_id === cart.body.id,
    );
    expect(orders).toHaveLength(1);
  });

  it('with a 500 ms provider, 24 shoppers race for the last 5 units: 5 paid orders, nothing oversold', async () => {
    const sku = shop.skus[2]!;
    const inv = t.omnia.services.inventory;
    // The last 5 units, all at the warehouse the web shop ships from.
    await inv.recordMovement({ sku, location_id: shop.warehouse.id, type: 'count', quantity: 5 });
    await inv.recordMovement({ sku, location_id: shop.store.id, type: 'count', quantity: 0 });
    const carts: string[] = [];
    for (let i = 0; i < 24; i++) {
      const cart = await t.request('POST', '/v1/carts', { token: shop.keys.web, body: {} });
      await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token: shop.keys.web, body: { sku, quantity: 1 } });
      carts.push(cart.body.id);
    }
    const answers = await Promise.all(
      carts.map((id) =>
        t.request('POST', `/v1/carts/${id}/checkout`, {
          token: shop.keys.web,
          body: {
            delivery: { method: 'home', address: HOME_ADDRESS },
            payment: { provider: 'test', card_number: GOOD_CARD },
          },
        }),
      ),
    );
    const won = answers.filter((a) => a.status === 201);
    expect(won).toHaveLength(5);
    expect(answers.filter((a) => a.status === 409 && a.body.code === 'insufficient_stock')).toHaveLength(19);
    for (const a of won) expect(a.body).toMatchObject({ status: 'placed', payment: { status: 'authorized' } });
    const levels = (await inv.stock(sku)).levels;
    expect(levels.reduce((n, l) => n + l.reserved, 0)).toBe(5);
    for (const l of levels) expect(l.reserved).toBeLessThanOrEqual(l.on_hand);
  });
});
