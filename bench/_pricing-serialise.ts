/**
 * Profiling aid for the quote's serialisation (no database): `node --import tsx bench/_pricing-serialise.ts`.
 * Serialises the same 20-line quote (realistic mix, 200 promotions) with fast-json-stringify built
 * from the route's QuoteSchema, from the same schema with a nullable field written as a union (an
 * `anyOf`, as it was before issue 17: the serialiser then validates the value to pick a branch), and
 * with JSON.stringify; each for the plain and the explained quote. Prints microseconds per quote.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import fjs from 'fast-json-stringify';
import { QuoteSchema, compile, priceBasket, ruleFrom, type PricedLine } from '../src/promotions/index.js';
import { context } from '../src/promotions/fixtures.js';
import { catalogLayout, promotionInputs, rng } from './_pricing-workload.js';
import { benchLine } from './_lib.js';

const rand = rng(42);
const layout = catalogLayout();
const skus = layout.flatMap((p) => p.skus.map((s) => s.sku));
const bySku = new Map(layout.flatMap((p) => p.skus.map((s) => [s.sku, { ...p, size: s.size }] as const)));
const index = compile(
  promotionInputs(
    'realistic',
    200,
    skus,
    layout.map((p) => `prd_${p.code}`),
    rand,
    { web: 'chn_web', other: 'chn_pos' },
  ).map((input, i) => ruleFrom(`prm_${String(i).padStart(4, '0')}`, input)),
);
const basket: PricedLine[] = Array.from({ length: 20 }, (_, i) => {
  const sku = skus[Math.floor(rand() * skus.length)]!;
  const f = bySku.get(sku)!;
  return {
    line_id: `l${i}`,
    sku,
    quantity: 1 + Math.floor(rand() * 3),
    product_id: `prd_${f.code}`,
    category: f.category,
    size: f.size,
    unit_price: f.price,
    list_amount: f.price,
    tax_rate: f.tax_class === 'reduced' ? 10 : 21,
  };
});
const ctx = context({ shipping: { method: 'home', amount: 495 } });
const plain = priceBasket(index, basket, ctx, { explain: false });
const explained = priceBasket(index, basket, ctx);

const withUnion = structuredClone(QuoteSchema) as unknown as { properties: { shipping: { properties: object } } };
withUnion.properties.shipping.properties = {
  ...withUnion.properties.shipping.properties,
  method: Type.Union([Type.String(), Type.Null()]),
};
const serialisers: [string, (x: unknown) => string][] = [
  ['fast-json-stringify, QuoteSchema', fjs(QuoteSchema as TSchema)],
  ['fast-json-stringify, with one anyOf', fjs(withUnion as unknown as TSchema)],
  ['JSON.stringify', (x) => JSON.stringify(x)],
];

function usPer(fn: (x: unknown) => string, q: unknown): number {
  for (let i = 0; i < 2000; i++) fn(q);
  let best = Infinity;
  for (let t = 0; t < 7; t++) {
    const t0 = performance.now();
    for (let i = 0; i < 2000; i++) fn(q);
    best = Math.min(best, ((performance.now() - t0) * 1000) / 2000);
  }
  return +best.toFixed(2);
}

const figures: Record<string, number> = {};
for (const [name, fn] of serialisers)
  for (const [kind, q] of [
    ['plain', plain],
    ['explained', explained],
  ] as const) {
    const us = usPer(fn, q);
    figures[`${name} / ${kind}`] = us;
    process.stdout.write(`${name}, ${kind} quote (${fn(q).length} bytes): ${us} µs\n`);
  }
benchLine('pricing-serialise', { lines: 20, promotions: 200, us_per_quote: figures });
