/** Profiling aid for the engine alone (no database): `node --import tsx bench/_pricing-prof.ts [realistic|dense]`. */
import { compile, priceBasket, ruleFrom, type PricedLine } from '../src/promotions/index.js';
import { context } from '../src/promotions/fixtures.js';
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
/** One short trial: quotes per CPU-second, with or without explanations. */
let n = 0;
function trial(explain: boolean): number {
  const c0 = process.cpuUsage();
  let m = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 200)
    for (let k = 0; k < 50; k++, m++, n++) priceBasket(index, baskets[n % 100]!, ctx, { explain });
  const cpu = process.cpuUsage(c0);
  return Math.round(m / ((cpu.user + cpu.system) / 1e6));
}
// warm both paths up first, then alternate trials so a burst of load on the shared machine hits both alike
for (let t = 0; t < 5; t++) trial(t % 2 === 0);
const runs = { plain: [] as number[], explained: [] as number[] };
for (let t = 0; t < 30; t++) (t % 2 === 0 ? runs.plain : runs.explained).push(trial(t % 2 !== 0));
const stats = (xs: number[]) => {
  xs.sort((x, y) => x - y);
  return { best: xs.at(-1)!, median: xs[Math.floor(xs.length / 2)]! };
};
const plain = stats(runs.plain);
const explained = stats(runs.explained);
const q = priceBasket(index, baskets[0]!, ctx);
const verdicts = q.lines.reduce((a, l) => a + l.applied.length + l.not_applied.length, 0);
process.stdout.write(
  `${mix}: quotes per cpu-second without explanations best ${plain.best} median ${plain.median}; explained best ${explained.best} median ${explained.median}; ${verdicts} line verdicts, ${q.not_applied.length} basket verdicts\n`,
);
