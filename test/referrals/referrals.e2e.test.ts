import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { inTx } from '../../src/platform/db/tx.js';
import { HOME_ADDRESS, type Shop } from '../checkout/fixtures.js';
import {
  CARDS,
  FRIEND_DISCOUNT,
  REWARD,
  buy,
  collect,
  creditBalance,
  drain,
  referralOfOrder,
  register,
  setupReferrals,
  type Shopper,
} from './fixtures.js';

/**
 * Issue 19 point 2 over HTTP: a customer's code and link; a friend's first order with it gets the
 * programme's promotion from the one pricing engine; the referrer earns store credit when that order
 * is collected, loses it when the order is returned; self-referrals are refused with their reason.
 */
describe('referrals', () => {
  let t: TestApp;
  let shop: Shop;
  let promotionId: string;
  let ana: Shopper;
  let anaCode: string;
  const clickCollect = () => ({ method: 'click_collect', location_id: shop.store.id });

  beforeAll(async () => {
    t = await startTestApp();
    ({ shop, promotionId } = await setupReferrals(t, 'rf'));
    ana = await register(t, 'rf', 'ana');
    // Ana's own first order (no code): her home address and her card become what a self-referral would share.
    await buy(t, ana, {
      sku: shop.skus[2]!,
      card: CARDS.ana,
      delivery: { method: 'home', address: HOME_ADDRESS },
    });
  });
  afterAll(async () => t?.close());

  it('sets the programme only with a first-order, coupon-only promotion', async () => {
    const open = await t.request('POST', '/v1/promotions', {
      // inactive, so that it never discounts the friends' orders below
      body: { name: 'Everyone 5%', kind: 'basket_percent', params: { percent: 5 }, status: 'inactive' },
    });
    const bad = await t.request('PUT', '/v1/referral-programme', {
      body: { promotion_id: open.body.id, reward: { amount: 500, currency: 'EUR' }, link_base: 'https://x.example' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'promotion_id',
      'promotion_id',
      'promotion_id',
    ]);
    const noUrl = await t.request('PUT', '/v1/referral-programme', {
      body: { promotion_id: promotionId, reward: { amount: 500, currency: 'EUR' }, link_base: 'not a url at all' },
    });
    expect(noUrl.status).toBe(400);
    const unknown = await t.request('PUT', '/v1/referral-programme', {
      body: { promotion_id: 'prm_nope', reward: { amount: 500, currency: 'EUR' }, link_base: 'https://x.example' },
    });
    expect(unknown.status).toBe(400);
    const got = await t.request('GET', '/v1/referral-programme');
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ promotion_id: promotionId, reward: { amount: REWARD, currency: 'EUR' } });
  });

  it('gives a customer one stable code and share link; another customer cannot read it', async () => {
    const first = await t.request('GET', `/v1/customers/${ana.id}/referral`, { token: ana.token });
    expect(first.status).toBe(200);
    expect(first.body.code).toMatch(/^REF[0-9A-Z]{8}$/);
    expect(first.body.link).toContain(`referral=${first.body.code}`);
    expect(first.body.link.startsWith('https://shop.example.com/invite?')).toBe(true);
    anaCode = first.body.code;
    const again = await t.request('GET', `/v1/customers/${ana.id}/referral`, { token: ana.token });
    expect(again.body.code).toBe(anaCode);
    // Staff see the same code.
    expect((await t.request('GET', `/v1/customers/${ana.id}/referral`)).body.code).toBe(anaCode);
    const stranger = await register(t, 'rf', 'stranger');
    const peek = await t.request('GET', `/v1/customers/${ana.id}/referral`, { token: stranger.token });
    expect(peek.status).toBe(404);
    // Once codes exist, the programme's promotion is not swapped (each code is its coupon).
    const other = await t.request('POST', '/v1/promotions', {
      body: {
        name: 'Other welcome',
        kind: 'basket_amount',
        params: { amount: 200 },
        conditions: { first_order: true },
        coupon_required: true,
      },
    });
    const swap = await t.request('PUT', '/v1/referral-programme', {
      body: {
        promotion_id: other.body.id,
        reward: { amount: REWARD, currency: 'EUR' },
        link_base: 'https://x.example',
      },
    });
    expect(swap.status).toBe(409);
  });

  it('credits the referrer when the friend collects, and takes it back when the order is returned', async () => {
    const bea = await register(t, 'rf', 'bea');
    const order = await buy(t, bea, { sku: shop.skus[4]!, code: anaCode, card: CARDS.other, delivery: clickCollect() });
    expect(order.discount).toBe(FRIEND_DISCOUNT);
    let referral = await referralOfOrder(t, order.id);
    expect(referral).toMatchObject({ status: 'pending', referrer_id: ana.id, friend_id: bea.id, reason: null });
    expect(await creditBalance(t, ana)).toBe(0);

    await collect(t, order.id);
    referral = await referralOfOrder(t, order.id);
    expect(referral).toMatchObject({ status: 'credited', reward: { amount: REWARD, currency: 'EUR' } });
    expect(await creditBalance(t, ana)).toBe(REWARD);
    // Events repeat: delivering the collection again credits nothing more.
    await inTx(t.omnia.services.ctx.db, undefined, (trx) =>
      t.omnia.services.referrals.rewards.onDelivered(order.id, trx),
    );
    expect(await creditBalance(t, ana)).toBe(REWARD);

    // Ana sees her referral, without her friend's id.
    const mine = await t.request('GET', `/v1/customers/${ana.id}/referrals`, { token: ana.token });
    expect(mine.status).toBe(200);
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).not.toHaveProperty('friend_id');
    expect(mine.body.items[0].status).toBe('credited');

    const line = order.lines[0]!;
    const ret = await t.request('POST', '/v1/returns', {
      body: {
        order_id: order.id,
        lines: [{ line_id: line.line_id, quantity: 1, reason: 'too big' }],
        channel: 'rf-web',
        location_id: shop.store.id,
        refund: 'original',
      },
    });
    expect(ret.status).toBe(201);
    await drain(t);
    referral = await referralOfOrder(t, order.id);
    expect(referral).toMatchObject({ status: 'reversed', reversed: { amount: REWARD, unrecovered: 0 } });
    expect(await creditBalance(t, ana)).toBe(0);
    const one = await t.request('GET', `/v1/referrals/${referral!.id}`, { token: ana.token });
    expect(one.status).toBe(200);
    expect(one.body.status).toBe('reversed');
  });

  it('keeps the reward when the friend exchanges the bag for another (a swap is still a sale)', async () => {
    const cora = await register(t, 'rf', 'cora');
    const order = await buy(t, cora, {
      sku: shop.skus[4]!,
      code: anaCode,
      card: CARDS.third,
      delivery: clickCollect(),
    });
    await collect(t, order.id);
    expect(await referralOfOrder(t, order.id)).toMatchObject({ status: 'credited' });
    const before = await creditBalance(t, ana);
    const line = order.lines[0]!;
    const swap = await t.request('POST', '/v1/returns', {
      body: {
        order_id: order.id,
        lines: [{ line_id: line.line_id, quantity: 1, reason: 'scratched' }],
        channel: 'rf-web',
        location_id: shop.store.id,
        refund: 'original',
        exchange: [{ for_line_id: line.line_id, sku: shop.skus[4]!, quantity: 1 }],
        exchange_delivery: 'now',
      },
    });
    expect(swap.status, JSON.stringify(swap.body)).toBe(201);
    await drain(t);
    expect(await referralOfOrder(t, order.id)).toMatchObject({ status: 'credited' });
    expect(await creditBalance(t, ana)).toBe(before);
  });
});
