/**
 * GET /v1/orders?query= — the counter's order search: by order number, e-mail or a phone typed in
 * the store's national format; a store associate finds a web order (any channel, any store), which
 * their plain order list never shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { drain, HOME, product, receive, setupNetwork, type Net } from '../fulfillment/fixtures.js';

let t: TestApp;
let net: Net;
let webOrder: string;
let phoneOrder: string;
let customerId: string;

beforeAll(async () => {
  t = await startTestApp();
  net = await setupNetwork(t);
  await product(t, 'SRCH', [{ sku: 'SRCH-M', size: 'M', price: 2000 }]);
  await receive(t, 'SRCH-M', net.warehouse, 10);
  // An anonymous web order with an e-mail typed in capitals.
  const cart = await t.request('POST', '/v1/carts', { token: net.web, body: {} });
  await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token: net.web, body: { sku: 'SRCH-M', quantity: 1 } });
  const o1 = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
    token: net.web,
    body: {
      delivery: { method: 'home', address: HOME },
      email: 'Lola.Search@Example.com',
      payment: { provider: 'test', card_number: '4242 4242 4242 4242' },
    },
  });
  expect(o1.status).toBe(201);
  webOrder = o1.body.id;
  // A known customer (e-mail and phone) ordering through the web channel, placed by an agent.
  const who = await t.request('POST', '/v1/identify', {
    body: { identifiers: { email: 'pepa@example.com', phone: '+34 612 34 56 78' } },
  });
  expect(who.status).toBe(200);
  customerId = who.body.customer_id;
  const c2 = await t.request('POST', '/v1/carts', { body: { channel: 'f-web', customer_id: customerId } });
  expect(c2.status).toBe(201);
  await t.request('POST', `/v1/carts/${c2.body.id}/items`, { body: { sku: 'SRCH-M', quantity: 1 } });
  const o2 = await t.request('POST', `/v1/carts/${c2.body.id}/checkout`, {
    body: {
      delivery: { method: 'home', address: HOME },
      payment: { provider: 'test', card_number: '4242 4242 4242 4242' },
    },
  });
  expect(o2.status).toBe(201);
  phoneOrder = o2.body.id;
  await drain(t);
});
afterAll(() => t?.close());

const search = (q: string, token?: string) =>
  t.request('GET', `/v1/orders?query=${encodeURIComponent(q)}`, token ? { token } : {});

describe('order search at the counter', () => {
  it('finds an order by its number, in any case', async () => {
    const r = await search(webOrder.toLowerCase(), net.solStaff);
    expect(r.status).toBe(200);
    expect(r.body.items.map((o: { id: string }) => o.id)).toEqual([webOrder]);
  });

  it('finds a web order by e-mail whatever the case, for an associate of any store', async () => {
    const r = await search('lola.search@EXAMPLE.com', net.granStaff);
    expect(r.status).toBe(200);
    expect(r.body.items.map((o: { id: string }) => o.id)).toEqual([webOrder]);
    // The associate's plain list is their store's orders: the web order is not in it.
    const list = await t.request('GET', '/v1/orders', { token: net.granStaff });
    expect(list.status).toBe(200);
    expect(list.body.items.map((o: { id: string }) => o.id)).not.toContain(webOrder);
  });

  it('finds a customer’s orders by a phone typed in national form in a Spanish store', async () => {
    for (const q of ['612 34 56 78', '+34612345678', '0034 612-345-678']) {
      const r = await search(q, net.solStaff);
      expect(r.status, q).toBe(200);
      expect(r.body.items.map((o: { id: string }) => o.id)).toEqual([phoneOrder]);
      expect(r.body.items[0].customer_id).toBe(customerId);
    }
    // and by the customer's profile e-mail (the order itself carries it too)
    const byMail = await search('PEPA@example.com', net.solStaff);
    expect(byMail.body.items.map((o: { id: string }) => o.id)).toEqual([phoneOrder]);
  });

  it('an unknown phone or e-mail finds nothing; a national number without a store country is refused', async () => {
    expect((await search('699 99 99 99', net.solStaff)).body.items).toEqual([]);
    expect((await search('nobody@example.com', net.solStaff)).body.items).toEqual([]);
    const admin = await search('612 34 56 78');
    expect(admin.status).toBe(400);
    expect(admin.body.type).toMatch(/validation_failed/);
    expect(admin.body.errors[0].field).toMatch(/query/);
    expect((await search('+34612345678')).body.items.map((o: { id: string }) => o.id)).toEqual([phoneOrder]);
  });

  it('refuses a query that is not an order number, e-mail or phone', async () => {
    const r = await search('red shoes', net.solStaff);
    expect(r.status).toBe(400);
    expect(r.body.errors[0].field).toMatch(/query/);
  });

  it('a key of another channel finds nothing of this one; the web key finds its own', async () => {
    const other = await t.apiKey('f-other', ['orders:read']);
    expect((await search(webOrder, other)).body.items).toEqual([]);
    expect((await search(webOrder, net.web)).body.items.map((o: { id: string }) => o.id)).toEqual([webOrder]);
  });

  it('pages newest first with a cursor', async () => {
    const first = await t.request('GET', `/v1/orders?query=${encodeURIComponent('+34612345678')}&limit=1`);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.next_cursor).toBeNull();
  });
});
