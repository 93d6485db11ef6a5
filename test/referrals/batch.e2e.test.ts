/**
 * Referrals' `order.placed` as a batch consumer (rewards.ts onOrdersPlaced): one read of the batch's
 * orders, a payment only where a trait or a coupon needs it, and every order still judged on the
 * traits of the orders delivered before it in the same batch, as one event at a time would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { statementCounter } from '../helpers/statements.js';
import { HOME_ADDRESS, type Shop } from '../checkout/fixtures.js';
import { CARDS, drain, referralOfOrder, register, setupReferrals, type Shopper } from './fixtures.js';

const counter = statementCounter();

describe('referrals: order.placed a batch at a time', () => {
  let t: TestApp;
  let shop: Shop;
  beforeAll(async () => {
    t = await startTestApp();
    ({ shop } = await setupReferrals(t, 'rb'));
  });
  afterAll(async () => t?.close());

  /** A checkout whose order.placed has not been delivered yet (no drain). */
  async function checkout(
    token: string,
    o: { sku: string; card: string; code?: string; address?: typeof HOME_ADDRESS },
  ): Promise<string> {
    const cart = await t.request('POST', '/v1/carts', { token, body: {} });
    await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token, body: { sku: o.sku, quantity: 1 } });
    if (o.code) {
      const c = await t.request('POST', `/v1/carts/${cart.body.id}/coupons`, { token, body: { code: o.code } });
      expect(c.status).toBe(200);
    }
    const res = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
      token,
      body: {
        delivery: { method: 'home', address: o.address ?? HOME_ADDRESS },
        payment: { provider: 'test', card_number: o.card },
        email: 'x@rb.example.com',
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  }

  it('judges a referral on the card the referrer paid with earlier in the same batch', async () => {
    const ana: Shopper = await register(t, 'rb', 'ana');
    const ben: Shopper = await register(t, 'rb', 'ben');
    const anaCode = (await t.request('GET', `/v1/customers/${ana.id}/referral`, { token: ana.token })).body
      .code as string;
    // Ana pays with a card she has not used before; then Ben uses her code with that very card.
    await checkout(ana.token, { sku: shop.skus[0]!, card: CARDS.other });
    const bens = await checkout(ben.token, {
      sku: shop.skus[1]!,
      card: CARDS.other,
      code: anaCode,
      address: { name: 'Ben', line1: 'Calle Sol 9', city: 'Sevilla', postal_code: '41001', country: 'ES' },
    });
    await drain(t); // both order.placed events reach referrals in one delivery batch, Ana's first
    expect(await referralOfOrder(t, bens)).toMatchObject({ status: 'refused', reason: 'same_payment' });
  });

  it('reads a batch of orders in one statement, and a payment only where it is needed', async () => {
    const guests = [
      await checkout(shop.keys.web, { sku: shop.skus[0]!, card: CARDS.third }),
      await checkout(shop.keys.web, { sku: shop.skus[1]!, card: CARDS.third }),
      await checkout(shop.keys.web, { sku: shop.skus[2]!, card: CARDS.third }),
    ];
    await drain(t);
    const rewards = t.omnia.services.referrals.rewards;
    const db = t.omnia.services.ctx.db;
    counter.reset();
    await db
      .transaction()
      .execute((trx) => rewards.onOrdersPlaced([...guests, 'ord_elsewhere'], trx.withPlugin(counter.plugin)));
    expect(counter.count).toBe(1); // guests without coupons: no payment, no trait (it was two statements per order)

    const cleo = await register(t, 'rb', 'cleo');
    const hers = await checkout(cleo.token, { sku: shop.skus[2]!, card: CARDS.third });
    await drain(t);
    counter.reset();
    await db.transaction().execute((trx) => rewards.onOrdersPlaced([...guests, hers], trx.withPlugin(counter.plugin)));
    expect(counter.count).toBe(3); // the orders, her payment, one insert of her traits (already there: no change)
  });
});
