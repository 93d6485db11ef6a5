/** Pickup points, uncollected orders going back to stock, cancellation, and location-bound queues. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import {
  act,
  drain,
  HOME,
  pickupCodeMailed,
  placeOrder,
  product,
  receive,
  setupNetwork,
  type Net,
} from './fixtures.js';

describe('pickup points and uncollected orders', () => {
  let t: TestApp;
  let net: Net;
  const clock = new ManualClock('2026-06-01T09:00:00Z');
  const level = async (sku: string, loc: string) =>
    (await t.omnia.services.inventory.stock(sku)).levels.find((l) => l.location_id === loc) ?? {
      on_hand: 0,
      reserved: 0,
    };
  const tasks = async (orderId: string) => t.omnia.services.fulfillment.ofOrder(orderId);

  beforeAll(async () => {
    t = await startTestApp({ clock });
    net = await setupNetwork(t);
    await product(t, 'bag', [{ sku: 'BAG', price: 3000 }]);
    await receive(t, 'BAG', net.warehouse, 10);
    await receive(t, 'BAG', net.gran, 5);
  });
  afterAll(async () => t?.close());

  it('a pickup point receives the shipment, makes it ready and hands it over with the code', async () => {
    const order = await placeOrder(t, net, [['BAG', 1]], { method: 'pickup_point', location_id: net.point.id });
    const [f] = await tasks(order.id);
    expect(f).toMatchObject({ method: 'pickup_point', destination_location_id: net.point.id });
    for (const action of ['accept', 'pick', 'pack', 'ship']) expect((await act(t, f!.id, { action })).status).toBe(200);
    // the source cannot declare it ready at the point; the point can
    const sourceToken = f!.location_id === net.gran.id ? net.granStaff : undefined;
    if (sourceToken) expect((await act(t, f!.id, { action: 'ready' }, sourceToken)).status).toBe(403);
    const pointQueue = await t.request('GET', '/v1/fulfillments', { token: net.pointStaff });
    expect(pointQueue.body.items.map((x: { id: string }) => x.id)).toContain(f!.id);
    expect((await act(t, f!.id, { action: 'ready' }, net.pointStaff)).body.status).toBe('ready_for_pickup');
    const code = await pickupCodeMailed(t, f!.id);
    expect(code).toMatch(/^\d{6}$/);
    expect((await act(t, f!.id, { action: 'handover', pickup_code: code }, net.pointStaff)).body.status).toBe(
      'handed_over',
    );
    expect((await t.omnia.services.orders.get(order.id)).status).toBe('fulfilled');
  });

  it('an order collected in store but never picked up goes back to stock after the collection window', async () => {
    const order = await placeOrder(t, net, [['BAG', 1]], { method: 'click_collect', location_id: net.gran.id });
    const [f] = await tasks(order.id);
    expect(f).toMatchObject({ location_id: net.gran.id, destination_location_id: null });
    for (const action of ['accept', 'pick', 'pack', 'ready'])
      expect((await act(t, f!.id, { action }, net.granStaff)).status).toBe(200);
    const onHand = (await level('BAG', net.gran.id)).on_hand;
    expect(await t.omnia.services.fulfillment.expireUncollected()).toBe(0);
    clock.advance(8 * 86_400_000);
    expect(await t.omnia.services.fulfillment.expireUncollected()).toBe(1);
    expect((await t.omnia.services.fulfillment.get(f!.id)).status).toBe('returned_to_stock');
    expect((await level('BAG', net.gran.id)).on_hand).toBe(onHand + 1);
    clock.advance(-8 * 86_400_000);
  });

  it('picking more than reserved is refused; a short pick sells what was found and sources the rest elsewhere', async () => {
    const order = await placeOrder(t, net, [['BAG', 2]], { method: 'home', address: HOME });
    const [f] = await tasks(order.id);
    expect(f!.lines[0]!.quantity).toBe(2);
    await act(t, f!.id, { action: 'accept' });
    const before = await level('BAG', f!.location_id);
    const tooMany = await act(t, f!.id, { action: 'pick', lines: [{ sku: 'BAG', quantity: 3 }] });
    expect(tooMany.status).toBe(400);
    expect(await level('BAG', f!.location_id)).toMatchObject({ on_hand: before.on_hand, reserved: before.reserved });
    const picked = await act(t, f!.id, { action: 'pick', lines: [{ sku: 'BAG', quantity: 1 }] });
    expect(picked.status).toBe(200);
    expect(picked.body.lines[0].quantity).toBe(1);
    expect(await level('BAG', f!.location_id)).toMatchObject({
      on_hand: before.on_hand - 1,
      reserved: before.reserved - 2,
    });
    const rest = (await tasks(order.id)).find((x) => x.id !== f!.id)!;
    expect(rest).toMatchObject({ status: 'pending', lines: [{ sku: 'BAG', quantity: 1 }] });
    expect(rest.location_id).not.toBe(f!.location_id);
    expect((await t.omnia.services.fulfillment.decisions(order.id)).map((d) => d.trigger)).toEqual([
      'order_placed',
      'short_pick',
    ]);
  });

  it('cancelling an order releases its open tasks’ stock', async () => {
    const order = await placeOrder(t, net, [['BAG', 2]], { method: 'home', address: HOME });
    const fs = await tasks(order.id);
    const reservedBefore = await Promise.all(fs.map(async (f) => (await level('BAG', f.location_id)).reserved));
    await t.omnia.services.fulfillment.onOrderCancelled(order.id);
    const after = await tasks(order.id);
    expect(after.every((f) => f.status === 'cancelled')).toBe(true);
    for (const [i, f] of fs.entries())
      expect((await level('BAG', f.location_id)).reserved).toBe(reservedBefore[i]! - f.lines[0]!.quantity);
  });

  it('cancelling through orders: the task shares the checkout’s reservation, both end released', async () => {
    await product(t, 'belt', [{ sku: 'BELT', price: 2000 }]);
    await receive(t, 'BELT', net.warehouse, 3); // one place to hold it: checkout and sourcing agree
    const order = await placeOrder(t, net, [['BELT', 1]], { method: 'home', address: HOME });
    const [f] = await tasks(order.id);
    expect(f!.reservation_id).toBe((await t.omnia.services.orders.get(order.id)).reservation_id);
    const reserved = (await level('BELT', f!.location_id)).reserved;
    const res = await t.request('POST', `/v1/orders/${order.id}/cancel`, { body: {} });
    expect(res.status).toBe(200);
    await drain(t);
    expect((await t.omnia.services.fulfillment.get(f!.id)).status).toBe('cancelled');
    expect((await level('BELT', f!.location_id)).reserved).toBe(reserved - 1);
  });

  it('a location-bound associate sees and acts only on its own queue', async () => {
    const order = await placeOrder(t, net, [['BAG', 1]], { method: 'home', address: HOME });
    const [f] = await tasks(order.id);
    const foreign = f!.location_id === net.sol.id ? net.granStaff : net.solStaff;
    const denied = await t.request('GET', `/v1/fulfillments?location_id=${f!.location_id}`, { token: foreign });
    expect(denied.status).toBe(403);
    expect((await act(t, f!.id, { action: 'accept' }, foreign)).status).toBe(403);
    expect((await t.omnia.services.fulfillment.get(f!.id)).status).toBe('pending');
    const bad = await t.request('POST', `/v1/fulfillments/${f!.id}/actions`, { body: { action: 'teleport' } });
    expect(bad.status).toBe(400);
  });
});
