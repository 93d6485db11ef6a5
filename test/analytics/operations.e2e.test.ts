import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { setupShop, GOOD_CARD, HOME_ADDRESS, type Shop } from '../checkout/fixtures.js';
import { drain } from '../fulfillment/fixtures.js';
import { ManualClock } from '../../src/platform/clock.js';

/**
 * The dashboard's figures (GET /v1/analytics/operations) aggregated in the database, checked against
 * the orders and tasks read one by one through the API: nothing capped, cancelled orders left out,
 * and the tasks past their SLA once the clock passes it.
 */
describe('GET /v1/analytics/operations', () => {
  let t: TestApp;
  let shop: Shop;
  const clock = new ManualClock(new Date('2026-06-10T09:00:00Z'));
  const orders: { id: string; total: number; channel: string }[] = [];

  async function order(key: string, delivery: unknown, payment: unknown, quantity = 1) {
    const cart = await t.request('POST', '/v1/carts', { token: key, body: {} });
    await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token: key, body: { sku: shop.skus[2], quantity } });
    const res = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
      token: key,
      body: { delivery, payment },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    orders.push({ id: res.body.id, total: res.body.total.amount, channel: res.body.channel_type });
    return res.body.id as string;
  }

  beforeAll(async () => {
    t = await startTestApp({ clock });
    shop = await setupShop(t, { prefix: 'op' });
    const card = { provider: 'test', card_number: GOOD_CARD };
    await order(shop.keys.web, { method: 'home', address: HOME_ADDRESS }, card, 2);
    await order(shop.keys.web, { method: 'click_collect', location_id: shop.store.id }, card);
    await order(shop.keys.pos, { method: 'home', address: HOME_ADDRESS }, { provider: 'manual' }, 3);
    const cancelled = await order(shop.keys.app, { method: 'home', address: HOME_ADDRESS }, card);
    expect((await t.request('POST', `/v1/orders/${cancelled}/cancel`, { body: {} })).status).toBe(200);
    await drain(t);
  });
  afterAll(async () => t?.close());

  it('counts today’s live orders, revenue and units by channel, and the click & collect ones', async () => {
    const r = await t.request('GET', '/v1/analytics/operations');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.from).toBe('2026-06-10T00:00:00.000Z');
    const web = r.body.by_channel.find((c: { channel_type: string }) => c.channel_type === 'web');
    const pos = r.body.by_channel.find((c: { channel_type: string }) => c.channel_type === 'pos');
    expect(web).toMatchObject({ orders: 2, units: 3, click_collect: 1, currency: 'EUR' });
    expect(web.revenue).toBe(orders.filter((o) => o.channel === 'web').reduce((s, o) => s + o.total, 0));
    expect(pos).toMatchObject({ orders: 1, units: 3, click_collect: 0, revenue: orders[2]!.total });
    expect(r.body.by_channel.some((c: { channel_type: string }) => c.channel_type === 'app')).toBe(false); // cancelled
  });

  it('counts home deliveries and those a store ships, as the task list has them', async () => {
    const tasks = (await t.request('GET', '/v1/fulfillments?limit=100')).body.items as {
      method: string;
      location_id: string;
      status: string;
    }[];
    const home = tasks.filter((x) => x.method === 'home' && !['cancelled', 'rejected'].includes(x.status));
    const stores = new Set([shop.store.id, shop.otherStore.id]);
    const r = await t.request('GET', '/v1/analytics/operations');
    expect(home.length).toBeGreaterThan(0);
    expect(r.body.home_tasks).toBe(home.length);
    expect(r.body.ship_from_store_tasks).toBe(home.filter((x) => stores.has(x.location_id)).length);
    expect(r.body.late).toEqual([]);
  });

  it('lists the open tasks past their SLA once the clock passes it, and refuses a bad window', async () => {
    clock.set(new Date('2026-06-13T09:00:00Z'));
    // Three days on, the admin's session has expired: sign in again.
    const login = await t.request('POST', '/v1/auth/staff/login', {
      token: '',
      body: { email: 'admin@test.omnia', password: 'correct horse battery' },
    });
    const token = login.body.token as string;
    const get = (p: string) => t.request('GET', p, { token });
    const r = await get('/v1/analytics/operations?from=2026-06-10T00:00:00Z&to=2026-06-11T00:00:00Z');
    expect(r.status).toBe(200);
    const late = (r.body.late as { late: number }[]).reduce((s, x) => s + x.late, 0);
    const open = ((await get('/v1/fulfillments?limit=100')).body.items as { status: string }[]).filter((x) =>
      ['pending', 'accepted', 'picked', 'packed'].includes(x.status),
    );
    expect(late).toBe(open.length);
    expect(late).toBeGreaterThan(0);
    const back = await get('/v1/analytics/operations?from=2026-06-11T00:00:00Z&to=2026-06-10T00:00:00Z');
    expect(back.status).toBe(400);
    expect(back.body.errors[0].field).toBe('to');
    const long = await get('/v1/analytics/operations?from=2026-01-01T00:00:00Z&to=2026-06-10T00:00:00Z');
    expect(long.status).toBe(400);
  });
});
