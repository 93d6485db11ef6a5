/**
 * Sourcing: orders sourced per second, and the cost gap to the exact optimum.
 *
 * Workload (test/fulfillment/workload.ts, seeded): batches of 1,000 orders over 500 locations
 * (10 warehouses, 440 stores, 50 pickup points), 3,000 SKUs; stores hold ~12 % of the assortment,
 * 1–4 units each, and may ship 1–4 packages per batch (capacity binds); 80 % home delivery (30 % with
 * a 2-day promise), 10 % click & collect, 10 % pickup point; 10 % of orders from a channel restricted
 * to half the stores.
 *
 * Throughput: narrowing + optimisation + explanations (`sourceBatch`), one process, per batch of
 * 1,000 orders, given the batch SKUs' stock levels (what the service gets from inventory).
 * Gap: the same batch model solved by HiGHS (MIP, branch-and-cut, single thread, time limit per batch);
 * gap = (ours − optimum) / optimum. When HiGHS stops at its time limit the gap is measured against its
 * proven lower bound, which overstates it.
 *
 * Options: --batches=N (throughput, default 20) --gap-batches=N (default 4) --time-limit=S (default 120)
 */
import { loadavg } from 'node:os';
import { benchLine, summarize } from './_lib.js';
import { makeWorkload, BENCH_SIZE } from '../test/fulfillment/workload.js';
import { solveMip } from '../test/fulfillment/highs.js';
import { sourcing } from '../src/fulfillment/index.js';

const { sourceBatch, buildModel, solveBatch, planViolations, DEFAULT_COSTS } = sourcing;

const arg = (name: string, def: number) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : def;
};
const batches = arg('batches', 20);
const gapBatches = arg('gap-batches', 4);
const timeLimit = arg('time-limit', 120);

console.log(
  `workload: ${BENCH_SIZE.orders} orders/batch, ${BENCH_SIZE.locations} locations, ${BENCH_SIZE.skus} SKUs; ${batches} batches for throughput, ${gapBatches} for the gap (HiGHS limit ${timeLimit}s)`,
);

// Throughput. Each batch gets the stock levels of its own SKUs, as the inventory availability query
// returns them to the service (untimed, like that query); workloads are made one at a time so the
// generator's garbage does not sit in the heap during the timed runs.
const batchStock = (w: ReturnType<typeof makeWorkload>) => {
  const skus = new Set(w.orders.flatMap((o) => o.lines.map((l) => l.sku)));
  return w.stock.filter((l) => skus.has(l.sku));
};
const warm = makeWorkload(999);
sourceBatch(DEFAULT_COSTS, warm.locations, batchStock(warm), warm.orders); // warm-up
const times: number[] = [];
/** CPU time of this process per batch: the machine is shared, so wall time includes waiting for a core. */
const cpuMs: number[] = [];
let orders = 0;
let candidates = 0;
let split = 0;
for (let b = 0; b < batches; b++) {
  const w = makeWorkload(1000 + b);
  const stock = batchStock(w);
  const t = performance.now();
  const c = process.cpuUsage();
  const r = sourceBatch(DEFAULT_COSTS, w.locations, stock, w.orders);
  const used = process.cpuUsage(c);
  times.push(performance.now() - t);
  cpuMs.push((used.user + used.system) / 1000);
  orders += w.orders.length;
  candidates += r.model.orders.reduce((a, o) => a + o.cands.length, 0);
  split += r.decisions.filter((d) => d.allocations.length > 1).length;
}
const total = times.reduce((a, b) => a + b, 0);
const ordersPerSec = Math.round((orders / total) * 1000);
const ordersPerCpuSec = Math.round((orders / cpuMs.reduce((a, b) => a + b, 0)) * 1000);
console.log(
  `throughput: ${ordersPerSec} orders/s wall, ${ordersPerCpuSec} orders per CPU-second; batch ${JSON.stringify(summarize(times))}; ${(candidates / orders).toFixed(1)} candidates/order after the rules; ${((100 * split) / orders).toFixed(1)} % split`,
);

// Gap to the HiGHS optimum.
const gaps: number[] = [];
const greedyGaps: number[] = [];
const highsSeconds: number[] = [];
let provenOptimal = 0;
for (let b = 0; b < gapBatches; b++) {
  const w = makeWorkload(1 + b);
  const { model } = buildModel(DEFAULT_COSTS, w.locations, w.stock, w.orders);
  const ours = solveBatch(model);
  const greedy = solveBatch(model, { passes: 0, ejectionTries: 0 });
  const bad = planViolations(model, ours.plans);
  if (bad.length) throw new Error(`infeasible plan: ${bad.slice(0, 3).join('; ')}`);
  const mip = await solveMip(model, timeLimit);
  const ref = mip.optimal ? mip.objective : mip.bound;
  if (mip.optimal) provenOptimal++;
  const gap = (100 * (ours.cost - ref)) / Math.abs(ref);
  gaps.push(gap);
  greedyGaps.push((100 * (greedy.cost - ref)) / Math.abs(ref));
  highsSeconds.push(mip.seconds);
  console.log(
    `batch ${b + 1}: ours ${ours.cost}, greedy ${greedy.cost}, HiGHS ${mip.objective} (bound ${mip.bound.toFixed(0)}, ${mip.status}, ${mip.seconds.toFixed(1)} s, ${mip.binaries} binaries) → gap ${gap.toFixed(3)} %`,
  );
}
const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
benchLine('sourcing', {
  orders_per_batch: BENCH_SIZE.orders,
  locations: BENCH_SIZE.locations,
  skus: BENCH_SIZE.skus,
  batches,
  orders_per_s: ordersPerSec,
  orders_per_cpu_s: ordersPerCpuSec,
  load_avg_1m: +(loadavg()[0] ?? 0).toFixed(1),
  batch_p50_ms: summarize(times).p50_ms,
  batch_p99_ms: summarize(times).p99_ms,
  candidates_per_order: +(candidates / orders).toFixed(1),
  gap_batches: gapBatches,
  highs_proven_optimal: provenOptimal,
  avg_gap_pct: +avg(gaps).toFixed(3),
  worst_gap_pct: +Math.max(0, ...gaps).toFixed(3),
  greedy_only_avg_gap_pct: +avg(greedyGaps).toFixed(3),
  highs_avg_s: +avg(highsSeconds).toFixed(1),
});
