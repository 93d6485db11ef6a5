import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from './compile.js';
import { priceBasket } from './engine.js';
import { context, line, paramsOf, rule } from './fixtures.js';
import { distribute } from './rounding.js';
import type { PricedLine, PromotionKind, PromotionRule } from './types.js';

const SKUS = ['A', 'B', 'C', 'D', 'E', 'F'];
const CATS = ['women/shoes', 'women/bags', 'men/shirts'];
const catOf = (sku: string) => CATS[sku.charCodeAt(0) % CATS.length]!;

const amount = fc.integer({ min: 1, max: 20_000 });
const percent = fc.integer({ min: 1, max: 10_000 }).map((bp) => bp / 100);

/** A scope that always names something from the universe, so the SKU 'Z' never qualifies. */
const namedScope = fc.oneof(
  fc.record({ skus: fc.uniqueArray(fc.constantFrom(...SKUS), { minLength: 1, maxLength: 3 }) }),
  fc.record({ categories: fc.uniqueArray(fc.constantFrom('women', ...CATS), { minLength: 1, maxLength: 2 }) }),
  fc.record({
    products: fc.uniqueArray(fc.constantFrom(...SKUS.map((s) => `prd_${s}`)), { minLength: 1, maxLength: 2 }),
  }),
);

function ruleArb(id: string, scoped: boolean): fc.Arbitrary<PromotionRule> {
  const kind = fc.constantFrom<PromotionKind>(
    'item_percent',
    'item_amount',
    'basket_percent',
    'basket_amount',
    'tiered_spend',
    'buy_x_get_y',
    'bundle_price',
    'free_shipping',
  );
  const scope = scoped ? namedScope : fc.oneof(namedScope, fc.constant({}));
  return fc
    .record({
      kind,
      scope,
      percent,
      amount,
      buy: fc.integer({ min: 1, max: 3 }),
      get: fc.integer({ min: 1, max: 2 }),
      tiers: fc.uniqueArray(fc.record({ threshold: fc.integer({ min: 0, max: 30_000 }), amount }), {
        minLength: 1,
        maxLength: 3,
        selector: (t) => t.threshold,
      }),
      comps: fc.array(
        fc.record({
          skus: fc.uniqueArray(fc.constantFrom(...SKUS), { minLength: 1, maxLength: 2 }),
          quantity: fc.integer({ min: 1, max: 2 }),
        }),
        { minLength: 1, maxLength: 2 },
      ),
      exclusive: fc.boolean(),
      priority: fc.integer({ min: -5, max: 5 }),
      group: fc.constantFrom(null, 'g1', 'g2'),
      min: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: undefined }),
    })
    .map((r) => {
      const params = paramsOf(r);
      return rule(id, {
        kind: r.kind,
        params,
        scope: r.kind === 'bundle_price' ? {} : r.scope,
        conditions: r.min !== undefined ? { min_subtotal: r.min } : {},
        stacking: { exclusive: r.exclusive, priority: r.priority, group: r.group },
      });
    });
}

const rulesArb = (scoped: boolean) =>
  fc
    .integer({ min: 0, max: 8 })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => ruleArb(`p${i}`, scoped))));

const linesArb = fc
  .array(
    fc.record({
      sku: fc.constantFrom(...SKUS),
      price: fc.integer({ min: 0, max: 50_000 }),
      qty: fc.integer({ min: 1, max: 5 }),
      rate: fc.constantFrom(21, 10, 4, 5.5),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((ls) =>
    ls.map((l, i): PricedLine =>
      line(l.sku, l.price, l.qty, { line_id: `l${i}`, category: catOf(l.sku), tax_rate: l.rate }),
    ),
  );

const shippingArb = fc.option(fc.record({ method: fc.constant('home'), amount: fc.integer({ min: 0, max: 1500 }) }), {
  nil: null,
});

describe('pricing engine properties', () => {
  it('never goes below zero, and every figure adds up to the cent', () => {
    fc.assert(
      fc.property(rulesArb(false), linesArb, shippingArb, (rules, lines, shipping) => {
        const q = priceBasket(compile(rules), lines, context({ shipping }));
        let lineDiscounts = 0;
        for (const l of q.lines) {
          expect(l.total).toBeGreaterThanOrEqual(0);
          expect(l.discount).toBe(l.applied.reduce((s, a) => s + a.amount, 0));
          expect(l.total).toBe(l.unit_price * l.quantity - l.discount);
          expect(l.applied.every((a) => a.amount > 0 && Number.isInteger(a.amount))).toBe(true);
          lineDiscounts += l.discount;
        }
        expect(q.total).toBeGreaterThanOrEqual(0);
        expect(q.discount_total).toBe(lineDiscounts + q.shipping.discount);
        expect(q.total).toBe(q.subtotal + q.shipping.amount - q.discount_total);
        expect(q.tax_total).toBe(q.tax_breakdown.reduce((s, b) => s + b.tax, 0));
        expect(q.tax_breakdown.reduce((s, b) => s + b.base + b.tax, 0)).toBe(q.total);
        for (const b of q.tax_breakdown) {
          const lineTax = q.lines.filter((l) => l.tax_rate === b.rate).reduce((s, l) => s + l.tax_amount, 0);
          expect(lineTax).toBeLessThanOrEqual(b.tax);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('adding an item no promotion names never changes another line’s price', () => {
    fc.assert(
      fc.property(rulesArb(true), linesArb, fc.integer({ min: 0, max: 50_000 }), (rules, lines, price) => {
        const index = compile(rules);
        const before = priceBasket(index, lines, context());
        const extra = line('Z', price, 1, { line_id: 'z', category: 'other', product_id: 'prd_Z' });
        const after = priceBasket(index, [...lines, extra], context());
        expect(after.lines.slice(0, -1).map((l) => l.total)).toEqual(before.lines.map((l) => l.total));
        expect(after.lines.at(-1)!.discount).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic whatever order the promotions arrive in', () => {
    fc.assert(
      fc.property(rulesArb(false), linesArb, fc.integer(), (rules, lines, seed) => {
        const shuffled = [...rules].sort(
          (a, b) => ((a.id.charCodeAt(1) * 31 + seed) % 7) - ((b.id.charCodeAt(1) * 31 + seed) % 7),
        );
        expect(priceBasket(compile(shuffled), lines, context())).toEqual(priceBasket(compile(rules), lines, context()));
      }),
      { numRuns: 200 },
    );
  });

  it('distributes exactly and never gives a share above its weight', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { minLength: 1, maxLength: 30 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (weights, f) => {
          const sum = weights.reduce((a, b) => a + b, 0);
          fc.pre(sum > 0);
          const total = Math.floor(sum * f);
          const shares = distribute(total, weights);
          expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
          shares.forEach((s, i) => {
            expect(s).toBeGreaterThanOrEqual(0);
            expect(s).toBeLessThanOrEqual(weights[i]!);
          });
        },
      ),
    );
  });
});
