import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { inTx } from '../../src/platform/db/tx.js';
import { HOME_ADDRESS, type Shop } from '../checkout/fixtures.js';
import {
  CARDS,
  FRIEND_DISCOUNT,
  REWARD,
  buy,
  creditBalance,
  drain,
  handover,
  readyForPickup,
  referralOfOrder,
  register,
  setupReferrals,
  type Shopper,
} from './fixtures.js';

/**
 * PostgreSQL only (PGlite has one connection and cannot race): the places where two requests or two
 * event deliveries meet — one person's code asked for at once, two first orders of one friend with one
 * code at once, and the delivery and return events of one order handled in parallel transactions.
 */
describe('referral races (PostgreSQL)', () => {
  let t: TestApp;
  let shop: Shop;
  let ana: Shopper;
  let anaCode: string;

  beforeAll(async () => {
    t = await startTestApp();
    ({ shop } = await setupReferrals(t, 'rr'));
    ana = await register(t, 'rr', 'ana');
    await buy(t, ana, { sku: shop.skus[2]!, card: CARDS.ana, delivery: { method: 'home', address: HOME_ADDRESS } });
  });
  afterAll(async () => t?.close());

  it('makes one code for a person asked for eight times at once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => t.request('GET', `/v1/customers/${ana.id}/referral`, { token: ana.token })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    const codes = new Set(answers.map((a) => a.body.code));
    expect(codes.size).toBe(1);
    anaCode = [...codes][0]!;
    const rows = await t.database.db
      .selectFrom('referral_codes')
      .selectAll()
      .where('customer_id', '=', ana.id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('gives two friends using one code at once each their discount and their own referral', async () => {
    // One friend cannot race herself: a person has one cart across devices and channels, and the
    // checkout serialises a customer's first orders (test/checkout/first-order.e2e.test.ts).
    const friends = [await register(t, 'rr', 'bea'), await register(t, 'rr', 'bo')];
    const carts: string[] = [];
    for (const f of friends) {
      const cart = await t.request('POST', '/v1/carts', { token: f.token, body: {} });
      await t.request('POST', `/v1/carts/${cart.body.id}/items`, {
        token: f.token,
        body: { sku: shop.skus[4]!, quantity: 1 },
      });
      const c = await t.request('POST', `/v1/carts/${cart.body.id}/coupons`, {
        token: f.token,
        body: { code: anaCode },
      });
      expect(c.status).toBe(200);
      carts.push(cart.body.id);
    }
    const results = await Promise.all(
      friends.map((f, i) =>
        t.request('POST', `/v1/carts/${carts[i]}/checkout`, {
          token: f.token,
          body: {
            delivery: { method: 'click_collect', location_id: shop.store.id },
            payment: { provider: 'test', card_number: i === 0 ? CARDS.other : CARDS.third },
          },
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201]);
    expect(results.map((r) => r.body.discount_total.amount)).toEqual([FRIEND_DISCOUNT, FRIEND_DISCOUNT]);
    await drain(t);
    for (const [i, f] of friends.entries())
      expect(await referralOfOrder(t, results[i]!.body.id)).toMatchObject({ friend_id: f.id, status: 'pending' });
  });

  it('credits once when the delivery is handled by four transactions at once, and reverses once', async () => {
    const cleo = await register(t, 'rr', 'cleo');
    const order = await buy(t, cleo, {
      sku: shop.skus[4]!,
      code: anaCode,
      card: CARDS.third,
      delivery: { method: 'click_collect', location_id: shop.store.id },
    });
    const before = await creditBalance(t, ana);
    const db = t.omnia.services.ctx.db;
    const rewards = t.omnia.services.referrals.rewards;
    const ready = await readyForPickup(t, order.id);
    expect((await referralOfOrder(t, order.id))!.status).toBe('pending');
    await Promise.all(
      Array.from({ length: 4 }, () => inTx(db, undefined, (trx) => rewards.onDelivered(order.id, trx))),
    );
    expect(await creditBalance(t, ana)).toBe(before + REWARD);
    expect((await referralOfOrder(t, order.id))!.status).toBe('credited');
    // The real handover's event comes after: nothing more.
    await handover(t, ready);
    expect(await creditBalance(t, ana)).toBe(before + REWARD);
    // The same return delivered three times at once (and once more by the dispatcher): counted once, reversed once.
    const ret = await t.request('POST', '/v1/returns', {
      body: {
        order_id: order.id,
        lines: [{ line_id: order.lines[0]!.line_id, quantity: 1, reason: 'changed my mind' }],
        channel: 'rr-web',
        location_id: shop.store.id,
        refund: 'original',
      },
    });
    expect(ret.status, JSON.stringify(ret.body)).toBe(201);
    await Promise.all(
      Array.from({ length: 3 }, () =>
        inTx(db, undefined, (trx) => rewards.onReturnReceived(order.id, ret.body.id, trx)),
      ),
    );
    await drain(t);
    expect(await creditBalance(t, ana)).toBe(before);
    expect(await referralOfOrder(t, order.id)).toMatchObject({
      status: 'reversed',
      reversed: { amount: REWARD, unrecovered: 0 },
    });
  });
});
