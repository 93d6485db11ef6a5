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
 * The identity graph refuses self-referral: the same person, a shared device, the referrer's address
 * or the referrer's card — each refusal recorded with its reason and visible over HTTP, and never
 * credited. And the other ways a referral ends: credited on a home delivery, voided by a cancellation.
 */
describe('self-referral and the other endings of a referral', () => {
  let t: TestApp;
  let shop: Shop;
  let ana: Shopper;
  let anaCode: string;
  const clickCollect = () => ({ method: 'click_collect', location_id: shop.store.id });
  const codeOf = async (who: Shopper) =>
    (await t.request('GET', `/v1/customers/${who.id}/referral`, { token: who.token })).body.code as string;

  beforeAll(async () => {
    t = await startTestApp();
    ({ shop } = await setupReferrals(t, 'sr'));
    ana = await register(t, 'sr', 'ana');
    await buy(t, ana, { sku: shop.skus[2]!, card: CARDS.ana, delivery: { method: 'home', address: HOME_ADDRESS } });
    anaCode = await codeOf(ana);
  });
  afterAll(async () => t?.close());

  const expectRefused = async (orderId: string, reason: string) => {
    const r = await referralOfOrder(t, orderId);
    expect(r).toMatchObject({ status: 'refused', reason, referrer_id: ana.id });
    expect(r!.detail).toEqual(expect.any(String));
    const one = await t.request('GET', `/v1/referrals/${r!.id}`);
    expect(one.body).toMatchObject({ status: 'refused', reason });
    return r!;
  };

  it('refuses the same person’s own code in the pricing engine, before any order', async () => {
    const carla = await register(t, 'sr', 'carla');
    const own = await codeOf(carla);
    const cart = await t.request('POST', '/v1/carts', { token: carla.token, body: {} });
    await t.request('POST', `/v1/carts/${cart.body.id}/items`, {
      token: carla.token,
      body: { sku: shop.skus[4]!, quantity: 1 },
    });
    const tried = await t.request('POST', `/v1/carts/${cart.body.id}/coupons`, {
      token: carla.token,
      body: { code: own },
    });
    expect(tried.status).toBe(422);
    expect(tried.body).toMatchObject({
      code: 'coupon_invalid',
      reason: 'a shopper cannot use their own referral code',
    });
    const check = await t.request('POST', '/v1/coupons/validate', { token: carla.token, body: { code: own } });
    expect(check.body).toMatchObject({ valid: false, reason_code: 'own_code' });
    // a friend may still use it
    const fine = await t.request('POST', '/v1/coupons/validate', { token: ana.token, body: { code: own } });
    expect(fine.body).toMatchObject({ valid: true });
    // no order, no referral: nothing was recorded for Carla
    const mine = await t.request('GET', `/v1/customers/${carla.id}/referrals`, { token: carla.token });
    expect(mine.body.items).toEqual([]);
  });

  it('refuses a friend on the referrer’s device', async () => {
    const fran = await register(t, 'sr', 'fran');
    for (const who of [ana, fran]) {
      const linked = await t.request('POST', '/v1/identify', {
        body: { customer_id: who.id, identifiers: { device_id: 'tablet-of-the-family' } },
      });
      expect(linked.status).toBe(200);
    }
    const order = await buy(t, fran, {
      sku: shop.skus[4]!,
      code: anaCode,
      card: CARDS.third,
      delivery: clickCollect(),
    });
    await expectRefused(order.id, 'same_device');
  });

  it('refuses an order sent to the referrer’s address, however it is spelled', async () => {
    const dani = await register(t, 'sr', 'dani');
    const address = { ...HOME_ADDRESS, name: 'Dani', line1: '3, CALLE LUNA' };
    const order = await buy(t, dani, {
      sku: shop.skus[1]!,
      code: anaCode,
      card: CARDS.other,
      delivery: { method: 'home', address },
    });
    await expectRefused(order.id, 'same_address');
  });

  it('refuses an order paid with the referrer’s card, and its collection earns nothing', async () => {
    const eva = await register(t, 'sr', 'eva');
    const order = await buy(t, eva, { sku: shop.skus[4]!, code: anaCode, card: CARDS.ana, delivery: clickCollect() });
    // The friend's discount still came from the engine (the check judges the reward, after the order).
    expect(order.discount).toBe(FRIEND_DISCOUNT);
    await expectRefused(order.id, 'same_payment');
    await collect(t, order.id);
    expect((await referralOfOrder(t, order.id))!.status).toBe('refused');
    expect(await creditBalance(t, ana)).toBe(0);
  });

  it('lists the refused referrals with their reasons for the retailer', async () => {
    const refused = await t.request('GET', '/v1/referrals?status=refused');
    expect(refused.status).toBe(200);
    // same_person never reaches an order: the pricing engine refused the code (test above)
    expect(refused.body.items.map((r: { reason: string }) => r.reason).sort()).toEqual([
      'same_address',
      'same_device',
      'same_payment',
    ]);
    const bad = await t.request('GET', '/v1/referrals?status=maybe');
    expect(bad.status).toBe(400);
  });

  it('credits on a home delivery, once, even when order.placed is delivered twice', async () => {
    const gus = await register(t, 'sr', 'gus');
    const address = { name: 'Gus', line1: 'Calle Sol 9', city: 'Sevilla', postal_code: '41001', country: 'ES' };
    const order = await buy(t, gus, {
      sku: shop.skus[0]!,
      code: anaCode,
      card: CARDS.third,
      delivery: { method: 'home', address },
    });
    expect((await referralOfOrder(t, order.id))!.status).toBe('pending');
    const db = t.omnia.services.ctx.db;
    await inTx(db, undefined, (trx) => t.omnia.services.referrals.rewards.onOrderPlaced(order.id, trx));
    const all = await t.request('GET', '/v1/referrals?limit=500');
    expect(all.body.items.filter((r: { order_id: string }) => r.order_id === order.id)).toHaveLength(1);

    const [task] = await t.omnia.services.fulfillment.ofOrder(order.id);
    for (const body of [
      { action: 'accept' },
      { action: 'pick' },
      { action: 'pack' },
      { action: 'ship', tracking: 'TRK-1' },
    ]) {
      const r = await t.request('POST', `/v1/fulfillments/${task!.id}/actions`, { body });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    await drain(t);
    expect((await referralOfOrder(t, order.id))!.status).toBe('pending'); // shipped is not delivered
    // What the carrier's tracking does when it reports the parcel delivered.
    await inTx(db, undefined, (trx) => t.omnia.services.fulfillment.carrierDelivered(task!.id, { trx }));
    await drain(t);
    expect(await referralOfOrder(t, order.id)).toMatchObject({ status: 'credited' });
    expect(await creditBalance(t, ana)).toBe(REWARD);
  });

  it('ignores an order.placed about an order this database does not hold', async () => {
    const db = t.omnia.services.ctx.db;
    await expect(
      inTx(db, undefined, (trx) => t.omnia.services.referrals.rewards.onOrderPlaced('ord_elsewhere', trx)),
    ).resolves.toBeUndefined();
  });

  it('voids a pending referral when its order is cancelled', async () => {
    const hana = await register(t, 'sr', 'hana');
    const order = await buy(t, hana, {
      sku: shop.skus[4]!,
      code: anaCode,
      card: CARDS.third,
      delivery: clickCollect(),
    });
    const cancel = await t.request('POST', `/v1/orders/${order.id}/cancel`, { body: {} });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    await drain(t);
    expect(await referralOfOrder(t, order.id)).toMatchObject({ status: 'void', reason: 'order_cancelled' });
  });

  it('forgets an erased person’s addresses and cards', async () => {
    const erase = await t.request('DELETE', `/v1/customers/${ana.id}`);
    expect(erase.status, JSON.stringify(erase.body)).toBeLessThan(300);
    await drain(t);
    const left = await t.database.db
      .selectFrom('referral_traits')
      .select('hash')
      .where('customer_id', '=', ana.id)
      .execute();
    expect(left).toEqual([]);
  });
});
