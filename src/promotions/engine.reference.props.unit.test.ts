/**
 * The fast engine (issue 17: stamped candidate scratch, per-quote buffers, texts built on request)
 * gives exactly the quotes of the straightforward engine it replaced (reference/engine.ts), with and
 * without explanations, for every kind, scope, stacking rule, context condition and coupon; several
 * quotes in a row on one compiled index, so nothing a quote leaves in the shared scratch leaks into
 * the next.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from './compile.js';
import { priceBasket } from './engine.js';
import { priceBasket as referencePriceBasket } from './reference/engine.js';
import { context, line, paramsOf, rule } from './fixtures.js';
import type { CustomerFacts, PricedLine, PromotionKind, PromotionRule, QuoteContext } from './types.js';

const SKUS = ['A', 'B', 'C', 'D', 'E', 'F'];
const CATS = ['women/shoes', 'women/bags', 'men/shirts'];
const SIZES = ['S', 'M', 'L'];
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
  fc.record({ categories: fc.uniqueArray(fc.constantFrom('women', 'men', ...CATS), { minLength: 1, maxLength: 2 }) }),
  fc.record({
    products: fc.uniqueArray(fc.constantFrom(...SKUS.map((s) => `prd_${s}`)), { minLength: 1, maxLength: 2 }),
  }),
  fc.record({
    categories: fc.uniqueArray(fc.constantFrom('women', ...CATS), { minLength: 1, maxLength: 2 }),
    sizes: fc.uniqueArray(fc.constantFrom(...SIZES), { minLength: 1, maxLength: 2 }),
  }),
);

const componentArb = fc.oneof(
  fc.record({ skus: fc.uniqueArray(fc.constantFrom(...SKUS), { minLength: 1, maxLength: 2 }) }),
  fc.record({ categories: fc.uniqueArray(fc.constantFrom('women', ...CATS), { minLength: 1, maxLength: 2 }) }),
);

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
        fc.oneof(
          fc.record({ threshold: fc.integer({ min: 0, max: 30_000 }), amount: fc.integer({ min: 1, max: 5_000 }) }),
          fc.record({
            threshold: fc.integer({ min: 0, max: 30_000 }),
            percent: fc.integer({ min: 1, max: 5_000 }).map((bp) => bp / 100),
          }),
        ),
        { minLength: 0, maxLength: 3, selector: (t) => t.threshold },
      ),
      comps: fc.array(
        fc.tuple(componentArb, fc.integer({ min: 1, max: 2 })).map(([c, quantity]) => ({ ...c, quantity })),
        { minLength: 1, maxLength: 3 },
      ),
      exclusive: fc.boolean(),
      priority: fc.integer({ min: -3, max: 3 }),
      group: fc.constantFrom(null, 'g1', 'g2'),
      min: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: undefined }),
      channel: fc.constantFrom(undefined, 'chn_web', 'chn_pos'),
      location: fc.boolean(),
      segment: fc.boolean(),
      consent: fc.boolean(),
      firstOrder: fc.boolean(),
      coupon: fc.boolean(),
      currency: fc.constantFrom('EUR', 'EUR', 'EUR', 'USD'),
      window: fc.constantFrom('open', 'open', 'past', 'future'),
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
          ...(r.location ? { locations: ['loc_1'] } : {}),
          ...(r.segment ? { segments: ['vip'] } : {}),
          ...(r.consent ? { consents: ['marketing_email'] } : {}),
          ...(r.firstOrder ? { first_order: true } : {}),
        },
        stacking: { exclusive: r.exclusive, priority: r.priority, group: r.group },
        coupon_required: r.coupon,
        currency: r.currency,
        starts_at: r.window === 'future' ? '2027-01-01T00:00:00Z' : null,
        ends_at: r.window === 'past' ? '2026-01-01T00:00:00Z' : null,
      });
    });
}

const rulesArb = fc
  .integer({ min: 0, max: 12 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => ruleArb(`p${i}`))));

const lineArb = fc.record({
  sku: fc.constantFrom(...SKUS, 'Z'),
  price: fc.integer({ min: 0, max: 50_000 }),
  qty: fc.integer({ min: 1, max: 5 }),
  rate: fc.constantFrom(21, 10, 4, 5.5),
  size: fc.constantFrom(null, ...SIZES),
});

/** Mostly small baskets, some past 32 lines (where a basket discount's remainders are sorted). */
const linesArb = fc
  .oneof(
    { weight: 9, arbitrary: fc.array(lineArb, { minLength: 1, maxLength: 8 }) },
    { weight: 1, arbitrary: fc.array(lineArb, { minLength: 33, maxLength: 40 }) },
  )
  .map((ls) =>
    ls.map((l, i): PricedLine =>
      line(l.sku, l.price, l.qty, {
        line_id: `l${i}`,
        category: l.sku === 'Z' ? 'home' : catOf(l.sku),
        size: l.size,
        tax_rate: l.rate,
      }),
    ),
  );

const ctxArb = fc
  .record({
    vip: fc.boolean(),
    consent: fc.boolean(),
    first: fc.boolean(),
    channel: fc.constantFrom('chn_web', 'chn_pos'),
    location: fc.constantFrom(null, 'loc_1', 'loc_2'),
    shipping: fc.option(fc.record({ method: fc.constant('home'), amount: fc.integer({ min: 0, max: 1500 }) }), {
      nil: null,
    }),
    shippingRate: fc.constantFrom(21, 10),
    // coupons for any promotion, coupon-only or automatic, and for unknown ids
    unlocked: fc.uniqueArray(fc.integer({ min: 0, max: 13 }), { maxLength: 4 }),
  })
  .map((c): QuoteContext => {
    const customer: CustomerFacts = {
      id: 'cus_1',
      segments: c.vip ? ['vip'] : [],
      consents: c.consent ? ['marketing_email'] : [],
      first_order: c.first,
    };
    return context({
      customer,
      channel_id: c.channel,
      location_id: c.location,
      shipping: c.shipping,
      shipping_tax_rate: c.shippingRate,
      coupon_promotions: new Map(c.unlocked.map((i) => [`p${i}`, `CODE${i}`])),
    });
  });

describe('the fast pricing engine', () => {
  it('prices exactly as the reference engine, explained or not, quote after quote on one index', () => {
    fc.assert(
      fc.property(
        rulesArb,
        fc.array(fc.tuple(linesArb, ctxArb, fc.boolean()), { minLength: 1, maxLength: 4 }),
        (rules, quotes) => {
          const fast = compile(rules);
          const reference = compile(rules);
          for (const [lines, ctx, explain] of quotes) {
            expect(priceBasket(fast, lines, ctx, { explain })).toEqual(
              referencePriceBasket(reference, lines, ctx, { explain }),
            );
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('reads the lines by value: an object of another shape prices the same', () => {
    fc.assert(
      fc.property(rulesArb, linesArb, ctxArb, (rules, lines, ctx) => {
        const index = compile(rules);
        // the keys in another order, as a caller's spread would make them
        const reshaped = lines.map(({ sku, quantity, line_id, ...rest }) => ({ sku, quantity, line_id, ...rest }));
        expect(priceBasket(index, reshaped, ctx)).toEqual(priceBasket(index, lines, ctx));
      }),
      { numRuns: 200 },
    );
  });
});
