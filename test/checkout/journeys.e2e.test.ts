import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import { setupShop, GOOD_CARD, HOME_ADDRESS, type Shop } from './fixtures.js';

describe('carts and checkout journeys through HTTP', () => {
  let t: TestApp;
  let shop: Shop;
  const clock = new ManualClock('2026-06-01T09:00:00Z');
  const reservedAt = async (sku: string, locationId: string) =>
    (await t.omnia.services.inventory.stock(sku)).levels.find((l) => l.location_id === locationId)?.reserved ?? 0;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    shop = await setupShop(t);
  });
  afterAll(async () => t?.close());

  it('phone cart → PC checkout: a logged-in customer has one cart on every device and channel', async () => {
    const appChannel = (await t.omnia.services.network.channel('c-app'))!;
    const webChannel = (await t.omnia.services.network.channel('c-web'))!;
    const reg = await t.omnia.services.customers.register({
      email: 'ana@example.com',
      password: 'a long enough password',
      channelId: appChannel.id,
    });
    const phone = reg.token;
    const pc = t.omnia.services.auth.issueCustomerToken(reg.customer_id, webChannel.id).token;

    const created = await t.request('POST', '/v1/carts', { token: phone, body: {} });
    expect(created.status).toBe(201);
    const cartId = created.body.id;
    const added = await t.request('POST', `/v1/carts/${cartId}/items`, {
      token: phone,
      body: { sku: shop.skus[1], quantity: 1 },
    });
    expect(added.status).toBe(200);
    // priced by the promotions engine on every change: 10% off jeans
    expect(added.body.lines[0]).toMatchObject({ sku: shop.skus[1], unit_price: 5995, discount: 600, total: 5395 });
    expect(added.body.lines[0].availability.status).toBe('available');
    await t.request('POST', `/v1/carts/${cartId}/items`, { token: phone, body: { sku: shop.skus[2], quantity: 2 } });

    // On the PC: the same open cart comes back, with what the phone added.
    const onPc = await t.request('POST', '/v1/carts', { token: pc, body: {} });
    expect(onPc.status).toBe(200);
    expect(onPc.body.id).toBe(cartId);
    expect(onPc.body.lines.map((l: { sku: string }) => l.sku).sort()).toEqual([shop.skus[1], shop.skus[2]].sort());

    const options = await t.request('GET', `/v1/carts/${cartId}/delivery-options?country=ES`, { token: pc });
    expect(options.status).toBe(200);
    const kinds = options.body.options.map((o: { id: string }) => o.id);
    expect(kinds).toContain('home');
    expect(kinds).toContain(`click_collect:${shop.store.id}`);
    expect(kinds).toContain(`pickup_point:${shop.point.id}`);
    expect(kinds).not.toContain(`click_collect:${shop.otherStore.id}`);
    const home = options.body.options.find((o: { id: string }) => o.id === 'home');
    expect(home.price.amount).toBe(0); // 53.95 + 2 × 9.95 passes the 50 € free-shipping threshold
    expect(home.source_location_ids).toEqual([shop.warehouse.id]);
    expect(home.promised_date).toBe('2026-06-03');
    const cc = options.body.options.find((o: { id: string }) => o.id === `click_collect:${shop.store.id}`);
    expect(cc).toMatchObject({ ready: 'now', promised_date: '2026-06-01', price: { amount: 0 } });

    const res = await t.request('POST', `/v1/carts/${cartId}/checkout`, {
      token: pc,
      body: {
        delivery: { method: 'home', address: HOME_ADDRESS },
        payment: { provider: 'test', card_number: GOOD_CARD },
      },
    });
    expect(res.status).toBe(201);
    const order = res.body;
    expect(order).toMatchObject({
      status: 'placed',
      customer_id: reg.customer_id,
      channel_id: webChannel.id,
      channel_type: 'web',
      cart_id: cartId,
      email: 'ana@example.com',
    });
    expect(order.total).toEqual({ amount: 5395 + 2 * 995, currency: 'EUR' });
    expect(order.delivery).toMatchObject({
      method: 'home',
      promised_date: '2026-06-03',
      source_location_id: shop.warehouse.id,
    });
    expect(order.payment).toMatchObject({
      provider: 'test',
      status: 'authorized',
      amount: { amount: order.total.amount },
    });
    expect(order.lines.every((l: { location_id: string }) => l.location_id === shop.warehouse.id)).toBe(true);
    expect(await reservedAt(shop.skus[1]!, shop.warehouse.id)).toBe(1);

    await t.omnia.dispatcher.drain();
    const seen = await t.request('GET', `/v1/orders/${order.id}`, { token: phone });
    expect(seen.body.status).toBe('confirmed');
    const mine = await t.request('GET', '/v1/orders', { token: phone });
    expect(mine.body.items.map((o: { id: string }) => o.id)).toEqual([order.id]);
    // the customer 360 lists it
    const c360 = await t.omnia.services.customers.get(reg.customer_id);
    expect(c360.recent_orders.map((o) => o.order_id)).toContain(order.id);
    // the cart is done: a new cart starts empty
    const fresh = await t.request('POST', '/v1/carts', { token: pc, body: {} });
    expect(fresh.status).toBe(201);
    expect(fresh.body.lines).toEqual([]);
  });

  it('anonymous → login: the anonymous cart merges into the account cart', async () => {
    const web = (await t.omnia.services.network.channel('c-web'))!;
    const reg = await t.omnia.services.customers.register({
      email: 'bea@example.com',
      password: 'a long enough password',
      channelId: web.id,
    });
    const account = await t.request('POST', '/v1/carts', { token: reg.token, body: {} });
    await t.request('POST', `/v1/carts/${account.body.id}/items`, {
      token: reg.token,
      body: { sku: shop.skus[0], quantity: 1 },
    });

    const anon = await t.request('POST', '/v1/carts', { token: shop.keys.web, body: {} });
    expect(anon.body.customer_id).toBeNull();
    await t.request('POST', `/v1/carts/${anon.body.id}/items`, {
      token: shop.keys.web,
      body: { sku: shop.skus[0], quantity: 2 },
    });
    await t.request('POST', `/v1/carts/${anon.body.id}/items`, {
      token: shop.keys.web,
      body: { sku: shop.skus[2], quantity: 1 },
    });

    const merged = await t.request('POST', `/v1/carts/${anon.body.id}/merge`, { token: reg.token, body: {} });
    expect(merged.status).toBe(200);
    expect(merged.body.id).toBe(account.body.id);
    const qty = Object.fromEntries(
      merged.body.lines.map((l: { sku: string; quantity: number }) => [l.sku, l.quantity]),
    );
    expect(qty).toEqual({ [shop.skus[0]!]: 3, [shop.skus[2]!]: 1 });
    expect(merged.body.totals.total).toBe(3 * 2995 + 995);
    const old = await t.request('GET', `/v1/carts/${anon.body.id}`, { token: shop.keys.web });
    expect(old.body).toMatchObject({ status: 'merged', merged_into: account.body.id });
    // merging again answers the account cart; adding to the merged cart is refused
    expect(
      (
        await t.request('POST', `/v1/carts/${anon.body.id}/items`, {
          token: shop.keys.web,
          body: { sku: shop.skus[0], quantity: 1 },
        })
      ).status,
    ).toBe(409);
  });

  it('a store associate claims a web cart and sells it with home delivery from the warehouse', async () => {
    const web = await t.request('POST', '/v1/carts', { token: shop.keys.web, body: {} });
    const cartId = web.body.id;
    await t.request('POST', `/v1/carts/${cartId}/items`, {
      token: shop.keys.web,
      body: { sku: shop.skus[0], quantity: 1 },
    });
    const h = await t.request('POST', `/v1/carts/${cartId}/handoff`, { token: shop.keys.web });
    expect(h.status).toBe(201);
    expect(h.body.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(h.body.qr_payload).toContain(h.body.code);
    expect(h.body.expires_at).toBe('2026-06-01T09:15:00.000Z');

    const claimed = await t.request('POST', '/v1/carts/claim', {
      token: shop.keys.pos,
      body: { code: h.body.code.toLowerCase() },
    });
    expect(claimed.status).toBe(200);
    expect(claimed.body.id).toBe(cartId);
    const pos = (await t.omnia.services.network.channel('c-pos'))!;
    expect(claimed.body).toMatchObject({ channel_id: pos.id, location_id: shop.store.id });
    expect(claimed.body.lines[0]).toMatchObject({ sku: shop.skus[0], quantity: 1 });
    // the cart now belongs to the till's channel: the web channel's key no longer reaches it (policy: 404)
    expect((await t.request('GET', `/v1/carts/${cartId}`, { token: shop.keys.web })).status).toBe(404);
    expect((await t.request('GET', `/v1/carts/${cartId}`, { token: shop.keys.pos })).body.channel_id).toBe(pos.id);
    // single claim
    const again = await t.request('POST', '/v1/carts/claim', { token: shop.keys.pos, body: { code: h.body.code } });
    expect(again.status).toBe(409);

    const options = await t.request('GET', `/v1/carts/${cartId}/delivery-options`, { token: shop.keys.pos });
    expect(options.body.options.map((o: { kind: string }) => o.kind)).toContain('endless_aisle');
    const sold = await t.request('POST', `/v1/carts/${cartId}/checkout`, {
      token: shop.keys.pos,
      body: {
        delivery: { method: 'home', address: HOME_ADDRESS },
        payment: { provider: 'manual' },
        email: 'walkin@example.com',
      },
    });
    expect(sold.status).toBe(201);
    expect(sold.body).toMatchObject({
      channel_type: 'pos',
      location_id: shop.store.id,
      delivery: { method: 'home', source_location_id: shop.warehouse.id },
    });
    expect(sold.body.shipping).toEqual({ amount: 395, discount: 0, currency: 'EUR' }); // 400 g to Spain, under the 50 € free-shipping threshold
    expect(sold.body.total.amount).toBe(2995 + 395);
    expect(sold.body.lines[0].location_id).toBe(shop.warehouse.id);
    expect(sold.body.payment).toMatchObject({ provider: 'manual', status: 'authorized' });
  });

  it('an expired hand-off code is refused', async () => {
    const web = await t.request('POST', '/v1/carts', { token: shop.keys.web, body: {} });
    const h = await t.request('POST', `/v1/carts/${web.body.id}/handoff`, { token: shop.keys.web });
    clock.advance(16 * 60_000);
    const late = await t.request('POST', '/v1/carts/claim', { token: shop.keys.pos, body: { code: h.body.code } });
    expect(late.status).toBe(410);
    expect(late.body.code).toBe('handoff_expired');
    expect(
      (await t.request('POST', '/v1/carts/claim', { token: shop.keys.pos, body: { code: 'ZZZZ-ZZZZ' } })).status,
    ).toBe(404);
    expect((await t.request('POST', '/v1/carts/claim', { token: shop.keys.pos, body: { code: '0O1I' } })).status).toBe(
      400,
    );
  });

  it('cancelling an order releases its stock and voids its payment', async () => {
    const cart = await t.request('POST', '/v1/carts', { token: shop.keys.phone, body: {} });
    await t.request('POST', `/v1/carts/${cart.body.id}/items`, {
      token: shop.keys.phone,
      body: { sku: shop.skus[2], quantity: 3 },
    });
    const before = await reservedAt(shop.skus[2]!, shop.store.id);
    const order = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
      token: shop.keys.phone,
      body: {
        delivery: { method: 'click_collect', location_id: shop.store.id },
        payment: { provider: 'test', card_number: GOOD_CARD },
        email: 'x@example.com',
      },
    });
    expect(order.status).toBe(201);
    expect(order.body.delivery).toMatchObject({ method: 'click_collect', location_id: shop.store.id });
    expect(await reservedAt(shop.skus[2]!, shop.store.id)).toBe(before + 3);
    const cancelled = await t.request('POST', `/v1/orders/${order.body.id}/cancel`, {
      token: shop.keys.phone,
      body: { reason: 'changed my mind' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.payment.status).toBe('voided');
    expect(await reservedAt(shop.skus[2]!, shop.store.id)).toBe(before);
    const twice = await t.request('POST', `/v1/orders/${order.body.id}/cancel`, { token: shop.keys.phone, body: {} });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('invalid_transition');
  });
});
