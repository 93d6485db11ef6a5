import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { setupShop, DECLINED_CARD, GOOD_CARD, HOME_ADDRESS, type Shop } from './fixtures.js';

describe('checkout refuses bad input and leaves nothing half-done', () => {
  let t: TestApp;
  let shop: Shop;
  const reservedTotal = async (sku: string) =>
    (await t.omnia.services.inventory.stock(sku)).levels.reduce((n, l) => n + l.reserved, 0);
  const orderCount = async () => (await t.request('GET', '/v1/orders?limit=500')).body.items.length;
  const home = {
    delivery: { method: 'home', address: HOME_ADDRESS },
    payment: { provider: 'test', card_number: GOOD_CARD },
  };
  async function cartWith(token: string, lines: [string, number][]) {
    const cart = await t.request('POST', '/v1/carts', { token, body: {} });
    for (const [sku, quantity] of lines)
      expect(
        (await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token, body: { sku, quantity } })).status,
      ).toBe(200);
    return cart.body.id as string;
  }

  beforeAll(async () => {
    t = await startTestApp();
    shop = await setupShop(t, { prefix: 'b' });
  });
  afterAll(async () => t?.close());

  it('refuses an empty cart', async () => {
    const id = await cartWith(shop.keys.web, []);
    const res = await t.request('POST', `/v1/carts/${id}/checkout`, { token: shop.keys.web, body: home });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('lines');
  });

  it("refuses a customer checking out another customer's cart", async () => {
    const web = (await t.omnia.services.network.channel('b-web'))!;
    const a = await t.omnia.services.customers.register({
      email: 'a@example.com',
      password: 'a long enough password',
      channelId: web.id,
    });
    const b = await t.omnia.services.customers.register({
      email: 'b@example.com',
      password: 'a long enough password',
      channelId: web.id,
    });
    const id = await cartWith(a.token, [[shop.skus[0]!, 1]]);
    const res = await t.request('POST', `/v1/carts/${id}/checkout`, { token: b.token, body: home });
    // Another customer's cart does not exist for a customer token (the authorization policy's 404).
    expect(res.status).toBe(404);
    expect((await t.request('GET', `/v1/carts/${id}`, { token: b.token })).status).toBe(404);
    expect(
      (await t.request('POST', `/v1/carts/${id}/items`, { token: b.token, body: { sku: shop.skus[0], quantity: 1 } }))
        .status,
    ).toBe(404);
    expect(await reservedTotal(shop.skus[0]!)).toBe(0);
  });

  it('refuses click & collect at a location without pickup, and home delivery without an address', async () => {
    const id = await cartWith(shop.keys.web, [[shop.skus[0]!, 1]]);
    const cc = await t.request('POST', `/v1/carts/${id}/checkout`, {
      token: shop.keys.web,
      body: { ...home, delivery: { method: 'click_collect', location_id: shop.otherStore.id } },
    });
    expect(cc.status).toBe(422);
    expect(cc.body.errors[0].field).toBe('delivery/location_id');
    expect(cc.body.detail).toMatch(/pickup/);
    const noAddress = await t.request('POST', `/v1/carts/${id}/checkout`, {
      token: shop.keys.web,
      body: { ...home, delivery: { method: 'home' } },
    });
    expect(noAddress.status).toBe(400);
    const unknownField = await t.request('POST', `/v1/carts/${id}/checkout`, {
      token: shop.keys.web,
      body: { ...home, gift: true },
    });
    expect(unknownField.status).toBe(400);
    const unknownProvider = await t.request('POST', `/v1/carts/${id}/checkout`, {
      token: shop.keys.web,
      body: { ...home, payment: { provider: 'bitcoin' } },
    });
    expect(unknownProvider.status).toBe(400);
    const badCard = await t.request('POST', `/v1/carts/${id}/checkout`, {
      token: shop.keys.web,
      body: { ...home, payment: { provider: 'test', card_number: '1234' } },
    });
    expect(badCard.status).toBe(400);
    expect(badCard.body.errors[0].field).toBe('payment/card_number');
    expect(await reservedTotal(shop.skus[0]!)).toBe(0);
    expect(await orderCount()).toBe(0);
  });

  it('a declined card leaves no live order, no reservation, no redemption — and the cart can still be bought', async () => {
    const id = await cartWith(shop.keys.web, [
      [shop.skus[0]!, 2],
      [shop.skus[1]!, 1],
    ]);
    const res = await t.request('POST', `/v1/carts/${id}/checkout`, {
      token: shop.keys.web,
      body: { ...home, payment: { provider: 'test', card_number: DECLINED_CARD } },
    });
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ code: 'payment_declined', reason: 'card_declined' });
    expect(await reservedTotal(shop.skus[0]!)).toBe(0);
    expect(await reservedTotal(shop.skus[1]!)).toBe(0);
    // The attempt is kept for support as a cancelled order with its declined payment (issue 11).
    const attempt = await t.omnia.services.orders.get(res.body.order_id);
    expect(attempt).toMatchObject({
      status: 'cancelled',
      payment: { status: 'declined', decline_reason: 'card_declined' },
    });
    expect(await orderCount()).toBe(1);
    expect((await t.request('GET', `/v1/carts/${id}`, { token: shop.keys.web })).body.status).toBe('open');
    const ok = await t.request('POST', `/v1/carts/${id}/checkout`, { token: shop.keys.web, body: home });
    expect(ok.status).toBe(201);
    expect(await reservedTotal(shop.skus[0]!)).toBe(2);
  });

  it('refuses manual payment on the web shop: nobody would pay for that order (issue 11)', async () => {
    const id = await cartWith(shop.keys.web, [[shop.skus[0]!, 1]]);
    const orders = await orderCount();
    const reserved = await reservedTotal(shop.skus[0]!);
    for (const delivery of [home.delivery, { method: 'click_collect', location_id: shop.store.id }]) {
      const res = await t.request('POST', `/v1/carts/${id}/checkout`, {
        token: shop.keys.web,
        body: { delivery, payment: { provider: 'manual' } },
      });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('payment_provider_not_allowed');
      expect(res.body.errors[0].field).toBe('payment/provider');
    }
    expect(await orderCount()).toBe(orders);
    expect(await reservedTotal(shop.skus[0]!)).toBe(reserved);
  });

  it('names the short lines when stock went since the cart was made', async () => {
    const id = await cartWith(shop.keys.web, [
      [shop.skus[3]!, 1],
      [shop.skus[2]!, 1],
    ]);
    await t.omnia.services.inventory.recordMovement({
      sku: shop.skus[3]!,
      location_id: shop.store.id,
      type: 'count',
      quantity: 0,
    });
    const res = await t.request('POST', `/v1/carts/${id}/checkout`, { token: shop.keys.web, body: home });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('insufficient_stock');
    expect(res.body.lines.map((l: { sku: string }) => l.sku)).toEqual([shop.skus[3]]);
    expect(await reservedTotal(shop.skus[2]!)).toBe(0);
    const cart = await t.request('GET', `/v1/carts/${id}`, { token: shop.keys.web });
    expect(cart.body.status).toBe('open');
    expect(cart.body.lines.find((l: { sku: string }) => l.sku === shop.skus[3]).availability.status).toBe(
      'unavailable',
    );
  });

  it('never creates two orders: same Idempotency-Key replays, another body is refused, a new key gets the cart’s order', async () => {
    const id = await cartWith(shop.keys.web, [[shop.skus[2]!, 1]]);
    const headers = { 'idempotency-key': `co-${id}` };
    const first = await t.request('POST', `/v1/carts/${id}/checkout`, { token: shop.keys.web, body: home, headers });
    const again = await t.request('POST', `/v1/carts/${id}/checkout`, { token: shop.keys.web, body: home, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    const other = await t.request('POST', `/v1/carts/${id}/checkout`, {
      token: shop.keys.web,
      body: { ...home, email: 'x@example.com' },
      headers,
    });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    const newKey = await t.request('POST', `/v1/carts/${id}/checkout`, {
      token: shop.keys.web,
      body: home,
      headers: { 'idempotency-key': 'another' },
    });
    expect(newKey.status).toBe(200);
    expect(newKey.body).toMatchObject({ id: first.body.id, replayed: true });
    const orders = (await t.request('GET', '/v1/orders?limit=500')).body.items.filter(
      (o: { cart_id: string }) => o.cart_id === id,
    );
    expect(orders).toHaveLength(1);
    expect(await reservedTotal(shop.skus[2]!)).toBe(1);
  });

  it('re-prices a cart whose prices changed since the shopper saw them, and tells them', async () => {
    const id = await cartWith(shop.keys.web, [[shop.skus[0]!, 1]]);
    await t.omnia.services.promotions.createPromotion({
      name: '20% off shirts',
      kind: 'item_percent',
      params: { percent: 20 },
      scope: { skus: [shop.skus[0]!] },
    });
    await new Promise((r) => setTimeout(r, 2100)); // the promotions snapshot refreshes every 2 s
    const res = await t.request('POST', `/v1/carts/${id}/checkout`, { token: shop.keys.web, body: home });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('cart_changed');
    expect(res.body.changes[0]).toMatchObject({ sku: shop.skus[0], before: { total: 2995 }, after: { total: 2396 } });
    expect(await reservedTotal(shop.skus[0]!)).toBe(2); // only the earlier order's
    const cart = await t.request('GET', `/v1/carts/${id}`, { token: shop.keys.web });
    expect(cart.body.lines[0].total).toBe(2396);
    const wrongTotal = await t.request('POST', `/v1/carts/${id}/checkout`, {
      token: shop.keys.web,
      body: { ...home, expected_total: 2995 },
    });
    expect(wrongTotal.status).toBe(409);
    const ok = await t.request('POST', `/v1/carts/${id}/checkout`, {
      token: shop.keys.web,
      body: { ...home, expected_total: 2396 + 395 },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.lines[0].applied.length).toBeGreaterThan(0);
  });

  it('refuses a coupon that does not apply and changes nothing', async () => {
    const id = await cartWith(shop.keys.web, [[shop.skus[0]!, 1]]);
    const res = await t.request('POST', `/v1/carts/${id}/coupons`, { token: shop.keys.web, body: { code: 'NOPE' } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('coupon_invalid');
    expect((await t.request('GET', `/v1/carts/${id}`, { token: shop.keys.web })).body.coupons).toEqual([]);
    expect(
      (
        await t.request('POST', `/v1/carts/${id}/items`, {
          token: shop.keys.web,
          body: { sku: 'NO-SUCH-SKU', quantity: 1 },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await t.request('POST', `/v1/carts/${id}/items`, {
          token: shop.keys.web,
          body: { sku: shop.skus[0], quantity: 0 },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await t.request('POST', `/v1/carts/${id}/items`, {
          token: shop.keys.web,
          body: { sku: shop.skus[0], quantity: 2147483647 },
        })
      ).status,
    ).toBe(400);
    expect((await t.request('GET', `/v1/carts/${id}`, { token: shop.keys.web })).body.lines[0].quantity).toBe(1);
  });
});
