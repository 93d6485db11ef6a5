import { describe, expect, it } from 'vitest';
import { compile } from './compile.js';
import { priceBasket } from './engine.js';
import { context, line, rule } from './fixtures.js';
import type { PricedLine, PromotionRule, QuoteContext } from './types.js';

const quote = (rules: PromotionRule[], lines: PricedLine[], ctx: Partial<QuoteContext> = {}) =>
  priceBasket(compile(rules), lines, context(ctx));

describe('pricing engine', () => {
  it('prices a basket without promotions and extracts the VAT per rate', () => {
    const q = quote([], [line('A', 12100, 1), line('B', 1100, 2, { tax_rate: 10 })]);
    expect(q.subtotal).toBe(14300);
    expect(q.total).toBe(14300);
    expect(q.discount_total).toBe(0);
    expect(q.tax_breakdown).toEqual([
      { rate: 21, base: 10000, tax: 2100 },
      { rate: 10, base: 2000, tax: 200 },
    ]);
    expect(q.tax_total).toBe(2300);
    expect(q.lines.map((l) => l.tax_amount)).toEqual([2100, 200]);
  });

  it('takes a percentage off items in scope and says why others did not apply', () => {
    const q = quote(
      [
        rule('p10', { kind: 'item_percent', params: { percent: 10 }, scope: { categories: ['women'] } }),
        rule('men', { kind: 'item_percent', params: { percent: 50 }, scope: { categories: ['men'] } }),
        rule('pos', { kind: 'item_percent', params: { percent: 5 }, conditions: { channels: ['chn_pos'] } }),
      ],
      [line('A', 1999, 3), line('M', 5000, 1, { category: 'men/shirts' })],
    );
    expect(q.lines[0]!.discount).toBe(600); // 10 % of 5997 = 599.7 → 600
    expect(q.lines[0]!.applied).toEqual([{ promotion_id: 'p10', name: 'p10', amount: 600, reason: '10% off' }]);
    // another channel's promotion does not exist for this quote: not mentioned at all
    expect(q.lines[0]!.not_applied).toEqual([]);
    expect(q.lines[1]!.applied.map((a) => a.promotion_id)).toEqual(['men']);
    expect(q.total).toBe(5997 - 600 + 2500);
  });

  it('spreads a basket discount over lines by largest remainder, to the cent', () => {
    const q = quote(
      [rule('b', { kind: 'basket_amount', params: { amount: 1000 } })],
      [line('A', 333), line('B', 333), line('C', 334)],
    );
    expect(q.lines.map((l) => l.discount)).toEqual([333, 333, 334]);
    const q2 = quote(
      [rule('b', { kind: 'basket_amount', params: { amount: 100 } })],
      [line('A', 1), line('B', 1), line('C', 1)],
    );
    expect(q2.lines.map((l) => l.discount)).toEqual([1, 1, 1]);
    const q3 = quote(
      [rule('b', { kind: 'basket_percent', params: { percent: 33.33 } })],
      [line('A', 1000), line('B', 2000), line('C', 7)],
    );
    expect(q3.discount_total).toBe(1002); // 33.33 % of 3007 = 1002.23 → 1002
  });

  it('gives the cheapest units away in buy 2 get 1', () => {
    const q = quote(
      [rule('3x2', { kind: 'buy_x_get_y', params: { buy: 2, get: 1 } })],
      [line('A', 3000, 2), line('B', 1000, 1), line('C', 2000, 3)],
    );
    // 6 units → 2 free: the 1000 and one 2000
    expect(q.lines.map((l) => l.discount)).toEqual([0, 1000, 2000]);
    expect(q.lines[0]!.not_applied[0]!.reason).toMatch(/counted towards it/);
    const few = quote([rule('3x2', { kind: 'buy_x_get_y', params: { buy: 2, get: 1 } })], [line('A', 3000, 2)]);
    expect(few.lines[0]!.not_applied[0]!.reason).toMatch(/needs 3 qualifying units, the basket has 2/);
  });

  it('applies the best spend tier on what is left after item promotions', () => {
    const rules = [
      rule('tiers', {
        kind: 'tiered_spend',
        params: {
          tiers: [
            { threshold: 10000, amount: 1000 },
            { threshold: 20000, amount: 2500 },
          ],
        },
      }),
      rule('p10', { kind: 'item_percent', params: { percent: 10 }, scope: { skus: ['A'] } }),
    ];
    const q = quote(rules, [line('A', 11000)]);
    expect(q.lines[0]!.applied.map((a) => [a.promotion_id, a.amount])).toEqual([['p10', 1100]]);
    expect(q.lines[0]!.not_applied[0]!.reason).toMatch(/spend €1.00 more/);
    const q2 = quote(rules, [line('A', 11000), line('B', 12000)]);
    expect(q2.discount_total).toBe(1100 + 2500);
  });

  it('prices a bundle and leaves the remaining units alone', () => {
    const r = rule('look', {
      kind: 'bundle_price',
      params: {
        bundle: {
          price: 15000,
          components: [
            { skus: ['JACKET'], quantity: 1 },
            { skus: ['TROUSERS'], quantity: 1 },
          ],
        },
      },
    });
    const q = quote([r], [line('JACKET', 12000, 2), line('TROUSERS', 6000, 1)]);
    // one bundle: 12000 + 6000 − 15000 = 3000 off, spread 2:1 over the units used
    expect(q.lines.map((l) => l.discount)).toEqual([2000, 1000]);
    expect(quote([r], [line('JACKET', 12000)]).discount_total).toBe(0);
  });

  it('makes shipping free over a threshold and tells the threshold', () => {
    const r = rule('ship', { kind: 'free_shipping', params: { threshold: 5000 } });
    const under = quote([r], [line('A', 4000)], { shipping: { method: 'home', amount: 495 } });
    expect(under.shipping).toEqual({ method: 'home', amount: 495, discount: 0 });
    expect(under.free_shipping_threshold).toBe(5000);
    expect(under.total).toBe(4495);
    expect(under.not_applied[0]!.reason).toMatch(/spend €10.00 more/);
    const over = quote([r], [line('A', 6000)], { shipping: { method: 'home', amount: 495 } });
    expect(over.shipping).toEqual({ method: 'home', amount: 495, discount: 495, free_shipping_reason: 'ship' });
    expect(over.total).toBe(6000);
    expect(over.discount_total).toBe(495);
  });

  it('taxes shipping at the standard rate and keeps the breakdown exact', () => {
    const q = quote([], [line('A', 1000, 1, { tax_rate: 4 })], { shipping: { method: 'home', amount: 605 } });
    expect(q.tax_breakdown).toEqual([
      { rate: 21, base: 500, tax: 105 },
      { rate: 4, base: 962, tax: 38 },
    ]);
    expect(q.total).toBe(1605);
  });

  it('keeps an exclusive promotion alone on its lines, and one promotion per group', () => {
    const rules = [
      rule('excl', {
        kind: 'item_percent',
        params: { percent: 30 },
        scope: { skus: ['A'] },
        stacking: { exclusive: true, priority: 0, group: null },
      }),
      rule('all10', {
        kind: 'item_percent',
        params: { percent: 10 },
        stacking: { exclusive: false, priority: 100, group: 'g' },
      }),
      rule('all5', {
        kind: 'item_percent',
        params: { percent: 5 },
        stacking: { exclusive: false, priority: 50, group: 'g' },
      }),
    ];
    const q = quote(rules, [line('A', 1000), line('B', 1000)]);
    expect(q.lines[0]!.applied.map((a) => a.promotion_id)).toEqual(['excl']);
    expect(q.lines[0]!.not_applied).toEqual([
      { promotion_id: 'all10', reason: 'line taken by exclusive promotion excl' },
      { promotion_id: 'all5', reason: 'group g already used by all10' },
    ]);
    expect(q.lines[1]!.applied.map((a) => a.promotion_id)).toEqual(['all10']);
  });

  it('checks context conditions: window, location, segment, consent, first order, coupon, currency', () => {
    const rules = [
      rule('later', { kind: 'item_percent', params: { percent: 10 }, starts_at: '2026-07-01T00:00:00Z' }),
      rule('store', { kind: 'item_percent', params: { percent: 10 }, conditions: { locations: ['loc_1'] } }),
      rule('vip', { kind: 'item_percent', params: { percent: 10 }, conditions: { segments: ['vip'] } }),
      rule('news', { kind: 'item_percent', params: { percent: 10 }, conditions: { consents: ['marketing_email'] } }),
      rule('first', { kind: 'item_percent', params: { percent: 10 }, conditions: { first_order: true } }),
      rule('coupon', { kind: 'item_percent', params: { percent: 10 }, coupon_required: true }),
      rule('usd', { kind: 'item_amount', params: { amount: 100 }, currency: 'USD' }),
    ];
    const none = quote(rules, [line('A', 1000)]);
    expect(none.discount_total).toBe(0);
    // customer conditions are explained; dates, location, currency and coupon-only ones stay silent
    expect(none.lines[0]!.not_applied).toEqual([
      { promotion_id: 'first', reason: "only for a customer's first order" },
      { promotion_id: 'news', reason: "needs the customer's consent to marketing_email" },
      { promotion_id: 'vip', reason: 'the customer is not in a qualifying segment' },
    ]);
    const all = quote(rules, [line('A', 1000, 1)], {
      at: new Date('2026-07-02T00:00:00Z'),
      location_id: 'loc_1',
      customer: { id: 'cus_1', segments: ['vip'], consents: ['marketing_email'], first_order: true },
      coupon_promotions: new Map([['coupon', 'CODE1']]),
    });
    expect(all.lines[0]!.applied).toHaveLength(6);
    expect(all.coupons).toEqual([{ code: 'CODE1', status: 'applied' }]);
  });

  it('rejects a valid coupon whose promotion does not fit the basket, with the reason', () => {
    const r = rule('c', {
      kind: 'basket_amount',
      params: { amount: 500 },
      coupon_required: true,
      conditions: { min_subtotal: 5000 },
    });
    const q = quote([r], [line('A', 1000)], { coupon_promotions: new Map([['c', 'SAVE5']]) });
    expect(q.coupons[0]).toEqual({
      code: 'SAVE5',
      status: 'rejected',
      reason: expect.stringMatching(/spend €40.00 more/),
    });
  });

  it('applies an automatic promotion once when a coupon names it too', () => {
    // coupons may be made for any promotion; the engine used to meet such a one twice per line
    const rules = [
      rule('auto', { kind: 'item_percent', params: { percent: 10 } }),
      rule('pos', { kind: 'item_percent', params: { percent: 20 }, conditions: { channels: ['chn_pos'] } }),
    ];
    const q = quote(rules, [line('A', 1000)], {
      coupon_promotions: new Map([
        ['auto', 'TEN'],
        ['pos', 'TWENTY'],
      ]),
    });
    expect(q.lines[0]!.applied).toEqual([{ promotion_id: 'auto', name: 'auto', amount: 100, reason: '10% off' }]);
    expect(q.total).toBe(900);
    expect(q.coupons).toEqual([
      { code: 'TEN', status: 'applied' },
      { code: 'TWENTY', status: 'rejected', reason: 'not offered on this channel' },
    ]);
  });

  it('never takes more than a line is worth when amounts stack', () => {
    const rules = [
      rule('a', { kind: 'item_amount', params: { amount: 800 } }),
      rule('b', { kind: 'basket_amount', params: { amount: 5000 } }),
    ];
    const q = quote(rules, [line('A', 1000, 2)]);
    expect(q.lines[0]!.discount).toBe(2000);
    expect(q.total).toBe(0);
    expect(q.tax_total).toBe(0);
  });
});
