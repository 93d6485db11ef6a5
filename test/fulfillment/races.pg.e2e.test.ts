/** Races the embedded database cannot show: the same units returned at two tills, a task acted on twice at once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { act, HOME, placeOrder, product, receive, setupNetwork, type Net } from './fixtures.js';

describe('fulfillment and returns under concurrency (PostgreSQL)', () => {
  let t: TestApp;
  let net: Net;
  beforeAll(async () => {
    t = await startTestApp({ database: await createTestDatabase({ forcePg: true }) });
    net = await setupNetwork(t);
    await product(t, 'hat', [{ sku: 'HAT', price: 2500 }]);
    await receive(t, 'HAT', net.warehouse, 20);
  });
  afterAll(async () => t?.close());

  it('two tills returning the same unit at once: one return, one already_returned, one restock', async () => {
    const order = await placeOrder(t, net, [['HAT', 1]], { method: 'home', address: HOME });
    const [f] = await t.omnia.services.fulfillment.ofOrder(order.id);
    for (const action of ['accept', 'pick', 'pack']) await act(t, f!.id, { action });
    await act(t, f!.id, { action: 'ship', tracking: 'T1' });
    const line = (await t.omnia.services.orders.get(order.id)).lines[0]!;
    const body = (loc: string) => ({
      order_id: order.id,
      channel: 'f-web',
      location_id: loc,
      lines: [{ line_id: line.line_id, quantity: 1, reason: 'x' }],
      refund: 'original',
    });
    const res = await Promise.all([
      t.request('POST', '/v1/returns', { body: body(net.sol.id) }),
      t.request('POST', '/v1/returns', { body: body(net.gran.id) }),
    ]);
    expect(res.map((r) => r.status).sort()).toEqual([201, 409]);
    const back = await Promise.all(
      [net.sol.id, net.gran.id].map(
        async (loc) =>
          (await t.omnia.services.inventory.stock('HAT')).levels.find((l) => l.location_id === loc)?.on_hand ?? 0,
      ),
    );
    expect(back.reduce((a, b) => a + b, 0)).toBe(1);
    const payment = (await t.omnia.services.orders.get(order.id)).payment!;
    expect(payment.refunded_amount).toBe(line.total);
  });

  it('accept and reject of one task at once: exactly one wins', async () => {
    const order = await placeOrder(t, net, [['HAT', 1]], { method: 'home', address: HOME });
    const [f] = await t.omnia.services.fulfillment.ofOrder(order.id);
    const res = await Promise.all([act(t, f!.id, { action: 'accept' }), act(t, f!.id, { action: 'reject' })]);
    const ok = res.filter((r) => r.status === 200);
    expect(ok).toHaveLength(ok[0]?.body.status === 'accepted' ? 2 : 1); // accept then reject is legal; reject then accept is not
    const all = await t.omnia.services.fulfillment.ofOrder(order.id);
    const reserved = (await t.omnia.services.inventory.stock('HAT')).levels.reduce((a, l) => a + l.reserved, 0);
    expect(reserved).toBe(all.filter((x) => x.status === 'pending' || x.status === 'accepted').length);
  });
});
