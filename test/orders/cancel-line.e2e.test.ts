/**
 * Issue 14 point 8, cancel a line for the customer: only units no store has picked, their stock
 * released, the totals and the payment following (captured without them, or refunded after commit);
 * the last live units cancel the order. Over HTTP as the contact-center agent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { act, drain, HOME, placeOrder, product, receive, setupNetwork, type Net } from '../fulfillment/fixtures.js';

describe('cancel an order line', () => {
  let t: TestApp;
  let net: Net;
  let agent: string;
  const s = () => t.omnia.services;
  const reservedAt = async (sku: string, locationId: string) =>
    (await s().inventory.stock(sku)).levels.find((l) => l.location_id === locationId)?.reserved ?? 0;
  const cancelLine = (orderId: string, lineId: string, body: unknown, token = agent) =>
    t.request('POST', `/v1/orders/${orderId}/lines/${lineId}/cancel`, { token, body });
  const twoLines = () =>
    placeOrder(
      t,
      net,
      [
        ['SHIRT', 2],
        ['BELT', 1],
      ],
      { method: 'home', address: HOME },
    );

  beforeAll(async () => {
    t = await startTestApp();
    net = await setupNetwork(t);
    await product(t, 'shirt', [{ sku: 'SHIRT', price: 2500 }]);
    await product(t, 'belt', [{ sku: 'BELT', price: 1500 }]);
    await receive(t, 'SHIRT', net.warehouse, 50);
    await receive(t, 'BELT', net.warehouse, 50);
    await s().auth.createStaff({ email: 'agent@test.omnia', password: 'correct horse battery', role: 'agent' });
    agent = (await s().auth.loginStaff('agent@test.omnia', 'correct horse battery')).token;
  });
  afterAll(async () => t?.close());

  it('cancels one unit not yet picked: stock released, totals shrink, the capture leaves it out', async () => {
    const order = await twoLines();
    const shirt = order.lines.find((l) => l.sku === 'SHIRT')!;
    const reservedBefore = await reservedAt('SHIRT', net.warehouse.id);
    const res = await cancelLine(order.id, shirt.line_id, { quantity: 1, reason: 'wrong size' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('confirmed');
    expect(res.body.total.amount).toBe(order.total.amount - 2500);
    expect(res.body.lines.find((l: { line_id: string }) => l.line_id === shirt.line_id)).toMatchObject({
      quantity: 1,
      total: 2500,
    });
    expect(await reservedAt('SHIRT', net.warehouse.id)).toBe(reservedBefore - 1);
    const [task] = await s().fulfillment.ofOrder(order.id);
    expect(task!.lines.find((l) => l.line_id === shirt.line_id)!.quantity).toBe(1);
    const reservation = await s().inventory.getReservation(task!.reservation_id!);
    expect(reservation.status).toBe('active');
    expect(reservation.lines.find((l) => l.sku === 'SHIRT')!.quantity).toBe(1);
    await drain(t);
    const events = await t.database.db
      .selectFrom('outbox')
      .select('payload')
      .where('type', '=', 'order.line_cancelled')
      .where('aggregate_id', '=', order.id)
      .execute();
    expect(events).toHaveLength(1);

    // Shipping captures the reduced total, not the authorised amount.
    for (const action of ['accept', 'pick', 'pack']) expect((await act(t, task!.id, { action })).status).toBe(200);
    expect((await act(t, task!.id, { action: 'ship', tracking: 'T-1' })).status).toBe(200);
    const after = await t.request('GET', `/v1/orders/${order.id}`, { token: agent });
    expect(after.body.payment).toMatchObject({ status: 'captured', captured_amount: order.total.amount - 2500 });
    expect(after.body.status).toBe('fulfilled');
  });

  it('refuses units already picked (409) and writes nothing', async () => {
    const order = await twoLines();
    const shirt = order.lines.find((l) => l.sku === 'SHIRT')!;
    const [task] = await s().fulfillment.ofOrder(order.id);
    for (const action of ['accept', 'pick']) expect((await act(t, task!.id, { action })).status).toBe(200);
    const res = await cancelLine(order.id, shirt.line_id, { reason: 'too late' });
    expect(res.status).toBe(409);
    const same = await s().orders.get(order.id);
    expect(same.total.amount).toBe(order.total.amount);
    expect(same.lines.find((l) => l.line_id === shirt.line_id)!.quantity).toBe(2);
    expect((await s().fulfillment.get(task!.id)).status).toBe('picked');
  });

  it('a captured payment is refunded the cancelled share after commit', async () => {
    const order = await twoLines();
    const belt = order.lines.find((l) => l.sku === 'BELT')!;
    await s().orders.capturePayment(order.id);
    const res = await cancelLine(order.id, belt.line_id, { reason: 'changed mind' });
    expect(res.status).toBe(200);
    expect(res.body.lines.find((l: { line_id: string }) => l.line_id === belt.line_id).quantity).toBe(0);
    expect(res.body.payment).toMatchObject({ status: 'partially_refunded', refunded_amount: 1500 });
    const [task] = await s().fulfillment.ofOrder(order.id);
    expect(task!.lines.map((l) => l.sku)).toEqual(['SHIRT']);
  });

  it('the last live units cancel the order: its task cancelled, the authorisation voided', async () => {
    const order = await placeOrder(t, net, [['BELT', 1]], { method: 'home', address: HOME });
    const reservedBefore = await reservedAt('BELT', net.warehouse.id);
    const res = await cancelLine(order.id, order.lines[0]!.line_id, { reason: 'no longer needed' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status).toBe('cancelled');
    expect(res.body.payment.status).toBe('voided');
    await drain(t);
    const [task] = await s().fulfillment.ofOrder(order.id);
    expect(task!.status).toBe('cancelled');
    expect(await reservedAt('BELT', net.warehouse.id)).toBe(reservedBefore - 1);
  });

  it('bad input is a problem: zero, more than is open, an unknown line, no reason', async () => {
    const order = await twoLines();
    const shirt = order.lines.find((l) => l.sku === 'SHIRT')!;
    const zero = await cancelLine(order.id, shirt.line_id, { quantity: 0, reason: 'x' });
    expect(zero.status).toBe(400);
    const tooMany = await cancelLine(order.id, shirt.line_id, { quantity: 3, reason: 'x' });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body)).toContain('quantity');
    expect((await cancelLine(order.id, 'nope', { reason: 'x' })).status).toBe(404);
    expect((await cancelLine(order.id, shirt.line_id, { quantity: 1 })).status).toBe(400);
    expect((await s().orders.get(order.id)).total.amount).toBe(order.total.amount);
  });

  it("the customer's own token and another channel's key may not", async () => {
    const order = await twoLines();
    const other = await t.apiKey('other-web', ['orders:read', 'orders:write'], { type: 'web' });
    expect((await cancelLine(order.id, order.lines[0]!.line_id, { reason: 'x' }, other)).status).toBe(404);
  });
});
