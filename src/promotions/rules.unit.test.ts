import { describe, expect, it } from 'vitest';
import { couponRejection, exclusiveOverlap, normalizeCode, promotionErrors, type SkuFacts } from './rules.js';
import { rule } from './fixtures.js';
import { randomCode, CODE_ALPHABET } from './codes.js';
import { distribute, includedTax, mulDivRound, toBasisPoints } from './rounding.js';
import type { PromotionRule } from './types.js';

const fields = (r: PromotionRule) => promotionErrors(r).map((e) => e.field);

describe('promotion definitions', () => {
  it('accepts well-formed promotions of every kind', () => {
    const ok: PromotionRule[] = [
      rule('a', { kind: 'item_percent', params: { percent: 12.5 } }),
      rule('b', { kind: 'item_amount', params: { amount: 500 } }),
      rule('c', {
        kind: 'tiered_spend',
        params: {
          tiers: [
            { threshold: 10000, amount: 1000 },
            { threshold: 20000, percent: 10 },
          ],
        },
      }),
      rule('d', { kind: 'buy_x_get_y', params: { buy: 2, get: 1 } }),
      rule('e', {
        kind: 'bundle_price',
        params: {
          bundle: {
            price: 9900,
            components: [
              { skus: ['A'], quantity: 1 },
              { categories: ['b'], quantity: 2 },
            ],
          },
        },
      }),
      rule('f', { kind: 'free_shipping', params: { threshold: 0 } }),
    ];
    for (const r of ok) expect(promotionErrors(r)).toEqual([]);
  });

  it('refuses negative, zero, over-100 % and over-precise values, and parameters of another kind', () => {
    expect(fields(rule('x', { kind: 'item_percent', params: { percent: 100.01 } }))).toEqual(['params/percent']);
    expect(fields(rule('x', { kind: 'item_percent', params: { percent: 0 } }))).toEqual(['params/percent']);
    expect(fields(rule('x', { kind: 'item_percent', params: { percent: 10.001 } }))).toEqual(['params/percent']);
    expect(fields(rule('x', { kind: 'basket_amount', params: { amount: -1 } }))).toEqual(['params/amount']);
    expect(fields(rule('x', { kind: 'basket_amount', params: { amount: 1.5 } }))).toEqual(['params/amount']);
    expect(fields(rule('x', { kind: 'basket_amount', params: {} }))).toEqual(['params/amount']);
    expect(fields(rule('x', { kind: 'basket_amount', params: { amount: 100, percent: 5 } }))).toEqual([
      'params/percent',
    ]);
    expect(
      fields(
        rule('x', {
          kind: 'tiered_spend',
          params: {
            tiers: [
              { threshold: 100, amount: 10, percent: 5 },
              { threshold: 100, amount: 5 },
            ],
          },
        }),
      ),
    ).toEqual(['params/tiers/0', 'params/tiers/1/threshold']);
    expect(fields(rule('x', { kind: 'buy_x_get_y', params: { buy: 0, get: 1 } }))).toEqual(['params/buy']);
    expect(
      fields(
        rule('x', {
          kind: 'bundle_price',
          params: { bundle: { price: 100, components: [{ quantity: 1 }] } },
          scope: { skus: ['A'] },
        }),
      ),
    ).toEqual(['params/bundle/components/0', 'scope']);
    expect(
      fields(
        rule('x', {
          kind: 'item_percent',
          params: { percent: 5 },
          starts_at: '2026-02-01T00:00:00Z',
          ends_at: '2026-01-01T00:00:00Z',
        }),
      ),
    ).toEqual(['ends_at']);
    expect(
      fields(rule('x', { kind: 'item_percent', params: { percent: 5 }, conditions: { min_subtotal: -5 } })),
    ).toEqual(['conditions/min_subtotal']);
  });
});

describe('overlapping exclusive promotions', () => {
  const facts: SkuFacts = new Map([
    ['SHOE', { sku: 'SHOE', product_id: 'prd_1', category: 'women/shoes', size: '38' }],
    ['BAG', { sku: 'BAG', product_id: 'prd_2', category: 'women/bags', size: null }],
  ]);
  const ex = (id: string, over: Partial<PromotionRule>) =>
    rule(id, {
      kind: 'item_percent',
      params: { percent: 10 },
      stacking: { exclusive: true, priority: 0, group: null },
      ...over,
    });

  it('overlap needs intersecting windows, channels, locations and items', () => {
    const a = ex('a', {
      scope: { categories: ['women'] },
      starts_at: '2026-06-01T00:00:00Z',
      ends_at: '2026-06-10T00:00:00Z',
    });
    expect(exclusiveOverlap(ex('b', { scope: { categories: ['women/shoes'] } }), a, facts)).toBe(true);
    expect(exclusiveOverlap(ex('b', { scope: { skus: ['SHOE'] } }), a, facts)).toBe(true);
    expect(exclusiveOverlap(ex('b', { scope: { categories: ['men'] } }), a, facts)).toBe(false);
    expect(exclusiveOverlap(ex('b', { scope: { skus: ['SHOE'] }, starts_at: '2026-06-10T00:00:00Z' }), a, facts)).toBe(
      false,
    );
    expect(
      exclusiveOverlap(
        ex('b', { scope: { skus: ['SHOE'] }, conditions: { channels: ['chn_pos'] } }),
        ex('c', { conditions: { channels: ['chn_web'] } }),
        facts,
      ),
    ).toBe(false);
    expect(exclusiveOverlap(ex('b', { scope: { sizes: ['40'] } }), ex('c', { scope: { skus: ['SHOE'] } }), facts)).toBe(
      false,
    );
    expect(
      exclusiveOverlap(
        ex('b', { scope: { skus: ['BAG'] } }),
        ex('c', { scope: { categories: ['women/shoes'] } }),
        facts,
      ),
    ).toBe(false);
    expect(
      exclusiveOverlap(
        ex('b', { scope: { skus: ['UNKNOWN'] } }),
        ex('c', { scope: { categories: ['women/shoes'] } }),
        facts,
      ),
    ).toBe(true);
    expect(exclusiveOverlap(rule('b', { kind: 'item_percent', params: { percent: 5 } }), a, facts)).toBe(false);
    expect(
      exclusiveOverlap(
        ex('b', { kind: 'free_shipping', params: { threshold: 0 } }),
        ex('c', { kind: 'free_shipping', params: { threshold: 0 } }),
        facts,
      ),
    ).toBe(false);
  });
});

describe('coupons', () => {
  const base = {
    active: true,
    starts_at: null,
    ends_at: null,
    customer_id: null,
    max_redemptions: null,
    per_customer_limit: null,
    redemptions: 0,
  };
  const at = new Date('2026-06-01T12:00:00Z');
  const ctx = { at, customer_id: 'cus_1', customer_redemptions: 0 };

  it('judges state, window, owner and limits', () => {
    expect(couponRejection(base, ctx)).toBeNull();
    expect(couponRejection({ ...base, active: false }, ctx)).toBe('disabled');
    expect(couponRejection({ ...base, starts_at: '2026-06-02T00:00:00Z' }, ctx)).toBe('not_started');
    expect(couponRejection({ ...base, ends_at: '2026-06-01T12:00:00Z' }, ctx)).toBe('expired');
    expect(couponRejection({ ...base, customer_id: 'cus_2' }, ctx)).toBe('other_customer');
    expect(couponRejection({ ...base, customer_id: 'cus_2' }, { ...ctx, customer_id: null })).toBe('needs_customer');
    expect(couponRejection({ ...base, max_redemptions: 1, redemptions: 1 }, ctx)).toBe('limit_reached');
    expect(couponRejection({ ...base, per_customer_limit: 2 }, { ...ctx, customer_redemptions: 2 })).toBe(
      'customer_limit_reached',
    );
    expect(couponRejection({ ...base, per_customer_limit: 2 }, { ...ctx, customer_id: null })).toBe('needs_customer');
  });

  it('normalises codes and draws unambiguous random ones', () => {
    expect(normalizeCode(' summer-10 ')).toBe('SUMMER10');
    const codes = Array.from({ length: 2000 }, () => randomCode('X'));
    expect(new Set(codes).size).toBe(2000);
    for (const c of codes) expect(c).toMatch(new RegExp(`^X[${CODE_ALPHABET}]{12}$`));
    expect(CODE_ALPHABET).not.toMatch(/[01OIL]/);
    // every symbol is drawn (no symbol stuck out by a biased draw)
    expect(new Set(codes.join('').slice(0)).size).toBeGreaterThanOrEqual(CODE_ALPHABET.length);
  });
});

describe('integer money arithmetic', () => {
  it('rounds half up and stays exact past 2^53', () => {
    expect(mulDivRound(5, 1, 2)).toBe(3);
    expect(mulDivRound(4, 1, 3)).toBe(1);
    expect(mulDivRound(99_999_999_999, 9_999, 10_000)).toBe(99_989_999_999);
    expect(toBasisPoints(12.5)).toBe(1250);
    expect(() => toBasisPoints(12.345)).toThrow();
    expect(includedTax(12100, 21)).toBe(2100);
    expect(includedTax(1055, 5.5)).toBe(55);
    expect(distribute(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(distribute(3 * 2 ** 40 + 1, [2 ** 40, 2 ** 41, 3])).toEqual([1099511627775, 2199023255551, 3]); // products past 2^53: BigInt path
  });
});
