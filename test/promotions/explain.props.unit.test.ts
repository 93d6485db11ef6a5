/**
 * Explanations are built only on request (issue 17): a quote priced without them must carry exactly
 * the same amounts, `applied` lists, shipping and coupon verdicts (a rejected coupon keeps its reason)
 * as the explained one; only the `not_applied` verdicts are left out.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/promotions/compile.js';
import { priceBasket } from '../../src/promotions/engine.js';
import { context, line, paramsOf, rule } from '../../src/promotions/fixtures.js';
import type { CustomerFacts, PricedLine, PromotionKind, PromotionRule, Quote } from '../../src/promotions/types.js';

const SKUS = ['A', 'B', 'C', 'D', 'E'];
const CATS = ['women/shoes', 'women/bags', 'men/shirts'];
const catOf = (sku: string) => CATS[sku.charCodeAt(0) % CATS.length]!;
const KINDS: PromotionKind[] = [
  'item_percent',
  'item_amount',
  'basket_percent',
  'basket_amount',
  'tiered_spend',
  'buy_x_get_y',
  'bundle_price',
  'free_shipping',
];

const scopeArb = fc.oneof(
  fc.constant({}),
  fc.record({ skus: fc.uniqueArray(fc.constantFrom(...SKUS), { minLength: 1, maxLength: 3 }) }),
  fc.record({ categories: fc.uniqueArray(fc.constantFrom('women', ...CATS), { minLength: 1, maxLength: 2 }) }),
);

/** Every kind, and every reason a promotion may not apply: context, coupon, group, exclusive, minimum. */
function ruleArb(id: string): fc.Arbitrary<PromotionRule> {
  return fc
    .record({
      kind: fc.constantFrom(...KINDS),
      scope: scopeArb,
      percent: fc.integer({ min: 1, max: 10_000 }).map((bp) => bp / 100),
      amount: fc.integer({ min: 1, max: 20_000 }),
      buy: fc.integer({ min: 1, max: 3 }),
      get: fc.integer({ min: 1, max: 2 }),
      tiers: fc.uniqueArray(
        fc.record({ threshold: fc.integer({ min: 0, max: 30_000 }), amount: fc.integer({ min: 1, max: 5_000 }) }),
        { minLength: 1, maxLength: 3, selector: (t) => t.threshold },
      ),
      comps: fc.array(
        fc.record({
          skus: fc.uniqueArray(fc.constantFrom(...SKUS), { minLength: 1, maxLength: 2 }),
          quantity: fc.integer({ min: 1, max: 2 }),
        }),
        { minLength: 1, maxLength: 2 },
      ),
      exclusive: fc.boolean(),
      priority: fc.integer({ min: -3, max: 3 }),
      group: fc.constantFrom(null, 'g1', 'g2'),
      min: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: undefined }),
      channel: fc.constantFrom(undefined, 'chn_web', 'chn_pos'),
      segment: fc.boolean(),
      consent: fc.boolean(),
      firstOrder: fc.boolean(),
      coupon: fc.boolean(),
      window: fc.constantFrom('open', 'past', 'future'),
    })
    .map((r) => {
      const params = paramsOf(r);
      return rule(id, {
        kind: r.kind,
        params,
        scope: r.kind === 'bundle_price' ? {} : r.scope,
        conditions: {
          ...(r.min !== undefined ? { min_subtotal: r.min } : {}),
          ...(r.channel ? { channels: [r.channel] } : {}),
          ...(r.segment ? { segments: ['vip'] } : {}),
          ...(r.consent ? { consents: ['marketing_email'] } : {}),
          ...(r.firstOrder ? { first_order: true } : {}),
        },
        stacking: { exclusive: r.exclusive, priority: r.priority, group: r.group },
        coupon_required: r.coupon,
        starts_at: r.window === 'future' ? '2027-01-01T00:00:00Z' : null,
        ends_at: r.window === 'past' ? '2026-01-01T00:00:00Z' : null,
      });
    });
}

const rulesArb = fc
  .integer({ min: 0, max: 10 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => ruleArb(`p${i}`))));

const linesArb = fc
  .array(
    fc.record({
      sku: fc.constantFrom(...SKUS),
      price: fc.integer({ min: 0, max: 50_000 }),
      qty: fc.integer({ min: 1, max: 5 }),
      rate: fc.constantFrom(21, 10, 4),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((ls) =>
    ls.map((l, i): PricedLine =>
      line(l.sku, l.price, l.qty, { line_id: `l${i}`, category: catOf(l.sku), tax_rate: l.rate }),
    ),
  );

const customerArb = fc.record({
  vip: fc.boolean(),
  consent: fc.boolean(),
  first: fc.boolean(),
});

/** The quote an explained run gives, with its explanations taken away. */
function withoutExplanations(q: Quote): Quote {
  const { not_applied: _basket, lines, ...rest } = q;
  return { ...rest, lines: lines.map(({ not_applied: _line, ...l }) => l) };
}

describe('pricing without explanations', () => {
  it('gives the same totals, applied promotions, shipping and coupon verdicts as the explained quote', () => {
    fc.assert(
      fc.property(
        rulesArb,
        linesArb,
        customerArb,
        fc.option(fc.record({ method: fc.constant('home'), amount: fc.integer({ min: 0, max: 1500 }) }), {
          nil: null,
        }),
        fc.constantFrom('chn_web', 'chn_pos'),
        // which promotions the request's coupons unlock (a code per promotion, some for unknown ids)
        fc.uniqueArray(fc.integer({ min: 0, max: 11 }), { maxLength: 4 }),
        (rules, lines, c, shipping, channel, unlocked) => {
          const customer: CustomerFacts = {
            id: 'cus_1',
            segments: c.vip ? ['vip'] : [],
            consents: c.consent ? ['marketing_email'] : [],
            first_order: c.first,
          };
          const ctx = context({
            customer,
            shipping,
            channel_id: channel,
            coupon_promotions: new Map(unlocked.map((i) => [`p${i}`, `CODE${i}`])),
          });
          const index = compile(rules);
          const explained = priceBasket(index, lines, ctx);
          const plain = priceBasket(index, lines, ctx, { explain: false });
          expect(plain).toEqual(withoutExplanations(explained));
          // the plain quote carries no explanation at all, the explained one always does
          expect('not_applied' in plain).toBe(false);
          expect(plain.lines.some((l) => 'not_applied' in l)).toBe(false);
          expect(Array.isArray(explained.not_applied)).toBe(true);
          expect(explained.lines.every((l) => Array.isArray(l.not_applied))).toBe(true);
          // explicitly asking for explanations is the same as the default
          expect(priceBasket(index, lines, ctx, { explain: true })).toEqual(explained);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('still says why a coupon was rejected when nothing else is explained', () => {
    const index = compile([
      rule('p_vip', {
        kind: 'item_percent',
        params: { percent: 10 },
        conditions: { segments: ['vip'] },
        coupon_required: true,
      }),
      rule('p_min', {
        kind: 'basket_amount',
        params: { amount: 500 },
        conditions: { min_subtotal: 10_000 },
        coupon_required: true,
      }),
    ]);
    const ctx = context({
      coupon_promotions: new Map([
        ['p_vip', 'VIP10'],
        ['p_min', 'BIG5'],
      ]),
    });
    const q = priceBasket(index, [line('A', 2000)], ctx, { explain: false });
    expect(q.coupons).toEqual([
      { code: 'VIP10', status: 'rejected', reason: 'the customer is not in a qualifying segment' },
      { code: 'BIG5', status: 'rejected', reason: expect.stringMatching(/^spend €80\.00 more on qualifying items/) },
    ]);
    expect(q.not_applied).toBeUndefined();
    expect(q.lines[0]!.not_applied).toBeUndefined();
  });
});
