/**
 * Issue 8's proof scenarios through HTTP and the real checkout: a split order, a store rejection
 * re-sourced, click & collect through a transfer, a web order returned in a store and resold the
 * same day, an exchange of size M for L; and the bad inputs that must change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import { fulfillmentChecks } from '../../src/fulfillment/index.js';
import { returnsChecks } from '../../src/returns/index.js';
import { inventoryChecks } from '../../src/inventory/index.js';
import { act, drain, HOME, placeOrder, product, receive, setupNetwork, type Net } from './fixtures.js';

describe('fulfillment and returns scenarios', () => {
  let t: TestApp;
  let net: Net;
  const clock = new ManualClock('2026-06-01T09:00:00Z');
  const level = async (sku: string, loc: string) =>
    (await t.omnia.services.inventory.stock(sku)).levels.find((l) => l.location_id === loc) ?? {
      on_hand: 0,
      reserved: 0,
    };
  const tasks = async (orderId: string) => t.omnia.services.fulfillment.ofOrder(orderId);
  const events = async (type: string) =>
    (await t.database.db.selectFrom('outbox').select(['type', 'payload']).where('type', '=', type).execute()).map(
      (e) => (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload) as Record<string, unknown>,
    );

  beforeAll(async () => {
    t = await startTestApp({ clock });
    net = await setupNetwork(t);
    await product(t, 'tee', [
      { sku: 'TEE-M', size: 'M', price: 2000 },
      { sku: 'TEE-L', size: 'L', price: 2000 },
    ]);
    await product(t, 'cap', [{ sku: 'CAP', price: 1500 }]);
    await product(t, 'mug', [{ sku: 'MUG', price: 1000 }]);
    await product(t, 'socks', [{ sku: 'SOCKS', price: 500 }], { returnable: false });
    await receive(t, 'TEE-M', net.warehouse, 20);
    await receive(t, 'CAP', net.sol, 3);
    await receive(t, 'CAP', net.gran, 3);
    await receive(t, 'MUG', net.warehouse, 5);
    await receive(t, 'TEE-L', net.sol, 2);
    await receive(t, 'SOCKS', net.warehouse, 10);
  });
  afterAll(async () => t?.close());

  it('an order split between a warehouse and a store, with the decision explained', async () => {
    const order = await placeOrder(
      t,
      net,
      [
        ['TEE-M', 1],
        ['CAP', 1],
      ],
      { method: 'home', address: HOME },
    );
    const fs = await tasks(order.id);
    expect(fs.map((f) => f.location_id).sort()).toEqual(
      [net.warehouse.id, fs.find((f) => f.lines[0]!.sku === 'CAP')!.location_id].sort(),
    );
    expect(fs.find((f) => f.lines[0]!.sku === 'TEE-M')!.location_id).toBe(net.warehouse.id);
    expect([net.sol.id, net.gran.id]).toContain(fs.find((f) => f.lines[0]!.sku === 'CAP')!.location_id);
    // each task holds its own reservation at its location; the checkout's hold is gone
    for (const f of fs)
      expect(
        (await t.omnia.services.inventory.getReservation(f.reservation_id!)).lines.every(
          (l) => l.location_id === f.location_id,
        ),
      ).toBe(true);
    const sourcing = await t.request('GET', `/v1/orders/${order.id}/sourcing`);
    expect(sourcing.status).toBe(200);
    const d = sourcing.body.items[0];
    expect(d).toMatchObject({ attempt: 1, trigger: 'order_placed' });
    expect(d.allocations).toHaveLength(2);
    expect(d.explanation.reason).toMatch(/split/);
    expect(d.explanation.candidates.length).toBeGreaterThan(1);
  });

  it('a store rejects; the lines are re-sourced elsewhere and the stock follows', async () => {
    const order = await placeOrder(t, net, [['CAP', 1]], { method: 'home', address: HOME });
    const [first] = await tasks(order.id);
    const store = first!.location_id;
    const other = store === net.sol.id ? net.gran.id : net.sol.id;
    const token = store === net.sol.id ? net.solStaff : net.granStaff;
    expect((await level('CAP', store)).reserved).toBeGreaterThanOrEqual(1);
    const before = (await level('CAP', store)).reserved;
    // the other store's associate cannot reject it
    const foreign = await act(t, first!.id, { action: 'reject' }, store === net.sol.id ? net.granStaff : net.solStaff);
    expect(foreign.status).toBe(403);
    const rejected = await act(t, first!.id, { action: 'reject', reason: 'cannot find it' }, token);
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', reject_reason: 'cannot find it' });
    const now = await tasks(order.id);
    const next = now.find((f) => f.id !== first!.id)!;
    expect(next).toMatchObject({ status: 'pending', location_id: other });
    expect((await level('CAP', store)).reserved).toBe(before - 1);
    const decisions = await t.omnia.services.fulfillment.decisions(order.id);
    expect(decisions.map((x) => x.trigger)).toEqual(['order_placed', 'rejected']);
    // the queue of the other store shows it; the rejecting store's associate only ever sees its own
    const queue = await t.request('GET', `/v1/fulfillments?status=pending`, {
      token: store === net.sol.id ? net.granStaff : net.solStaff,
    });
    expect(queue.body.items.map((f: { id: string }) => f.id)).toContain(next.id);
    expect(queue.body.items.every((f: { location_id: string }) => f.location_id === other)).toBe(true);
  });

  it('a task not accepted within the SLA is re-sourced by the job', async () => {
    const order = await placeOrder(t, net, [['CAP', 1]], { method: 'home', address: HOME });
    const [first] = await tasks(order.id);
    clock.advance(3 * 3600_000);
    expect(await t.omnia.services.fulfillment.timeoutDue()).toBeGreaterThanOrEqual(1);
    const after = await tasks(order.id);
    expect(after.find((f) => f.id === first!.id)!.status).toBe('rejected');
    expect(after.some((f) => f.status === 'pending' && f.location_id !== first!.location_id)).toBe(true);
  });

  it('click & collect at a store without the stock: a transfer, ready when received, handover with the code', async () => {
    const order = await placeOrder(t, net, [['MUG', 1]], { method: 'click_collect', location_id: net.sol.id });
    const [f] = await tasks(order.id);
    expect(f).toMatchObject({
      location_id: net.warehouse.id,
      destination_location_id: net.sol.id,
      method: 'click_collect',
    });
    const unaccepted = await act(t, f!.id, { action: 'ship' });
    expect(unaccepted.status).toBe(409);
    expect(unaccepted.body.code).toBe('invalid_transition');
    for (const action of ['accept', 'pick', 'pack']) expect((await act(t, f!.id, { action })).status).toBe(200);
    expect((await level('MUG', net.warehouse.id)).on_hand).toBe(5); // nothing sold yet: it travels
    const shipped = await act(t, f!.id, { action: 'ship' });
    expect(shipped.body).toMatchObject({ status: 'in_transit' });
    expect((await level('MUG', net.warehouse.id)).on_hand).toBe(4);
    await t.omnia.services.inventory.receiveTransfer(shipped.body.transfer_id, {
      lines: [{ sku: 'MUG', quantity: 1 }],
    });
    await drain(t);
    const ready = await t.omnia.services.fulfillment.get(f!.id);
    expect(ready.status).toBe('ready_for_pickup');
    expect((await level('MUG', net.sol.id)).reserved).toBe(1); // held for the customer at the store
    const evt = (await events('fulfillment.ready_for_pickup')).find((e) => e.id === f!.id)!;
    expect(evt).toMatchObject({ order_id: order.id, location_id: net.sol.id });
    // the code travels only in the event the customer's mail is made from, never in the task
    const code = evt.pickup_code as string;
    expect(code).toMatch(/^\d{6}$/);
    expect(ready).not.toHaveProperty('pickup_code');
    const wrong = await act(
      t,
      f!.id,
      { action: 'handover', pickup_code: '000000' === code ? '111111' : '000000' },
      net.solStaff,
    );
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('wrong_pickup_code');
    expect((await t.omnia.services.fulfillment.get(f!.id)).status).toBe('ready_for_pickup');
    const done = await act(t, f!.id, { action: 'handover', pickup_code: code }, net.solStaff);
    expect(done.body.status).toBe('handed_over');
    expect(await level('MUG', net.sol.id)).toMatchObject({ on_hand: 0, reserved: 0 });
    expect((await t.omnia.services.orders.get(order.id)).status).toBe('fulfilled');
  });

  it('a web order returned in a store, and the unit resold there the same day', async () => {
    const order = await placeOrder(t, net, [['TEE-M', 2]], { method: 'home', address: HOME });
    const [f] = await tasks(order.id);
    for (const action of ['accept', 'pick', 'pack']) await act(t, f!.id, { action });
    const noTracking = await act(t, f!.id, { action: 'ship' });
    expect(noTracking.status).toBe(400);
    expect((await act(t, f!.id, { action: 'ship', tracking: 'TRK123' })).body).toMatchObject({
      status: 'shipped',
      tracking: 'TRK123',
    });
    const o = await t.omnia.services.orders.get(order.id);
    expect(o.status).toBe('fulfilled');
    expect(o.payment!.status).toBe('captured');
    const line = o.lines[0]!;

    const ret = await t.request('POST', '/v1/returns', {
      token: net.solStaff,
      body: {
        order_id: order.id,
        channel: 'f-web',
        lines: [{ line_id: line.line_id, quantity: 1, reason: 'too small' }],
        refund: 'original',
      },
    });
    expect(ret.status).toBe(201);
    expect(ret.body).toMatchObject({ location_id: net.sol.id, status: 'refunded', refund: { amount: line.total / 2 } });
    expect(ret.body.lines[0]).toMatchObject({ restock: 'restock', restock_location_id: net.sol.id });
    expect((await level('TEE-M', net.sol.id)).on_hand).toBe(1);
    const refunds = await events('refund.issued');
    expect(refunds.some((e) => e.return_id === ret.body.id)).toBe(true);
    // sold again at the till the same day
    const pos = await t.omnia.services.inventory.reserve({
      channel: 'f-web',
      ttl_seconds: 60,
      reference: 'till',
      lines: [{ sku: 'TEE-M', quantity: 1, location_id: net.sol.id }],
    });
    await t.omnia.services.inventory.confirm(pos.id);
    expect((await level('TEE-M', net.sol.id)).on_hand).toBe(0);

    // bad input: the same unit twice, more than paid, changes nothing
    const again = await t.request('POST', '/v1/returns', {
      token: net.solStaff,
      body: {
        order_id: order.id,
        channel: 'f-web',
        lines: [{ line_id: line.line_id, quantity: 2, reason: 'x' }],
        refund: 'original',
      },
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_returned');
    const tooMuch = await t.request('POST', '/v1/returns', {
      token: net.solStaff,
      body: {
        order_id: order.id,
        channel: 'f-web',
        lines: [{ line_id: line.line_id, quantity: 1, reason: 'x' }],
        refund: 'original',
        refund_amount: line.total,
      },
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.code).toBe('refund_exceeds_paid');
    expect((await t.request('GET', `/v1/returns?order_id=${order.id}`)).body.items).toHaveLength(1);
    // past the window (an API key: staff sessions do not last a month)
    clock.advance(31 * 86_400_000);
    const late = await t.request('POST', '/v1/returns', {
      token: net.web,
      body: {
        order_id: order.id,
        location_id: net.sol.id,
        lines: [{ line_id: line.line_id, quantity: 1, reason: 'x' }],
        refund: 'store_credit',
      },
    });
    expect(late.status).toBe(422);
    expect(late.body.code).toBe('return_window_closed');
    clock.advance(-31 * 86_400_000);
  });

  it('an exchange of size M for L, handed over at the counter', async () => {
    const order = await placeOrder(t, net, [['TEE-M', 1]], { method: 'home', address: HOME });
    const [f] = await tasks(order.id);
    for (const action of ['accept', 'pick', 'pack']) await act(t, f!.id, { action });
    await act(t, f!.id, { action: 'ship', tracking: 'TRK9' });
    const line = (await t.omnia.services.orders.get(order.id)).lines[0]!;
    const before = await level('TEE-L', net.sol.id);
    const ret = await t.request('POST', '/v1/returns', {
      token: net.solStaff,
      body: {
        order_id: order.id,
        channel: 'f-web',
        lines: [{ line_id: line.line_id, quantity: 1, reason: 'wrong size' }],
        refund: 'original',
        exchange: [{ for_line_id: line.line_id, sku: 'TEE-L', quantity: 1 }],
      },
    });
    expect(ret.status).toBe(201);
    expect(ret.body).toMatchObject({
      status: 'received',
      refund: { amount: 0 },
      exchange: [{ sku: 'TEE-L', quantity: 1 }],
    });
    expect(ret.body.exchange_reservation_id).toBeTruthy();
    expect((await level('TEE-L', net.sol.id)).on_hand).toBe(before.on_hand - 1);
    // another product is not an exchange
    const bad = await t.request('POST', '/v1/returns', {
      token: net.solStaff,
      body: {
        order_id: order.id,
        channel: 'f-web',
        lines: [{ line_id: line.line_id, quantity: 1, reason: 'x' }],
        refund: 'original',
        exchange: [{ for_line_id: line.line_id, sku: 'CAP', quantity: 1 }],
      },
    });
    expect(bad.status).toBe(409); // already returned comes first: the unit was swapped
  });

  it('an exchange the returning store cannot hand over is shipped by a fulfillment task', async () => {
    const order = await placeOrder(t, net, [['TEE-M', 1]], { method: 'home', address: HOME });
    const [f] = await tasks(order.id);
    for (const action of ['accept', 'pick', 'pack']) await act(t, f!.id, { action });
    await act(t, f!.id, { action: 'ship', tracking: 'TRK10' });
    const line = (await t.omnia.services.orders.get(order.id)).lines[0]!;
    const ret = await t.request('POST', '/v1/returns', {
      token: net.granStaff,
      body: {
        order_id: order.id,
        channel: 'f-web',
        lines: [{ line_id: line.line_id, quantity: 1, reason: 'wrong size' }],
        refund: 'original',
        exchange: [{ for_line_id: line.line_id, sku: 'TEE-L', quantity: 1 }],
      },
    });
    expect(ret.status).toBe(201);
    expect(ret.body.exchange_reservation_id).toBeNull();
    const x = await t.omnia.services.fulfillment.get(ret.body.exchange_fulfillment_id);
    expect(x).toMatchObject({
      order_id: order.id,
      location_id: net.sol.id,
      status: 'pending',
      lines: [{ sku: 'TEE-L', quantity: 1 }],
    });
    expect(x.lines[0]!.line_id.startsWith('exchange:')).toBe(true);
    for (const action of ['accept', 'pick', 'pack']) expect((await act(t, x.id, { action })).status).toBe(200);
    expect((await act(t, x.id, { action: 'ship', tracking: 'TRK11' })).body.status).toBe('shipped');
  });

  it('non-returnable items are refused; a mail return restocks the warehouse; store credit', async () => {
    const order = await placeOrder(
      t,
      net,
      [
        ['SOCKS', 1],
        ['MUG', 1],
      ],
      { method: 'home', address: HOME },
    );
    const [f] = await tasks(order.id);
    for (const action of ['accept', 'pick', 'pack']) await act(t, f!.id, { action });
    await act(t, f!.id, { action: 'ship', tracking: 'TRK7' });
    const o = await t.omnia.services.orders.get(order.id);
    const socks = o.lines.find((l) => l.sku === 'SOCKS')!;
    const mug = o.lines.find((l) => l.sku === 'MUG')!;
    const refused = await t.request('POST', '/v1/returns', {
      body: {
        order_id: order.id,
        channel: 'f-web',
        lines: [{ line_id: socks.line_id, quantity: 1, reason: 'x' }],
        refund: 'original',
      },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('not_returnable');
    const onHand = (await level('MUG', net.warehouse.id)).on_hand;
    const mail = await t.request('POST', '/v1/returns', {
      body: {
        order_id: order.id,
        channel: 'f-web',
        lines: [{ line_id: mug.line_id, quantity: 1, reason: 'broken', condition: 'damaged' }],
        refund: 'store_credit',
      },
    });
    expect(mail.status).toBe(201);
    expect(mail.body).toMatchObject({
      location_id: net.warehouse.id,
      refund_method: 'store_credit',
      refund: { amount: mug.total },
    });
    expect(mail.body.lines[0]).toMatchObject({ restock: 'damage' });
    expect((await level('MUG', net.warehouse.id)).on_hand).toBe(onHand); // returned, then booked as damage
    const ledger = (await t.omnia.services.inventory.movements('MUG', { location_id: net.warehouse.id })).items.map(
      (m) => m.type,
    );
    expect(ledger.slice(0, 2).sort()).toEqual(['damage', 'return']);
  });

  it('doctor: the fulfillment, returns and stock invariants hold after all of it', async () => {
    for (const check of [...fulfillmentChecks, ...returnsChecks, ...inventoryChecks]) {
      const r = await check.run(t.database.db, clock.now());
      expect(r.status, `${check.name}: ${r.summary}`).not.toBe('fail');
    }
  });
});
