/**
 * Returns at the counter over HTTP: a store associate finds a web order (shipped from the warehouse)
 * by the customer's phone, takes units back at their store — resellable ones restocked there,
 * damaged ones booked as damage, another size handed over now — and a retry with the same
 * Idempotency-Key refunds once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { act, drain, HOME, product, receive, setupNetwork, type Net } from '../fulfillment/fixtures.js';

let t: TestApp;
let net: Net;
let order: { id: string; lines: { line_id: string; sku: string }[] };

const onHand = async (sku: string, locationId: string) =>
  ((await t.request('GET', `/v1/inventory/${sku}`)).body.levels as { location_id: string; on_hand: number }[]).find(
    (l) => l.location_id === locationId,
  )?.on_hand ?? 0;

beforeAll(async () => {
  t = await startTestApp();
  net = await setupNetwork(t);
  await t.apiKey('f-pos', ['orders:read'], { type: 'pos' }); // the stores' point-of-sale channel, where counter returns happen
  await product(t, 'TEE', [
    { sku: 'TEE-M', size: 'M', price: 2000 },
    { sku: 'TEE-L', size: 'L', price: 2000 },
  ]);
  await receive(t, 'TEE-M', net.warehouse, 10);
  await receive(t, 'TEE-L', net.sol, 2);
  const who = await t.request('POST', '/v1/identify', {
    body: { identifiers: { email: 'rosa@example.com', phone: '+34 699 11 22 33' } },
  });
  const cart = await t.request('POST', '/v1/carts', { body: { channel: 'f-web', customer_id: who.body.customer_id } });
  await t.request('POST', `/v1/carts/${cart.body.id}/items`, { body: { sku: 'TEE-M', quantity: 3 } });
  const placed = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
    body: {
      delivery: { method: 'home', address: HOME },
      payment: { provider: 'test', card_number: '4242 4242 4242 4242' },
    },
  });
  expect(placed.status).toBe(201);
  order = placed.body;
  await drain(t);
  const [task] = await t.omnia.services.fulfillment.ofOrder(order.id);
  expect(task!.location_id).toBe(net.warehouse.id);
  for (const body of [
    { action: 'accept' },
    { action: 'pick' },
    { action: 'pack' },
    { action: 'ship', tracking: 'T-9' },
  ])
    expect((await act(t, task!.id, body)).status).toBe(200);
  await drain(t);
});
afterAll(() => t?.close());

describe('returns at the counter', () => {
  it('the associate of Sol finds the web order by a national phone number', async () => {
    const r = await t.request('GET', `/v1/orders?query=${encodeURIComponent('699 11 22 33')}`, { token: net.solStaff });
    expect(r.status).toBe(200);
    expect(r.body.items.map((o: { id: string }) => o.id)).toEqual([order.id]);
  });

  it('takes one unit back to resell here, once, however often the till retries', async () => {
    const before = await onHand('TEE-M', net.sol.id);
    const body = {
      order_id: order.id,
      channel: 'f-pos',
      refund: 'original',
      lines: [{ line_id: order.lines[0]!.line_id, quantity: 1, reason: 'too small', condition: 'sellable' }],
    };
    const headers = { 'idempotency-key': 'counter-return-1' };
    const first = await t.request('POST', '/v1/returns', { token: net.solStaff, body, headers });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({
      location_id: net.sol.id,
      refund_method: 'original',
      refund: { amount: 2000 },
      lines: [{ restock: 'restock', restock_location_id: net.sol.id }],
    });
    const again = await t.request('POST', '/v1/returns', { token: net.solStaff, body, headers });
    expect(again.body.id).toBe(first.body.id);
    expect(await onHand('TEE-M', net.sol.id)).toBe(before + 1);
    const returns = await t.request('GET', `/v1/returns?order_id=${order.id}`);
    expect(returns.body.items).toHaveLength(1);
  });

  it('a damaged unit is booked as damage, not stock; another size is handed over now as store credit', async () => {
    const before = await onHand('TEE-M', net.sol.id);
    const lBefore = await onHand('TEE-L', net.sol.id);
    const r = await t.request('POST', '/v1/returns', {
      token: net.solStaff,
      body: {
        order_id: order.id,
        channel: 'f-pos',
        refund: 'store_credit',
        lines: [{ line_id: order.lines[0]!.line_id, quantity: 2, reason: 'torn seam / size', condition: 'damaged' }],
        exchange: [{ for_line_id: order.lines[0]!.line_id, sku: 'TEE-L', quantity: 1 }],
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.lines[0]).toMatchObject({ condition: 'damaged', restock: 'damage' });
    expect(r.body.exchange_reservation_id).not.toBeNull();
    expect(r.body.exchange_fulfillment_id).toBeNull();
    expect(await onHand('TEE-M', net.sol.id)).toBe(before);
    expect(await onHand('TEE-L', net.sol.id)).toBe(lBefore - 1);
  });

  it('the associate of another store cannot read the order by id, only find it', async () => {
    expect((await t.request('GET', `/v1/orders/${order.id}`, { token: net.granStaff })).status).toBe(403);
    const found = await t.request('GET', `/v1/orders?query=${order.id}`, { token: net.granStaff });
    expect(found.body.items).toHaveLength(1);
  });
});
