/**
 * Issue 14 point 4, an exchange handed over now or shipped: at the counter the associate chooses
 * `exchange_delivery` — `ship` sends the new size home from wherever has it even when the store has it
 * (its stock untouched), `now` hands it over and is refused when the store lacks it (nothing written).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  act,
  HOME,
  placeOrder,
  product,
  readyForPickupAtGran,
  receive,
  setupNetwork,
  type Net,
} from '../fulfillment/fixtures.js';

describe('counter exchange: now or shipped', () => {
  let t: TestApp;
  let net: Net;
  const level = async (sku: string, loc: string) =>
    (await t.omnia.services.inventory.stock(sku)).levels.find((l) => l.location_id === loc) ?? {
      on_hand: 0,
      reserved: 0,
    };
  /** A home order of one TEE-M, shipped, and its line. */
  const shipped = async (delivery: Record<string, unknown> = { method: 'home', address: HOME }) => {
    const order = await placeOrder(t, net, [['TEE-M', 1]], delivery);
    const [f] = await t.omnia.services.fulfillment.ofOrder(order.id);
    for (const action of ['accept', 'pick', 'pack']) expect((await act(t, f!.id, { action })).status).toBe(200);
    expect((await act(t, f!.id, { action: 'ship', tracking: 'T' })).status).toBe(200);
    return { order, line: (await t.omnia.services.orders.get(order.id)).lines[0]! };
  };
  const exchangeAt = (token: string, orderId: string, lineId: string, delivery?: string) =>
    t.request('POST', '/v1/returns', {
      token,
      body: {
        order_id: orderId,
        channel: 'f-web',
        lines: [{ line_id: lineId, quantity: 1, reason: 'wrong size' }],
        refund: 'original',
        exchange: [{ for_line_id: lineId, sku: 'TEE-L', quantity: 1 }],
        ...(delivery ? { exchange_delivery: delivery } : {}),
      },
    });

  beforeAll(async () => {
    t = await startTestApp();
    net = await setupNetwork(t);
    await product(t, 'tee', [
      { sku: 'TEE-M', size: 'M', price: 2000 },
      { sku: 'TEE-L', size: 'L', price: 2000 },
    ]);
    await receive(t, 'TEE-M', net.warehouse, 20);
    await receive(t, 'TEE-L', net.sol, 2);
    await receive(t, 'TEE-L', net.warehouse, 5);
    await product(t, 'scarf', [
      { sku: 'SCARF', size: 'S', price: 1500 },
      { sku: 'SCARF-L', size: 'L', price: 1500 },
    ]);
    await receive(t, 'SCARF', net.gran, 3);
    await receive(t, 'SCARF-L', net.warehouse, 3);
  });
  afterAll(async () => t?.close());

  it("'ship' creates a home delivery even though the store has the size; the store's stock is untouched", async () => {
    const { order, line } = await shipped();
    const before = await level('TEE-L', net.sol.id);
    const ret = await exchangeAt(net.solStaff, order.id, line.line_id, 'ship');
    expect(ret.status, JSON.stringify(ret.body)).toBe(201);
    expect(ret.body.exchange_reservation_id).toBeNull();
    const x = await t.omnia.services.fulfillment.get(ret.body.exchange_fulfillment_id);
    expect(x).toMatchObject({
      order_id: order.id,
      method: 'home',
      status: 'pending',
      lines: [{ sku: 'TEE-L', quantity: 1 }],
    });
    expect((await level('TEE-L', net.sol.id)).on_hand).toBe(before.on_hand);
  });

  it("'now' hands it over at the counter (a sale there)", async () => {
    const { order, line } = await shipped();
    const before = await level('TEE-L', net.sol.id);
    const ret = await exchangeAt(net.solStaff, order.id, line.line_id, 'now');
    expect(ret.status, JSON.stringify(ret.body)).toBe(201);
    expect(ret.body.exchange_reservation_id).toBeTruthy();
    expect(ret.body.exchange_fulfillment_id).toBeNull();
    expect((await level('TEE-L', net.sol.id)).on_hand).toBe(before.on_hand - 1);
  });

  it("'now' where the store lacks the size is refused and writes nothing", async () => {
    const { order, line } = await shipped();
    const ret = await exchangeAt(net.granStaff, order.id, line.line_id, 'now');
    expect(ret.status).toBe(422);
    expect((await t.request('GET', `/v1/returns?order_id=${order.id}`)).body.items).toHaveLength(0);
  });

  it("'ship' of a collected order (no home address) is a 400 on exchange_delivery; a bad value is a 400", async () => {
    const ready = await readyForPickupAtGran(t, net);
    expect((await act(t, ready.id, { action: 'handover', pickup_code: ready.code }, net.granStaff)).status).toBe(200);
    const order = await t.omnia.services.orders.get((await t.omnia.services.fulfillment.get(ready.id)).order_id);
    const line = order.lines[0]!;
    const body = (delivery: string) => ({
      order_id: order.id,
      channel: 'f-web',
      lines: [{ line_id: line.line_id, quantity: 1, reason: 'wrong size' }],
      refund: 'original',
      exchange: [{ for_line_id: line.line_id, sku: 'SCARF-L', quantity: 1 }],
      exchange_delivery: delivery,
    });
    const ret = await t.request('POST', '/v1/returns', { token: net.granStaff, body: body('ship') });
    expect(ret.status, JSON.stringify(ret.body)).toBe(400);
    expect(JSON.stringify(ret.body)).toContain('exchange_delivery');
    expect((await t.request('POST', '/v1/returns', { token: net.granStaff, body: body('tomorrow') })).status).toBe(400);
    expect((await t.request('GET', `/v1/returns?order_id=${order.id}`)).body.items).toHaveLength(0);
  });
});
