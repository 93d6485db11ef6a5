import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { AppError } from '../../src/platform/http/problems.js';
import { promotionChecks, type PromotionsService } from '../../src/promotions/index.js';

/**
 * Two channels (say the web shop and a store till) place orders with the same single-use code at
 * the same instant, each in its own order transaction on its own connection. Exactly one may win.
 */
describe('single-use coupons under concurrency (PostgreSQL)', () => {
  let t: TestApp;
  let promotions: PromotionsService;
  let promoId: string;

  beforeAll(async () => {
    t = await startTestApp({ database: await createTestDatabase({ forcePg: true, poolSize: 12 }) });
    promotions = t.omnia.services.promotions;
    promoId = (
      await promotions.createPromotion({
        name: 'Race',
        kind: 'basket_percent',
        params: { percent: 10 },
        coupon_required: true,
      })
    ).id;
  });
  afterAll(async () => t?.close());

  /** One order transaction: redeem, then hold the transaction open a moment so the racers overlap. */
  const order = (orderId: string, customerId: string, code: string) =>
    t.omnia.ctx.db
      .transaction()
      .execute(async (trx) => {
        await promotions.redeem({ order_id: orderId, customer_id: customerId, coupons: [code] }, { trx });
        await new Promise((r) => setTimeout(r, 20));
      })
      .then(
        () => 'won' as const,
        (err: unknown) => {
          if (err instanceof AppError && err.type === 'coupon_invalid') return 'refused' as const;
          throw err;
        },
      );

  it('lets exactly one of two channels redeem a single-use code', async () => {
    const { codes } = await promotions.createCoupons(promoId, { kind: 'single_use', count: 20 });
    for (const [i, code] of codes.entries()) {
      const results = await Promise.all([order(`ord_web_${i}`, 'cus_1', code), order(`ord_pos_${i}`, 'cus_2', code)]);
      expect(results.sort()).toEqual(['refused', 'won']);
    }
    const rows = await t.omnia.ctx.db
      .selectFrom('coupons')
      .select(['code', 'redemptions'])
      .where('code', 'in', codes)
      .execute();
    expect(rows.every((r) => r.redemptions === 1)).toBe(true);
    const used = await t.omnia.ctx.db
      .selectFrom('coupon_redemptions')
      .select('code')
      .where('code', 'in', codes)
      .execute();
    expect(used).toHaveLength(codes.length);
  });

  it('never exceeds a total limit, nor a per-customer limit, however many race', async () => {
    await promotions.createCoupons(promoId, { kind: 'public', code: 'FIRSTFIVE', max_redemptions: 5 });
    const many = await Promise.all(
      Array.from({ length: 10 }, (_, i) => order(`ord_many_${i}`, `cus_${i}`, 'FIRSTFIVE')),
    );
    expect(many.filter((r) => r === 'won')).toHaveLength(5);

    await promotions.createCoupons(promoId, { kind: 'public', code: 'ONEEACH', per_customer_limit: 1 });
    const same = await Promise.all(Array.from({ length: 4 }, (_, i) => order(`ord_same_${i}`, 'cus_same', 'ONEEACH')));
    expect(same.filter((r) => r === 'won')).toHaveLength(1);
    expect((await promotionChecks[0]!.run(t.omnia.ctx.db, new Date())).status).toBe('ok');
  });
});
