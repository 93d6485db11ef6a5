import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { startAmazonFake, amazonOrder, type AmazonFake } from './fakes/amazon-fake.js';
import { FAKE_ENV, setupAmazonShop, type AmazonShop } from './fixtures.js';

/**
 * PostgreSQL only (real concurrent connections): an Amazon order for the last unit of a size races a web
 * checkout for it. Both reserve through the same conditional stock update, so exactly one wins; when the
 * web shop wins, the Amazon order becomes an exception (visible, cancellable), never an oversell.
 */
describe('the last unit, wanted by Amazon and the web shop at once', () => {
  let t: TestApp;
  let fake: AmazonFake;
  let shop: AmazonShop;
  beforeAll(async () => {
    fake = await startAmazonFake();
    t = await startTestApp({
      database: await createTestDatabase({ forcePg: true }),
      env: { ...FAKE_ENV, OMNIA_TEST_PAYMENT_LATENCY_MS: '200' },
    });
    shop = await setupAmazonShop(t, fake, { stock: [0, 0, 0] });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('exactly one wins each round; the loser is a clean refusal or an exception, stock never below zero', async () => {
    const sku = shop.skus[2]!;
    let amazonWins = 0;
    let webWins = 0;
    for (let round = 0; round < 6; round++) {
      await t.omnia.services.inventory.recordMovement({
        sku,
        location_id: shop.warehouse.id,
        type: 'receipt',
        quantity: 1,
      });
      const externalId = `403-7777777-00000${round}`;
      fake.orders.push(amazonOrder(externalId, [{ sku, quantity: 1 }]));
      const cart = await t.request('POST', '/v1/carts', { token: shop.webKey, body: {} });
      await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token: shop.webKey, body: { sku, quantity: 1 } });
      const [web] = await Promise.all([
        t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
          token: shop.webKey,
          body: {
            delivery: {
              method: 'home',
              address: { line1: 'Calle 3', city: 'Madrid', postal_code: '28003', country: 'ES' },
            },
            email: 'w@example.com',
            payment: { provider: 'test', card_number: '4242 4242 4242 4242' },
          },
        }),
        t.omnia.services.marketplaces.syncNow(shop.connectionId),
      ]);
      const rows = await t.request('GET', '/v1/marketplaces/orders?limit=200');
      const mine = rows.body.items.filter((o: { external_id: string }) => o.external_id === externalId);
      expect(mine).toHaveLength(1);
      const amazon = mine[0];
      if (web.status === 201) {
        webWins++;
        expect(amazon.status).toBe('exception');
        expect(amazon.problem.type).toBe('insufficient_stock');
        expect(amazon.order_id).toBeNull();
      } else {
        amazonWins++;
        expect(web.status).toBe(409);
        expect(web.body.code).toBe('insufficient_stock');
        expect(amazon.status).toBe('imported');
      }
      const level = (await t.omnia.services.inventory.stock(sku)).levels.find(
        (l) => l.location_id === shop.warehouse.id,
      )!;
      expect(level.reserved).toBe(level.on_hand);
      expect(level.on_hand - level.reserved).toBe(0);
    }
    expect(amazonWins + webWins).toBe(6);
  });
});
