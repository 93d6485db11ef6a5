/**
 * Issue 16 point 6: an order marked as a gift carries a message and a gift receipt code; the
 * recipient, without an account, returns or exchanges in any store with that code and gets store
 * credit on a gift card; the buyer is never refunded by it, and the credit never exceeds what was paid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import type { TestProviderLedger } from '../../src/payments/index.js';
import { act, drain, HOME, product, receive, setupNetwork, type Net } from '../fulfillment/fixtures.js';

describe('gift orders and gift returns', () => {
  let t: TestApp;
  let net: Net;
  const ledger = () => (t.omnia.services.payments.provider('test') as unknown as { ledger: TestProviderLedger }).ledger;

  beforeAll(async () => {
    t = await startTestApp();
    net = await setupNetwork(t);
    await product(t, 'jumper', [
      { sku: 'JUMPER-M', size: 'M', price: 4999 },
      { sku: 'JUMPER-L', size: 'L', price: 4999 },
    ]);
    await receive(t, 'JUMPER-M', net.warehouse, 40);
    await receive(t, 'JUMPER-L', net.sol, 3);
  });
  afterAll(async () => t?.close());

  /** A gift of three jumpers bought on the web, shipped to the recipient. */
  async function giftOrder(body: Record<string, unknown> = { gift: { message: '  Happy birthday, Leo!  ' } }) {
    const cart = await t.request('POST', '/v1/carts', { token: net.web, body: {} });
    await t.request('POST', `/v1/carts/${cart.body.id}/items`, {
      token: net.web,
      body: { sku: 'JUMPER-M', quantity: 3 },
    });
    const res = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
      token: net.web,
      body: {
        delivery: { method: 'home', address: HOME },
        email: 'buyer@example.com',
        payment: { provider: 'test', card_number: '4242424242424242' },
        ...body,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await drain(t);
    const [f] = await t.omnia.services.fulfillment.ofOrder(res.body.id);
    for (const action of ['accept', 'pick', 'pack']) expect((await act(t, f!.id, { action })).status).toBe(200);
    expect((await act(t, f!.id, { action: 'ship', tracking: 'TRK-G' })).status).toBe(200);
    return res.body;
  }

  it('checkout marks the order as a gift with its message and a gift receipt code; others are not gifts', async () => {
    const order = await giftOrder();
    expect(order).toMatchObject({ gift: true, gift_message: 'Happy birthday, Leo!' });
    expect(order.gift_receipt_code).toMatch(/^GR-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const read = await t.request('GET', `/v1/orders/${order.id}`);
    expect(read.body).toMatchObject({ gift: true, gift_receipt_code: order.gift_receipt_code });
    const plain = await giftOrder({});
    expect(plain).toMatchObject({ gift: false, gift_message: null, gift_receipt_code: null });
    const tooLong = await t.request('POST', '/v1/carts/x/checkout', {
      token: net.web,
      body: {
        delivery: { method: 'home', address: HOME },
        payment: { provider: 'test' },
        gift: { message: 'x'.repeat(501) },
      },
    });
    expect(tooLong.status).toBe(400);
  });

  it('the recipient returns with the gift receipt: store credit on a gift card, no refund to the buyer, never more than paid', async () => {
    const order = await giftOrder();
    const paidForLine: number = order.lines[0].total;
    const refundsBefore = ledger().refunds.length;

    // The store reads the gift receipt: the lines, no prices.
    const receipt = await t.request('GET', `/v1/gift-receipts/${order.gift_receipt_code.toLowerCase()}`, {
      token: net.granStaff,
    });
    expect(receipt.status).toBe(200);
    expect(receipt.body).toMatchObject({
      message: 'Happy birthday, Leo!',
      lines: [{ sku: 'JUMPER-M', quantity: 3, returnable_quantity: 3 }],
    });
    expect(JSON.stringify(receipt.body)).not.toMatch(/total|price|amount/);
    expect((await t.request('GET', '/v1/gift-receipts/GR-0000-0000-0000-0000', { token: net.granStaff })).status).toBe(
      404,
    );

    // Two of three returned at Gran Vía.
    const lineId = receipt.body.lines[0].line_id;
    const first = await t.request('POST', '/v1/returns/gift', {
      token: net.granStaff,
      body: {
        gift_receipt_code: order.gift_receipt_code,
        channel: 'f-web',
        lines: [{ line_id: lineId, quantity: 2, reason: 'already had one' }],
      },
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({
      gift: true,
      customer_id: null,
      refund_method: 'store_credit',
      location_id: net.gran.id,
      status: 'refunded',
      refund: { amount: Math.floor((paidForLine * 2) / 3) },
    });
    const card: string = first.body.gift_card_code;
    expect(card).toMatch(/^GC-/);
    // The buyer's payment is untouched.
    expect(ledger().refunds.length).toBe(refundsBefore);
    expect((await t.omnia.services.orders.get(order.id)).payment).toMatchObject({ refunded_amount: 0 });
    // The gift card holds the credit; a till reads its balance by the code.
    const balance = await t.request('POST', '/v1/store-credit/lookup', { token: net.solStaff, body: { code: card } });
    expect(balance.status).toBe(200);
    expect(balance.body).toMatchObject({
      id: first.body.store_credit_account_id,
      gift_card: true,
      customer_id: null,
      code_last4: card.slice(-4),
      balance: { amount: first.body.refund.amount, currency: 'EUR' },
    });
    // The return is not the buyer's: a gift's recipient is not named, so the buyer's list does not show it.
    const buyers = await t.request('GET', `/v1/returns?order_id=${order.id}`);
    expect(buyers.body.items.map((r: { customer_id: string | null }) => r.customer_id)).toEqual([null]);

    // More than is left is refused; the last unit brings the credit to exactly what was paid, never more.
    const tooMany = await t.request('POST', '/v1/returns/gift', {
      token: net.solStaff,
      body: {
        gift_receipt_code: order.gift_receipt_code,
        channel: 'f-web',
        lines: [{ line_id: lineId, quantity: 2, reason: 'x' }],
      },
    });
    expect(tooMany.status).toBe(409);
    const last = await t.request('POST', '/v1/returns/gift', {
      token: net.solStaff,
      body: {
        gift_receipt_code: order.gift_receipt_code,
        channel: 'f-web',
        lines: [{ line_id: lineId, quantity: 1, reason: 'x' }],
      },
    });
    expect(last.status).toBe(201);
    expect(first.body.refund.amount + last.body.refund.amount).toBe(paidForLine);
    expect(ledger().refunds.length).toBe(refundsBefore);
    // Nor is the buyer mailed about it: the return-received message is logged as skipped, with why.
    await t.omnia.dispatcher.drain();
    const mails = await t.database.db
      .selectFrom('notifications')
      .select(['template', 'status', 'reason'])
      .where('order_id', '=', order.id)
      .where('template', '=', 'return_received')
      .execute();
    expect(mails).toEqual([
      { template: 'return_received', status: 'skipped', reason: 'returned by the gift’s recipient' },
      { template: 'return_received', status: 'skipped', reason: 'returned by the gift’s recipient' },
    ]);
  });

  it('the recipient exchanges for another size at a store that has it: nothing credited, the new size handed over', async () => {
    const order = await giftOrder();
    const lineId = order.lines[0].line_id;
    const solL = async () =>
      (await t.request('GET', '/v1/inventory/JUMPER-L')).body.levels.find(
        (l: { location_id: string }) => l.location_id === net.sol.id,
      ).on_hand;
    const before = await solL();
    const ex = await t.request('POST', '/v1/returns/gift', {
      token: net.solStaff,
      body: {
        gift_receipt_code: order.gift_receipt_code,
        channel: 'f-web',
        lines: [{ line_id: lineId, quantity: 1, reason: 'too small' }],
        exchange: [{ for_line_id: lineId, sku: 'JUMPER-L', quantity: 1 }],
      },
    });
    expect(ex.status, JSON.stringify(ex.body)).toBe(201);
    expect(ex.body).toMatchObject({ gift: true, refund: { amount: 0 }, store_credit_account_id: null });
    expect(ex.body.exchange_reservation_id).not.toBeNull();
    expect(ex.body.gift_card_code).toBeUndefined();
    expect(await solL()).toBe(before - 1);
  });

  it('only staff and secret keys take gift returns; a shopper’s token cannot', async () => {
    const order = await giftOrder();
    const s = t.omnia.services;
    const channel = (await s.network.channel('f-web'))!;
    const { customer_id } = await s.customers.identify({ identifiers: { email: 'leo@example.com' }, channel: 'f-web' });
    const token = s.auth.issueCustomerToken(customer_id, channel.id).token;
    const body = {
      gift_receipt_code: order.gift_receipt_code,
      lines: [{ line_id: order.lines[0].line_id, quantity: 1, reason: 'x' }],
    };
    expect((await t.request('POST', '/v1/returns/gift', { token, body })).status).toBe(403);
    expect((await t.request('GET', `/v1/gift-receipts/${order.gift_receipt_code}`, { token })).status).toBe(403);
  });

  it('erasing the buyer removes the gift message; the recipient can still return with the receipt', async () => {
    const s = t.omnia.services;
    const channel = (await s.network.channel('f-web'))!;
    const { customer_id } = await s.customers.identify({ identifiers: { email: 'mia@example.com' }, channel: 'f-web' });
    const token = s.auth.issueCustomerToken(customer_id, channel.id).token;
    const cart = await t.request('POST', '/v1/carts', { token, body: {} });
    await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token, body: { sku: 'JUMPER-M', quantity: 1 } });
    const placed = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
      token,
      body: {
        delivery: { method: 'home', address: HOME },
        payment: { provider: 'test', card_number: '4242424242424242' },
        gift: { message: 'For Leo, from Mia' },
      },
    });
    expect(placed.status).toBe(201);
    expect((await t.request('DELETE', `/v1/customers/${customer_id}`)).status).toBeLessThan(300);
    await t.omnia.dispatcher.drain(); // orders anonymise on the erasure event
    const after = await s.orders.get(placed.body.id);
    expect(after).toMatchObject({
      gift: true,
      gift_message: null,
      gift_receipt_code: placed.body.gift_receipt_code,
      email: null,
    });
    const receipt = await t.request('GET', `/v1/gift-receipts/${placed.body.gift_receipt_code}`, {
      token: net.solStaff,
    });
    expect(receipt.status).toBe(200);
    expect(receipt.body.message).toBeNull();
  });
});
