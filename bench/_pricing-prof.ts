/**
 * Profiling aid for the engine alone (no database): `node --import tsx bench/_pricing-prof.ts [realistic|dense]`.
 * Alternates short trials of the engine and of the reference engine it replaced in issue 17
 * (src/promotions/reference/engine.ts, the property tests' oracle), so a burst of load on the shared
 * machine hits both alike; prints quotes per CPU-second of each, plain and explained.
 */
import { compile, priceBasket, ruleFrom, type PricedLine } from '../src/promotions/index.js';
import { context, referencePriceBasket } from '../src/promotions/fixtures.js';
import { catalogLayout, promotionInputs, rng } from './_pricing-workload.js';

const mix = (process.argv[2] ?? 'realistic') as 'realistic' | 'dense';
const rand = rng(42);
const layout = catalogLayout();
const skus = layout.flatMap((p) => p.skus.map((s) => s.sku));
const bySku = new Map(layout.flatMap((p) => p.skus.map((s) => [s.sku, { ...p, size: s.size }] as const)));
const rules = promotionInputs(
  mix,
  200,
  skus,
  layout.map((p) => `prd_${p.code}`),
  rand,
  { web: 'chn_web', other: 'chn_pos' },
).map((input, i) => {
  const r = ruleFrom(`prm_${String(i).padStart(4, '0')}`, input);
  r.conditions.channels = r.conditions.channels?.map((c) => c);
  return r;
});
const index = compile(rules);
const baskets: PricedLine[][] = Array.from({ length: 100 }, () =>
  Array.from({ length: 20 }, (_, i) => {
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
  }),
);
const ctx = context({ shipping: { method: 'home', amount: 495 } });
const engines = { engine: priceBasket, reference: referencePriceBasket } as const;
type Engine = keyof typeof engines;
/** One short trial: quotes per CPU-second, with or without explanations. */
let n = 0;
function trial(engine: Engine, explain: boolean): number {
  const price = engines[engine];
  const c0 = process.cpuUsage();
  let m = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 200)
    for (let k = 0; k < 50; k++, m++, n++) price(index, baskets[n % 100]!, ctx, { explain });
  const cpu = process.cpuUsage(c0);
  return Math.round(m / ((cpu.user + cpu.system) / 1e6));
}
const kinds = (['engine', 'reference'] as const).flatMap((e) => [false, true].map((x) => [e, x] as const));
// warm every path up first, then alternate trials so a burst of load on the shared machine hits all alike
for (let t = 0; t < 8; t++) trial(...kinds[t % kinds.length]!);
const runs = new Map(kinds.map((k) => [k, [] as number[]]));
for (let t = 0; t < 40; t++) {
  const k = kinds[t % kinds.length]!;
  runs.get(k)!.push(trial(...k));
}
const stats = (xs: number[]) => {
  xs.sort((x, y) => x - y);
  return `best ${xs.at(-1)!} median ${xs[Math.floor(xs.length / 2)]!}`;
};
const q = priceBasket(index, baskets[0]!, ctx);
const verdicts = q.lines.reduce((a, l) => a + l.applied.length + l.not_applied.length, 0);
const line = kinds.map((k) => `${k[0]}${k[1] ? ' explained' : ''} ${stats(runs.get(k)!)}`).join('; ');
process.stdout.write(
  `${mix}: quotes per CPU-second, ${line}; ${verdicts} line verdicts, ${q.not_applied.length} basket verdicts\n`,
);
