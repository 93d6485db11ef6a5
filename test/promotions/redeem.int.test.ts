import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import { AppError } from '../../src/platform/http/problems.js';
import { promotionChecks, type PromotionsService } from '../../src/promotions/index.js';

async function reason(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    expect(err.type).toBe('coupon_invalid');
    return err.extras.reason as string;
  }
}

describe('coupon redemption inside the order transaction', () => {
  let t: TestApp;
  let promotions: PromotionsService;
  let promoId: string;
  const clock = new ManualClock('2026-06-01T12:00:00Z');
  const redemptions = async (code: string) =>
    Number(
      (
        await t.omnia.ctx.db
          .selectFrom('coupon_redemptions')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('code', '=', code)
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await startTestApp({ clock });
    promotions = t.omnia.services.promotions;
    promoId = (
      await promotions.createPromotion({
        name: 'Spring',
        kind: 'basket_percent',
        params: { percent: 10 },
        coupon_required: true,
      })
    ).id;
  });
  afterAll(async () => t?.close());

  it('consumes nothing when the order transaction rolls back', async () => {
    const { codes } = await promotions.createCoupons(promoId, { kind: 'single_use', count: 1 });
    const code = codes[0]!;
    await expect(
      t.omnia.ctx.db.transaction().execute(async (trx) => {
        await promotions.redeem({ order_id: 'ord_1', customer_id: 'cus_a', coupons: [code] }, { trx });
        throw new Error('payment failed');
      }),
    ).rejects.toThrow('payment failed');
    expect(await redemptions(code)).toBe(0);
    expect(
      await promotions.validateCoupon(code, { channel: 'web-x', customer_id: null }).catch((e: AppError) => e.type),
    ).toBe('not_found');
    await t.apiKey('web-x', ['pricing:read']);
    expect((await promotions.validateCoupon(code, { channel: 'web-x' })).valid).toBe(true);
    const done = await promotions.redeem({ order_id: 'ord_2', customer_id: 'cus_a', coupons: [code.toLowerCase()] });
    expect(done).toMatchObject([{ code, promotion_id: promoId, order_id: 'ord_2' }]);
    expect(await reason(promotions.redeem({ order_id: 'ord_3', customer_id: 'cus_b', coupons: [code] }))).toBe(
      'limit_reached',
    );
    expect(await promotions.validateCoupon(code, { channel: 'web-x' })).toMatchObject({
      valid: false,
      reason_code: 'limit_reached',
    });
    const events = await t.omnia.ctx.db
      .selectFrom('outbox')
      .select(['type', 'payload'])
      .where('type', '=', 'coupon.redeemed')
      .execute();
    expect(events).toHaveLength(1);
  });

  it('holds per-customer and total limits, windows, owners and the promotion status', async () => {
    await promotions.createCoupons(promoId, { kind: 'public', code: 'ONCEEACH', per_customer_limit: 1 });
    await promotions.redeem({ order_id: 'ord_10', customer_id: 'cus_a', coupons: ['ONCEEACH'] });
    expect(await reason(promotions.redeem({ order_id: 'ord_11', customer_id: 'cus_a', coupons: ['ONCEEACH'] }))).toBe(
      'customer_limit_reached',
    );
    expect(await reason(promotions.redeem({ order_id: 'ord_12', customer_id: null, coupons: ['ONCEEACH'] }))).toBe(
      'needs_customer',
    );
    expect(
      await reason(promotions.redeem({ order_id: 'ord_13', customer_id: 'cus_b', coupons: ['ONCEEACH'] })),
    ).toBeUndefined();

    await promotions.createCoupons(promoId, { kind: 'public', code: 'TWICE', max_redemptions: 2 });
    await promotions.redeem({ order_id: 'ord_20', coupons: ['TWICE'] });
    await promotions.redeem({ order_id: 'ord_21', coupons: ['TWICE'] });
    expect(await reason(promotions.redeem({ order_id: 'ord_22', coupons: ['TWICE'] }))).toBe('limit_reached');
    expect(await redemptions('TWICE')).toBe(2);

    await promotions.createCoupons(promoId, {
      kind: 'public',
      code: 'JUNEONLY',
      starts_at: '2026-06-01T00:00:00Z',
      ends_at: '2026-07-01T00:00:00Z',
    });
    clock.set('2026-07-01T00:00:00Z');
    expect(await reason(promotions.redeem({ order_id: 'ord_30', coupons: ['JUNEONLY'] }))).toBe('expired');
    clock.set('2026-06-01T12:00:00Z');

    await promotions.createCoupons(promoId, { kind: 'public', code: 'FORANA', customer_id: 'cus_ana' });
    expect(await reason(promotions.redeem({ order_id: 'ord_40', customer_id: 'cus_bob', coupons: ['FORANA'] }))).toBe(
      'other_customer',
    );
    expect(
      await reason(promotions.redeem({ order_id: 'ord_41', customer_id: 'cus_ana', coupons: ['FORANA'] })),
    ).toBeUndefined();

    expect(await reason(promotions.redeem({ order_id: 'ord_50', coupons: ['NOSUCH'] }))).toBe('unknown');

    await promotions.createCoupons(promoId, { kind: 'public', code: 'PAUSED' });
    await promotions.updatePromotion(promoId, { status: 'inactive' });
    expect(await reason(promotions.redeem({ order_id: 'ord_60', coupons: ['PAUSED'] }))).toBe('promotion_inactive');
    expect(await redemptions('PAUSED')).toBe(0);
    await promotions.updatePromotion(promoId, { status: 'active' });
  });

  it('redeems all of an order’s codes or none', async () => {
    const { codes } = await promotions.createCoupons(promoId, { kind: 'single_use', count: 2 });
    await promotions.redeem({ order_id: 'ord_70', coupons: [codes[1]!] });
    expect(await reason(promotions.redeem({ order_id: 'ord_71', coupons: [codes[0]!, codes[1]!] }))).toBe(
      'limit_reached',
    );
    expect(await redemptions(codes[0]!)).toBe(0);
  });

  it('leaves counters equal to the redemption rows (omnia doctor), and the check sees a broken one', async () => {
    const check = promotionChecks[0]!;
    expect((await check.run(t.omnia.ctx.db, clock.now())).status).toBe('ok');
    await t.omnia.ctx.db.updateTable('coupons').set({ redemptions: 0 }).where('code', '=', 'TWICE').execute();
    const broken = await check.run(t.omnia.ctx.db, clock.now());
    expect(broken.status).toBe('fail');
    expect(broken.samples).toEqual([{ code: 'TWICE', redemptions: 0, recorded: 2, max_redemptions: 2 }]);
  });
});
