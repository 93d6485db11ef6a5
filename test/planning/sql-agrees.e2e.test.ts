/**
 * The run computes levels, pooling and replenishment in SQL (src/planning/run-sql.ts) or, on
 * PostgreSQL, through binary COPY with the arithmetic in the process (chunk-copy.ts, chunk-rules.ts);
 * the pure rules (run-rules.ts `planSku`) stay the reference. On a generated chain — short and ample warehouses,
 * ties in the largest-remainder split, too little history, constant demand, a SKU without a cost,
 * overstocked donors — both must give the same results and the same proposals, chunk borders
 * included (chunks of a few dozen pairs here).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { onPostgres } from '../helpers/db.js';
import { computeRun } from '../../src/planning/compute.js';
import { nearestWarehouse } from '../../src/planning/check-rules.js';
import { inverseNormalCdf } from '../../src/planning/normal.js';
import { planSku, type PairInput, type PairResult } from '../../src/planning/run-rules.js';
import * as store from '../../src/planning/store.js';
import type { RunParamsStored, RunSummary } from '../../src/planning/model.js';

const STORES = 14;
const SKUS = 36;
const address = { line1: 'Calle 1', city: 'Madrid', postal_code: '28001', country: 'ES' };

/** mulberry32: a small seeded generator, so a failure replays. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let t: TestApp;
let stores: string[];
let warehouses: string[];

beforeAll(async () => {
  t = await startTestApp();
  const s = t.omnia.services;
  const locs = await s.network.createLocations([
    ...[0, 1, 2].map((i) => ({
      code: `sq-w${i}`,
      type: 'warehouse' as const,
      name: `W${i}`,
      lat: 37 + i * 2,
      lng: -6 + i * 2,
      address,
      capabilities: ['ship' as const],
    })),
    ...Array.from({ length: STORES }, (_, i) => ({
      code: `sq-s${i}`,
      type: 'store' as const,
      name: `S${i}`,
      lat: 37 + (i % 5) * 0.9,
      lng: -6 + Math.floor(i / 5) * 1.7,
      // Three regions and, every fifth store, none (a pool of one when pooling by region).
      address: i % 5 === 4 ? address : { ...address, region: ['Norte', 'Sur', 'Este'][i % 3]! },
      capabilities: ['pickup' as const],
    })),
  ]);
  stores = locs.filter((l) => l.type === 'store').map((l) => l.id);
  warehouses = locs.filter((l) => l.type === 'warehouse').map((l) => l.id);
  const db = s.ctx.db;
  const rand = rng(15);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  await sql`insert into products (id, code, name) values ('prd_sq', 'sq', 'Sample')`.execute(db);
  for (let k = 0; k < SKUS; k++) {
    const sku = `SQ-${String(k).padStart(3, '0')}`;
    // SQ-035 has no variant: its cost counts as 0.
    if (k < SKUS - 1)
      await sql`insert into variants (sku, product_id, size, unit_cost, position)
        values (${sku}, 'prd_sq', 'M', ${int(100, 9000)}, ${k})`.execute(db);
    const constant = k % 9 === 4;
    for (const [n, loc] of stores.entries()) {
      if ((k + n) % 11 === 3) continue; // not every store sells every SKU
      const days = (k + n) % 13 === 5 ? int(0, 6) : int(7, 40); // some below min_observed_days (7)
      const level = int(0, 6);
      let sum = 0;
      let sumsq = 0;
      for (let d = 0; d < days; d++) {
        const x = constant ? level : Math.max(0, level + int(-3, 3));
        sum += x;
        sumsq += x * x;
      }
      await sql`insert into planning_demand_summary (sku, location_id, observed_days, censored_days, units_sum, units_sumsq)
        values (${sku}, ${loc}, ${days}, ${int(0, 5)}, ${sum}, ${sumsq})`.execute(db);
      // Stock: often empty or low (replenishment), sometimes far above max (a donor), some in transit.
      const r = rand();
      const onHand = r < 0.3 ? 0 : r < 0.6 ? int(0, 8) : r < 0.8 ? int(20, 60) : int(5, 20);
      if ((k + n) % 7 !== 2)
        await sql`insert into stock_levels (sku, location_id, on_hand, in_transit)
          values (${sku}, ${loc}, ${onHand}, ${int(0, 1) * int(0, 4)})`.execute(db);
    }
    for (const w of warehouses) {
      if (rand() < 0.15) continue; // a warehouse without the SKU at all
      const onHand = rand() < 0.5 ? int(0, 12) : int(50, 400); // short or ample
      const reserved = int(0, Math.min(onHand, 3));
      await sql`insert into stock_levels (sku, location_id, on_hand, reserved, safety_stock)
        values (${sku}, ${w}, ${onHand}, ${reserved}, ${int(0, 2)})`.execute(db);
    }
  }
}, 120_000);
afterAll(() => t.close());

/** What the pure rules make of the same data, read the way the old process-side run read it. */
async function expected(p: RunParamsStored) {
  const db = t.omnia.services.ctx.db;
  const net = t.omnia.services.network;
  const storeLocs = await net.listLocations({ type: 'store' });
  const whOf = nearestWarehouse(storeLocs, await net.listLocations({ type: 'warehouse' }));
  const regionOf = new Map(storeLocs.map((l) => [l.id, l.address.region ?? null]));
  // The demand summary with each pair's stock and cost, SKU by SKU (the old per-page read, whole).
  const rows = (
    await sql<Omit<PairInput, 'warehouse_id'> & { sku: string }>`
      select s.sku, s.location_id, s.observed_days, s.censored_days,
             cast(s.units_sum as float8) as units_sum, cast(s.units_sumsq as float8) as units_sumsq,
             coalesce(cast(v.unit_cost as float8), 0) as unit_cost,
             coalesce(sl.on_hand, 0) as on_hand, coalesce(sl.in_transit, 0) as in_transit
      from planning_demand_summary s
      left join variants v on v.sku = s.sku
      left join stock_levels sl on sl.sku = s.sku and sl.location_id = s.location_id
      order by s.sku, s.location_id`.execute(db)
  ).rows;
  const z = inverseNormalCdf(p.service_level);
  const results: PairResult[] = [];
  const proposals: string[] = [];
  let skipped = 0;
  for (let i = 0; i < rows.length;) {
    let j = i;
    while (j < rows.length && rows[j]!.sku === rows[i]!.sku) j++;
    const sku = rows[i]!.sku;
    const wh = new Map(
      (
        await sql<{ location_id: string; available: number }>`
          select location_id, on_hand - reserved - safety_stock as available from stock_levels
          where sku = ${sku} and location_id = any(cast(${warehouses} as text[]))`.execute(db)
      ).rows.map((w) => [w.location_id, Number(w.available)]),
    );
    const pairs: PairInput[] = rows.slice(i, j).map((r) => ({
      ...r,
      units_sum: Number(r.units_sum),
      units_sumsq: Number(r.units_sumsq),
      unit_cost: Number(r.unit_cost),
      warehouse_id: whOf.get(r.location_id) ?? null,
      region: regionOf.get(r.location_id) ?? null,
    }));
    const plan = planSku(sku, pairs, wh, p, z);
    results.push(...plan.results);
    skipped += plan.skipped.length;
    for (const x of plan.replenishment)
      proposals.push(`replenishment ${x.sku} ${x.from}>${x.to} ${x.units}/${x.needed}`);
    for (const x of plan.rebalancing) proposals.push(`rebalancing ${x.sku} ${x.from}>${x.to} ${x.units}/${x.units}`);
    i = j;
  }
  return { results, proposals: proposals.sort(), skipped, regionOf };
}

/** `copy` on PostgreSQL: binary COPY out and in, the arithmetic in the process (chunk-copy.ts). */
type Compute = 'sql' | 'copy';
const COMPUTES: Compute[] = onPostgres ? ['sql', 'copy'] : ['sql'];

async function runInSql(
  p: RunParamsStored,
  chunk: number,
  compute: Compute = 'sql',
): Promise<{ id: string; summary: RunSummary }> {
  const planning = t.omnia.services.planning;
  const run = await planning.createRun({ ...p, location_ids: undefined, background: true }, 'test');
  const summary = await computeRun(
    { db: t.omnia.services.ctx.db, now: () => new Date(), network: t.omnia.services.network, chunk, compute },
    run.id,
    { ...p, location_ids: null },
  );
  return { id: run.id, summary };
}

const BASE: RunParamsStored = {
  service_level: 0.95,
  review_days: 2,
  lead_days: 1,
  max_rule: 'order_up_to',
  min_observed_days: 7,
  transfer_lead_days: 1,
  min_lot: 2,
  history_days: 182,
  as_of: '2026-11-11',
  location_ids: null,
  refresh_demand: false,
  simulate_skus: 0,
};

describe('a run agrees with the pure rules (in SQL; and through COPY on PostgreSQL)', () => {
  for (const compute of COMPUTES)
    for (const [name, p, chunk] of [
      ['95 %, order-up-to, lots of 2, chunks of 40 pairs', BASE, 40],
      [
        '90 %, max = min + μR, R 3, L 2, lots of 1, chunks of 7 pairs',
        { ...BASE, service_level: 0.9, review_days: 3, lead_days: 2, max_rule: 'min_plus_review', min_lot: 1 },
        7,
      ],
      [
        '99 %, transfers slower than a delivery (no rebalancing), one chunk',
        { ...BASE, service_level: 0.99, transfer_lead_days: 3 },
        100_000,
      ],
    ] as [string, RunParamsStored, number][]) {
      it(`${compute}: ${name}`, async () => {
        const want = await expected(p);
        const { id, summary } = await runInSql(p, chunk, compute);
        const db = t.omnia.services.ctx.db;
        const got = await store.results(db, id, { limit: 100_000 });
        expect(got.map((r) => `${r.sku} ${r.location_id}`)).toEqual(
          want.results.map((r) => `${r.sku} ${r.location_id}`),
        );
        for (const [i, r] of got.entries()) {
          const w = want.results[i]!;
          const where = `${r.sku} at ${r.location_id}`;
          expect([r.min_qty, r.max_qty, Number(r.investment), Number(r.unit_cost)], where).toEqual([
            w.min,
            w.max,
            w.investment,
            w.unit_cost,
          ]);
          expect([r.observed_days, r.censored_days], where).toEqual([w.observed_days, w.censored_days]);
          // Stored as real: the float8 values both sides computed, rounded to float4 alike.
          // (the driver prints a real in its shortest form, so both go through fround).
          expect([r.mean_daily, r.sd_daily, r.safety_alone].map(Math.fround), where).toEqual(
            [w.mean, w.sd, w.safety_alone].map(Math.fround),
          );
          expect(r.safety_pooled, where).toBeCloseTo(w.safety_pooled, 5);
        }
        const props = await store.proposals(db, { run_id: id, limit: 100_000 });
        expect(
          props
            .map((x) => `${x.kind} ${x.sku} ${x.from_location_id}>${x.to_location_id} ${x.units}/${x.needed}`)
            .sort(),
        ).toEqual(want.proposals);
        // Both kinds occur (the sample exercises them), and every id is in ids.ts's format, unique.
        expect(new Set(props.map((x) => x.kind)).size).toBe(p.transfer_lead_days < 3 ? 2 : 1);
        expect(props.every((x) => /^ppl_[0-9A-HJKMNP-TV-Z]{26}$/.test(x.id))).toBe(true);
        expect(new Set(props.map((x) => x.id)).size).toBe(props.length);
        expect(summary.pairs).toBe(want.results.length);
        expect(summary.skipped).toBe(want.skipped);
        expect(summary.min_units).toBe(want.results.reduce((s, r) => s + r.min, 0));
        expect(summary.investment).toBe(want.results.reduce((s, r) => s + r.investment, 0));
        expect(summary.safety_pooled).toBeCloseTo(
          want.results.reduce((s, r) => s + r.safety_pooled, 0),
          6,
        );
        // Pooling by region: per store, its share of its region's pool, and per region the totals.
        const perStore = new Map<string, number>();
        for (const r of want.results)
          perStore.set(r.location_id, (perStore.get(r.location_id) ?? 0) + r.safety_region_pooled!);
        // (the run row is not marked done here: computeRun is called directly, so read its stores)
        const runStores = (await store.runStores(db, id)).map((s) => ({
          ...s,
          safety_region_pooled: s.safety_region_pooled ?? NaN,
        }));
        expect(runStores).toHaveLength(perStore.size);
        for (const s of runStores) {
          expect(s.region).toBe(want.regionOf.get(s.location_id));
          expect(s.safety_region_pooled, s.location_id).toBeCloseTo(perStore.get(s.location_id)!, 4);
          // within a region a store keeps at least its chain-wide share and at most what it needs alone
          expect(s.safety_region_pooled).toBeGreaterThanOrEqual(s.safety_pooled - 1e-4);
          expect(s.safety_region_pooled).toBeLessThanOrEqual(s.safety_alone + 1e-4);
        }
        const regions = summary.regions!;
        expect(regions.map((g) => g.region)).toEqual(['Este', 'Norte', 'Sur', null]);
        for (const g of regions) {
          const mine = runStores.filter((s) => s.region === g.region);
          expect(g.stores).toBe(mine.length);
          expect(g.safety_pooled).toBeCloseTo(
            mine.reduce((s, x) => s + x.safety_region_pooled, 0),
            3,
          );
          if (g.region === null) expect(g.safety_pooled).toBeCloseTo(g.safety_alone, 4);
          else expect(g.pooling_ratio).toBeGreaterThan(1);
        }
      });
    }

  for (const compute of COMPUTES)
    it(`${compute}: keeps each chunk's output in an indexed partition of the run's: pairs and ids stay unique`, async () => {
      const { id } = await runInSql(BASE, 40, compute);
      const db = t.omnia.services.ctx.db;
      // The run's tables hold one partition per chunk, each with its own index (built in the chunk).
      const leaves = await sql<{ t: string; n: number }>`
      select 'results' as t, count(*) as n from pg_partition_tree(${store.resultsTable(id)}) where isleaf
      union all
      select 'proposals', count(*) from pg_partition_tree(${store.proposalsTable(id)}) where isleaf`.execute(db);
      const chunks = Math.ceil((STORES * SKUS) / 40);
      for (const l of leaves.rows) expect(Number(l.n), l.t).toBeGreaterThan(chunks / 2);
      const dupe = (await store.results(db, id, { limit: 1 }))[0]!;
      await expect(
        sql`insert into planning_results (run_id, sku, location_id, mean_daily, sd_daily, observed_days, censored_days,
            min_qty, max_qty, unit_cost, investment, safety_alone, safety_pooled)
          values (${id}, ${dupe.sku}, ${dupe.location_id}, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)`.execute(db),
      ).rejects.toThrow(/unique|duplicate/);
      const props = await store.proposals(db, { run_id: id, limit: 100_000 });
      const some = props[Math.floor(props.length / 2)]!;
      expect((await store.getProposal(db, some.id))?.sku).toBe(some.sku);
      await expect(
        sql`insert into planning_proposals (id, run_id, kind, sku, from_location_id, to_location_id, units, needed,
            status, created_at)
          values (${some.id}, ${id}, 'replenishment', 'x', 'a', 'b', 1, 1, 'proposed', now())`.execute(db),
      ).rejects.toThrow(/unique|duplicate/);
      // Paged in (SKU, store) order across the chunks' partitions.
      const page = await store.results(db, id, { limit: 100_000 });
      const keys = page.map((r) => `${r.sku} ${r.location_id}`);
      expect(keys).toEqual([...keys].sort());
    });

  it('covers the cases it claims: short warehouses split by largest remainder, skipped pairs, no cost', async () => {
    const want = await expected(BASE);
    expect(want.skipped).toBeGreaterThan(0);
    expect(want.results.some((r) => r.unit_cost === 0)).toBe(true);
    expect(want.results.some((r) => r.sd === 0 && r.mean > 0)).toBe(true);
    const short = want.proposals
      .filter((x) => x.startsWith('replenishment'))
      .filter((x) => {
        const [u, n] = x.split(' ').at(-1)!.split('/').map(Number);
        return u! < n!;
      });
    expect(short.length).toBeGreaterThan(3);
  });
});
