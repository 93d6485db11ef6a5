/**
 * Issue 16 point 5: a customer starts a return of their own order lines online, chooses where the
 * goods go (a store, a pickup point, a carrier), gets a return code (QR payload) and nothing is
 * refunded or restocked until a store receives it by that code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import type { TestProviderLedger } from '../../src/payments/index.js';
import { act, drain, HOME, product, receive, setupNetwork, type Net } from '../fulfillment/fixtures.js';

describe('self-service returns', () => {
  let t: TestApp;
  let net: Net;
  const ledger = () => (t.omnia.services.payments.provider('test') as unknown as { ledger: TestProviderLedger }).ledger;
  const onHand = async (sku: string, locationId: string) =>
    (await t.request('GET', `/v1/inventory/${sku}`)).body.levels.find(
      (l: { location_id: string }) => l.location_id === locationId,
    )?.on_hand ?? 0;

  /** A known shopper and a customer token for the web channel (how they signed in is not this test's business). */
  async function customer(email: string): Promise<{ id: string; token: string }> {
    const s = t.omnia.services;
    const channel = (await s.network.channel('f-web'))!;
    const { customer_id } = await s.customers.identify({ identifiers: { email }, channel: 'f-web' });
    return { id: customer_id, token: s.auth.issueCustomerToken(customer_id, channel.id).token };
  }

  /** The customer's own web order of two tees, shipped home. */
  async function shippedOrder(token: string) {
    const cart = await t.request('POST', '/v1/carts', { token, body: {} });
    await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token, body: { sku: 'TEE-M', quantity: 2 } });
    const res = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
      token,
      body: {
        delivery: { method: 'home', address: HOME },
        payment: { provider: 'test', card_number: '4242424242424242' },
      },
    });
    expect(res.status).toBe(201);
    await drain(t);
    const [f] = await t.omnia.services.fulfillment.ofOrder(res.body.id);
    for (const action of ['accept', 'pick', 'pack']) expect((await act(t, f!.id, { action })).status).toBe(200);
    expect((await act(t, f!.id, { action: 'ship', tracking: 'TRK-1' })).status).toBe(200);
    return t.omnia.services.orders.get(res.body.id);
  }

  beforeAll(async () => {
    t = await startTestApp();
    net = await setupNetwork(t);
    await product(t, 'tee', [
      { sku: 'TEE-M', size: 'M', price: 2000 },
      { sku: 'TEE-L', size: 'L', price: 2000 },
    ]);
    await receive(t, 'TEE-M', net.warehouse, 20);
  });
  afterAll(async () => t?.close());

  it('a customer starts a return, gets the code; the store receives it by code and only then refunds', async () => {
    const ana = await customer('ana.self@example.com');
    const order = await shippedOrder(ana.token);
    const line = order.lines[0]!;
    const refundsBefore = ledger().refunds.length;

    // Without a drop-off a customer would be declaring the goods received: the policy refuses it.
    const direct = await t.request('POST', '/v1/returns', {
      token: ana.token,
      body: {
        order_id: order.id,
        lines: [{ line_id: line.line_id, quantity: 1, reason: 'too big' }],
        refund: 'original',
      },
    });
    expect(direct.status).toBe(403);

    const started = await t.request('POST', '/v1/returns', {
      token: ana.token,
      body: {
        order_id: order.id,
        lines: [{ line_id: line.line_id, quantity: 1, reason: 'too big' }],
        refund: 'original',
        dropoff: { method: 'store', location_id: net.sol.id },
      },
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      status: 'requested',
      dropoff_method: 'store',
      customer_id: ana.id,
      received_at: null,
      refund: { amount: line.total / 2 },
    });
    const code: string = started.body.return_code;
    expect(code).toMatch(/^RT-/);
    expect(started.body.qr_payload).toBe(`omnia:return:${code}`);
    // Nothing refunded, nothing restocked yet.
    expect(ledger().refunds.length).toBe(refundsBefore);
    expect((await t.omnia.services.orders.get(order.id)).payment).toMatchObject({ refunded_amount: 0 });
    const granBefore = await onHand('TEE-M', net.gran.id);

    // The customer finds it by its code; another customer does not; the customer cannot receive it.
    const mine = await t.request('GET', `/v1/returns?code=${encodeURIComponent(code.toLowerCase())}`, {
      token: ana.token,
    });
    expect(mine.body.items.map((r: { id: string }) => r.id)).toEqual([started.body.id]);
    const bea = await customer('bea.self@example.com');
    expect((await t.request('GET', `/v1/returns?code=${code}`, { token: bea.token })).body.items).toEqual([]);
    expect((await t.request('GET', `/v1/returns/${started.body.id}`, { token: bea.token })).status).toBe(404);
    expect((await t.request('POST', '/v1/returns/receive', { token: ana.token, body: { code } })).status).toBe(403);
    // The same units cannot be requested twice.
    const twice = await t.request('POST', '/v1/returns', {
      token: ana.token,
      body: {
        order_id: order.id,
        lines: [{ line_id: line.line_id, quantity: 2, reason: 'too big' }],
        refund: 'original',
        dropoff: { method: 'carrier' },
      },
    });
    expect(twice.status).toBe(409);

    // Handed in at Gran Vía (any store takes it): scanned, restocked there, refunded now.
    const received = await t.request('POST', '/v1/returns/receive', { token: net.granStaff, body: { code } });
    expect(received.status).toBe(200);
    expect(received.body).toMatchObject({ status: 'refunded', location_id: net.gran.id, return_code: code });
    expect(received.body.received_at).not.toBeNull();
    expect(await onHand('TEE-M', net.gran.id)).toBe(granBefore + 1);
    const paid = ledger().refunds.slice(refundsBefore);
    expect(paid.map((r) => r.amount)).toEqual([line.total / 2]);
    expect((await t.omnia.services.orders.get(order.id)).payment).toMatchObject({ refunded_amount: line.total / 2 });
    // Scanning again refunds nothing more.
    const again = await t.request('POST', '/v1/returns/receive', { token: net.granStaff, body: { code } });
    expect(again.status, JSON.stringify(again.body)).toBe(409);
    expect(ledger().refunds.length).toBe(refundsBefore + 1);
    // The customer's own return is theirs to hear about (no mail transport in this test: logged as such).
    await t.omnia.dispatcher.drain();
    const logged = await t.database.db
      .selectFrom('notifications')
      .select(['template', 'reason'])
      .where('order_id', '=', order.id)
      .where('template', '=', 'return_received')
      .execute();
    expect(logged).toHaveLength(1);
    expect(logged[0]!.reason).not.toMatch(/gift/);
  });

  it('a carrier return to store credit: credited to the customer’s balance when the warehouse receives it, damaged as seen', async () => {
    const cai = await customer('cai.self@example.com');
    const order = await shippedOrder(cai.token);
    const line = order.lines[0]!;
    const noLocation = await t.request('POST', '/v1/returns', {
      token: cai.token,
      body: {
        order_id: order.id,
        lines: [{ line_id: line.line_id, quantity: 2, reason: 'changed my mind' }],
        refund: 'store_credit',
        dropoff: { method: 'store' },
      },
    });
    expect(noLocation.status).toBe(400);
    const started = await t.request('POST', '/v1/returns', {
      token: cai.token,
      body: {
        order_id: order.id,
        lines: [{ line_id: line.line_id, quantity: 2, reason: 'changed my mind' }],
        refund: 'store_credit',
        dropoff: { method: 'carrier' },
      },
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      status: 'requested',
      dropoff_method: 'carrier',
      location_id: net.warehouse.id,
    });
    expect(await t.omnia.services.storeCredit.ofCustomer(cai.id)).toEqual([]);

    // A store associate elsewhere may not receive at the warehouse; an admin there may.
    const elsewhere = await t.request('POST', '/v1/returns/receive', {
      token: net.solStaff,
      body: { code: started.body.return_code, location_id: net.warehouse.id },
    });
    expect(elsewhere.status).toBe(403);
    const received = await t.request('POST', '/v1/returns/receive', {
      body: {
        code: started.body.return_code,
        location_id: net.warehouse.id,
        conditions: [{ line_id: line.line_id, condition: 'damaged' }],
      },
    });
    expect(received.status).toBe(200);
    expect(received.body.lines[0]).toMatchObject({ condition: 'damaged', restock: 'damage' });
    const [account] = await t.omnia.services.storeCredit.ofCustomer(cai.id);
    expect(account).toMatchObject({ id: received.body.store_credit_account_id, balance: { amount: line.total } });
    // The customer sees their balance; another customer is told nothing.
    const mine = await t.request('GET', `/v1/store-credit/accounts?customer_id=${cai.id}`, { token: cai.token });
    expect(mine.status).toBe(200);
    expect(mine.body.items).toMatchObject([{ id: account!.id, gift_card: false, balance: { amount: line.total } }]);
    const other = await customer('dan.self@example.com');
    const peek = await t.request('GET', `/v1/store-credit/accounts?customer_id=${cai.id}`, { token: other.token });
    expect(peek.status).toBe(404);
    const entries = await t.omnia.services.storeCredit.ledger(account!.id);
    expect(entries).toMatchObject([
      { amount: line.total, balance_after: line.total, reason: 'return', reference: started.body.id },
    ]);
  });

  it('a swap for another size dropped at a pickup point: validated at once, served when the locker scans it', async () => {
    await receive(t, 'TEE-L', net.warehouse, 2);
    const eva = await customer('eva.self@example.com');
    const order = await shippedOrder(eva.token);
    const line = order.lines[0]!;
    const body = (sku: string) => ({
      order_id: order.id,
      lines: [{ line_id: line.line_id, quantity: 1, reason: 'too small' }],
      refund: 'original',
      exchange: [{ for_line_id: line.line_id, sku, quantity: 1 }],
      dropoff: { method: 'pickup_point', location_id: net.point.id },
    });
    expect((await t.request('POST', '/v1/returns', { token: eva.token, body: body('NO-SUCH-SKU') })).status).toBe(400);
    const wrongKind = await t.request('POST', '/v1/returns', {
      token: eva.token,
      body: { ...body('TEE-L'), dropoff: { method: 'pickup_point', location_id: net.sol.id } },
    });
    expect(wrongKind.status).toBe(400);
    const started = await t.request('POST', '/v1/returns', { token: eva.token, body: body('TEE-L') });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ status: 'requested', refund: { amount: 0 }, exchange_fulfillment_id: null });
    const whBefore = await onHand('TEE-M', net.warehouse.id);
    const received = await t.request('POST', '/v1/returns/receive', {
      token: net.pointStaff,
      body: { code: started.body.return_code },
    });
    expect(received.status).toBe(200);
    // What a locker collects is restocked at the returns warehouse; the L ships home by a task.
    expect(received.body).toMatchObject({ status: 'received', location_id: net.point.id });
    expect(received.body.exchange_fulfillment_id).not.toBeNull();
    expect(await onHand('TEE-M', net.warehouse.id)).toBe(whBefore + 1);
  });
});
