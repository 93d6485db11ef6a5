/**
 * Issue 16 point 7: store credit and gift cards spent at checkout, over HTTP. A customer pays part
 * of a web order with their balance and the rest by card; a gift card pays at the till; a declined
 * card gives the credit back (a ledger row, with the stock); a staff cancel does the same; a short
 * balance, a guest's "store credit" and an unknown gift card are refused with nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { DECLINED_CARD, GOOD_CARD, HOME_ADDRESS, setupShop, type Shop } from '../checkout/fixtures.js';

describe('paying with store credit and gift cards at checkout', () => {
  let t: TestApp;
  let shop: Shop;
  let ana: { token: string; customer_id: string };

  beforeAll(async () => {
    t = await startTestApp();
    shop = await setupShop(t, { prefix: 'sc' });
    const web = (await t.omnia.services.network.channel('sc-web'))!;
    const reg = await t.omnia.services.customers.register({
      email: 'ana.credit@example.com',
      password: 'a long enough password',
      channelId: web.id,
    });
    ana = { token: reg.token, customer_id: reg.customer_id };
  });
  afterAll(async () => t?.close());

  const credit = () => t.omnia.services.storeCredit;
  const balanceOf = async (customerId: string) =>
    (await credit().ofCustomer(customerId)).find((a) => a.balance.currency === 'EUR')?.balance.amount ?? 0;

  async function cartWith(token: string, sku: string, quantity = 1): Promise<string> {
    const cart = await t.request('POST', '/v1/carts', { token, body: {} });
    expect(cart.status, JSON.stringify(cart.body)).toBeLessThan(300);
    const added = await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token, body: { sku, quantity } });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    return cart.body.id;
  }

  const checkout = (token: string, cartId: string, body: Record<string, unknown>) =>
    t.request('POST', `/v1/carts/${cartId}/checkout`, {
      token,
      body: {
        delivery: { method: 'home', address: HOME_ADDRESS },
        payment: { provider: 'test', card_number: GOOD_CARD },
        ...body,
      },
    });

  it('pays part of a web order with the customer’s store credit and the rest by card', async () => {
    await credit().issue({
      to: { customer_id: ana.customer_id },
      currency: 'EUR',
      amount: 3000,
      reason: 'return',
      reference: 'rtn_sc_1',
    });
    const cartId = await cartWith(ana.token, shop.skus[1]!); // jeans 59.95 − 10% = 53.95, free shipping
    const res = await checkout(ana.token, cartId, { credits: [{ method: 'store_credit', amount: 2500 }] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.total).toEqual({ amount: 5395, currency: 'EUR' });
    // The card is asked only for what the credit did not cover.
    expect(res.body.payment).toMatchObject({
      provider: 'test',
      status: 'authorized',
      amount: { amount: 2895, currency: 'EUR' },
    });
    expect(await balanceOf(ana.customer_id)).toBe(500);
    const [account] = await credit().ofCustomer(ana.customer_id);
    const ledger = await credit().ledger(account!.id);
    expect(ledger.at(-1)).toMatchObject({ amount: -2500, balance_after: 500, reason: 'spend', reference: res.body.id });
    // The account's read route shows the balance the checkout left.
    const read = await t.request('GET', `/v1/store-credit/accounts?customer_id=${ana.customer_id}`);
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.body)).toContain('"amount":500');
  });

  it('a gift card pays at the till, partly and then wholly', async () => {
    const { code } = await credit().issue({
      to: { gift_card: true },
      currency: 'EUR',
      amount: 4000,
      reason: 'gift_return',
      reference: 'rtn_sc_gc',
    });
    const till = (cartId: string, amount: number) =>
      t.request('POST', `/v1/carts/${cartId}/checkout`, {
        token: shop.keys.pos,
        body: {
          delivery: { method: 'in_store' },
          payment: { provider: 'manual' },
          credits: [{ method: 'gift_card', code: code!.toLowerCase(), amount }],
        },
      });
    const first = await till(await cartWith(shop.keys.pos, shop.skus[0]!), 2000); // a shirt, 29.95
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.total.amount).toBe(2995);
    expect(first.body.payment.amount.amount).toBe(995);
    expect((await credit().byCode(code!)).balance.amount).toBe(2000);
    const second = await till(await cartWith(shop.keys.pos, shop.skus[2]!, 2), 1990); // two pairs of socks, 9.95 each
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body.total.amount).toBe(1990);
    expect(second.body.payment.amount.amount).toBe(0);
    expect((await credit().byCode(code!)).balance.amount).toBe(10);
  });

  it('a declined card gives the credit back with the stock, and the retry spends it again', async () => {
    const bea = await t.omnia.services.customers.register({
      email: 'bea.credit@example.com',
      password: 'a long enough password',
      channelId: (await t.omnia.services.network.channel('sc-web'))!.id,
    });
    await credit().issue({
      to: { customer_id: bea.customer_id },
      currency: 'EUR',
      amount: 1000,
      reason: 'return',
      reference: 'rtn_sc_2',
    });
    const cartId = await cartWith(bea.token, shop.skus[1]!);
    const declined = await checkout(bea.token, cartId, {
      credits: [{ method: 'store_credit', amount: 1000 }],
      payment: { provider: 'test', card_number: DECLINED_CARD },
    });
    expect(declined.status).toBe(402);
    expect(declined.body.type).toContain('payment_declined');
    const cancelled = await t.omnia.services.orders.get(declined.body.order_id);
    expect(cancelled.status).toBe('cancelled');
    expect(await balanceOf(bea.customer_id)).toBe(1000);
    const [account] = await credit().ofCustomer(bea.customer_id);
    expect((await credit().ledger(account!.id)).map((e) => [e.amount, e.reason])).toEqual([
      [1000, 'return'],
      [-1000, 'spend'],
      [1000, 'checkout_reversal'],
    ]);
    // The order.cancelled subscriber finds nothing left to give back (idempotent).
    await t.omnia.dispatcher.drain();
    expect(await balanceOf(bea.customer_id)).toBe(1000);

    const retry = await checkout(bea.token, cartId, { credits: [{ method: 'store_credit', amount: 1000 }] });
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.body.payment.amount.amount).toBe(4395);
    expect(await balanceOf(bea.customer_id)).toBe(0);
    expect(await credit().ledgerMismatches()).toEqual([]);
  });

  it('a staff cancel gives back the credit an order spent', async () => {
    const cid = await cartWith(ana.token, shop.skus[2]!); // socks 9.95 − 1 € = 8.95 + shipping
    const placed = await checkout(ana.token, cid, { credits: [{ method: 'store_credit', amount: 500 }] });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(await balanceOf(ana.customer_id)).toBe(0);
    const cancel = await t.request('POST', `/v1/orders/${placed.body.id}/cancel`, { body: { reason: 'changed mind' } });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    await t.omnia.dispatcher.drain();
    expect(await balanceOf(ana.customer_id)).toBe(500);
    await t.omnia.dispatcher.drain();
    expect(await balanceOf(ana.customer_id)).toBe(500);
  });

  it('refuses a short balance, a guest’s store credit, an unknown gift card and more credit than the total, writing nothing', async () => {
    const before = await balanceOf(ana.customer_id);
    const cartId = await cartWith(ana.token, shop.skus[0]!);
    const short = await checkout(ana.token, cartId, { credits: [{ method: 'store_credit', amount: before + 1 }] });
    expect(short.status).toBe(409);
    expect(short.headers['content-type']).toContain('application/problem+json');
    expect(short.body.type).toContain('insufficient_credit');
    expect(short.body.errors).toEqual([{ field: 'credits/0/amount', message: 'more than the balance' }]);
    const tooMuch = await checkout(ana.token, cartId, { credits: [{ method: 'store_credit', amount: 999999 }] });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.errors[0].field).toBe('credits');
    const unknown = await checkout(ana.token, cartId, {
      credits: [{ method: 'gift_card', code: 'GC-0000-0000-0000-0000', amount: 100 }],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].field).toBe('credits/0/code');
    const zero = await checkout(ana.token, cartId, { credits: [{ method: 'store_credit', amount: 0 }] });
    expect(zero.status).toBe(400);
    expect(await balanceOf(ana.customer_id)).toBe(before);
    const cart = await t.request('GET', `/v1/carts/${cartId}`, { token: ana.token });
    expect(cart.body.status).toBe('open');

    const guestCart = await cartWith(shop.keys.web, shop.skus[0]!);
    const guest = await checkout(shop.keys.web, guestCart, {
      email: 'guest@example.com',
      credits: [{ method: 'store_credit', amount: 100 }],
    });
    expect(guest.status).toBe(422);
    expect(guest.body.errors[0].field).toBe('credits/0/method');
  });
});
