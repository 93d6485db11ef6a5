/**
 * The COPY path's arithmetic over columns (chunk-rules.ts) against the reference, planSku, SKU by SKU,
 * on generated chains: too little history, constant demand, stores without a region or a warehouse,
 * short and ample warehouses, donors and receivers, both max rules.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteOrder, planChunkColumns, storeOrder, type ChunkColumns, type ChunkStores } from './chunk-rules.js';
import { inverseNormalCdf } from './normal.js';
import { planSku, rebalanceCandidates, type PairInput, type RunParams } from './run-rules.js';

interface Pair {
  store: number;
  days: number[];
  censored: number;
  cost: number;
  onHand: number;
  inTransit: number;
}

const pairArb = (stores: number) =>
  fc.record({
    store: fc.integer({ min: 0, max: stores - 1 }),
    // 0–30 days of history: some below min_observed_days; a constant series now and then.
    days: fc.oneof(
      fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 30 }),
      fc
        .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 7, max: 30 }))
        .map(([x, n]) => Array<number>(n).fill(x)),
    ),
    censored: fc.integer({ min: 0, max: 5 }),
    cost: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 9000 })),
    onHand: fc.oneof(fc.integer({ min: -2, max: 6 }), fc.integer({ min: 20, max: 60 })),
    inTransit: fc.integer({ min: 0, max: 4 }),
  });

const chainArb = fc
  .record({ stores: fc.integer({ min: 1, max: 9 }), warehouses: fc.integer({ min: 1, max: 3 }) })
  .chain(({ stores, warehouses }) =>
    fc.record({
      stores: fc.constant(stores),
      warehouses: fc.constant(warehouses),
      // Per store: its warehouse (-1: none) and region (-1: none).
      warehouseOf: fc.array(fc.integer({ min: -1, max: warehouses - 1 }), { minLength: stores, maxLength: stores }),
      regionOf: fc.array(fc.integer({ min: -1, max: 2 }), { minLength: stores, maxLength: stores }),
      skus: fc.array(
        fc.record({
          pairs: fc.uniqueArray(pairArb(stores), { selector: (p) => p.store, minLength: 1, maxLength: stores }),
          available: fc.array(
            fc.oneof(fc.constant(null), fc.integer({ min: -3, max: 12 }), fc.integer({ min: 50, max: 400 })),
            {
              minLength: warehouses,
              maxLength: warehouses,
            },
          ),
        }),
        { minLength: 1, maxLength: 5 },
      ),
      params: fc.record({
        service_level: fc.constantFrom(0.9, 0.95, 0.99),
        review_days: fc.integer({ min: 1, max: 4 }),
        lead_days: fc.integer({ min: 0, max: 3 }),
        max_rule: fc.constantFrom('order_up_to' as const, 'min_plus_review' as const),
        min_observed_days: fc.constant(7),
        transfer_lead_days: fc.integer({ min: 0, max: 3 }),
        min_lot: fc.integer({ min: 1, max: 3 }),
      }),
    }),
  );

type Chain = typeof chainArb extends fc.Arbitrary<infer T> ? T : never;

/** Store ids whose byte order is not their number's (so the numbering is checked). */
const storeId = (i: number) => `loc_${String.fromCharCode(90 - i)}${i}`;
const skuId = (g: number) => `SKU-${String.fromCharCode(80 - g)}`;

function columnsOf(chain: Chain): { c: ChunkColumns; s: ChunkStores } {
  const ids = Array.from({ length: chain.stores }, (_, i) => storeId(i));
  const s: ChunkStores = {
    ids,
    warehouse: Int32Array.from(chain.warehouseOf),
    region: Int32Array.from(chain.regionOf),
    warehouses: Array.from({ length: chain.warehouses }, (_, w) => `wh_${w}`),
    ...storeOrder(ids),
  };
  const all: Pair[] = chain.skus.flatMap((k) => k.pairs);
  const c: ChunkColumns = {
    skus: chain.skus.map((_, g) => skuId(g)),
    start: Int32Array.from([
      0,
      ...chain.skus.map((_, g) => chain.skus.slice(0, g + 1).reduce((n, k) => n + k.pairs.length, 0)),
    ]),
    store: Int32Array.from(all.map((p) => p.store)),
    observed: Int32Array.from(all.map((p) => p.days.length)),
    censored: Int32Array.from(all.map((p) => p.censored)),
    sum: Float64Array.from(all.map((p) => p.days.reduce((a, x) => a + x, 0))),
    sumsq: Float64Array.from(all.map((p) => p.days.reduce((a, x) => a + x * x, 0))),
    cost: Float64Array.from(all.map((p) => p.cost)),
    onHand: Float64Array.from(all.map((p) => p.onHand)),
    inTransit: Float64Array.from(all.map((p) => p.inTransit)),
  };
  return { c, s };
}

function check(chain: Chain): void {
  const p: RunParams = chain.params;
  const z = inverseNormalCdf(p.service_level);
  const { c, s } = columnsOf(chain);
  const available = (g: number) =>
    new Map(chain.skus[g]!.available.flatMap((a, w) => (a === null ? [] : [[w, a] as [number, number]])));
  const plan = planChunkColumns(c, s, (sku) => available(c.skus.indexOf(sku)), { ...p, z });

  const wantRep: string[] = [];
  const wantRb: string[] = [];
  const perStore = new Map<string, number[]>();
  let pairs = 0;
  let skipped = 0;
  chain.skus.forEach((k, g) => {
    const rows: PairInput[] = k.pairs.map((x) => ({
      location_id: storeId(x.store),
      observed_days: x.days.length,
      censored_days: x.censored,
      units_sum: x.days.reduce((a, d) => a + d, 0),
      units_sumsq: x.days.reduce((a, d) => a + d * d, 0),
      unit_cost: x.cost,
      on_hand: x.onHand,
      in_transit: x.inTransit,
      warehouse_id: chain.warehouseOf[x.store]! >= 0 ? `wh_${chain.warehouseOf[x.store]}` : null,
      region: chain.regionOf[x.store]! >= 0 ? `r${chain.regionOf[x.store]}` : null,
    }));
    const wh = new Map([...available(g)].map(([w, a]) => [`wh_${w}`, a]));
    const ref = planSku(skuId(g), rows, wh, p, z);
    pairs += ref.results.length;
    skipped += ref.skipped.length;
    for (const r of ref.results) {
      const i = c.start[g]! + k.pairs.findIndex((x) => storeId(x.store) === r.location_id);
      const where = `${r.sku} at ${r.location_id}`;
      expect(plan.ok[i], where).toBe(1);
      expect([plan.min[i], plan.max[i], plan.investment[i]], where).toEqual([r.min, r.max, r.investment]);
      expect([plan.mean[i], plan.sd[i], plan.safety[i]], where).toEqual([r.mean, r.sd, r.safety_alone]);
      expect(plan.pooled[i]!, where).toBeCloseTo(r.safety_pooled, 9);
      const a = perStore.get(r.location_id) ?? [0, 0, 0, 0, 0, 0];
      perStore.set(r.location_id, [
        a[0]! + 1,
        a[1]! + r.min,
        a[2]! + r.investment,
        a[3]! + r.safety_pooled,
        a[4]! + r.safety_region_pooled!,
        a[5]! + (r.safety_alone - r.safety_region_pooled!) * r.unit_cost,
      ]);
    }
    for (const x of ref.replenishment) wantRep.push(`${x.sku} ${x.from}>${x.to} ${x.units}/${x.needed}`);
    for (const x of ref.rebalancing) wantRb.push(`${x.sku} ${x.from}>${x.to} ${x.units}`);
  });
  expect(plan.ok.reduce((n, x) => n + x, 0)).toBe(pairs);
  expect([plan.figures.pairs, plan.figures.skipped]).toEqual([pairs, skipped]);
  // The same proposals, in the order their ids number them: SKUs, then stores, in byte order.
  const rep = plan.replenishment.map((x) => `${x.sku} ${x.from}>${x.to} ${x.units}/${x.needed}`);
  expect([...rep].sort()).toEqual([...wantRep].sort());
  const order = plan.replenishment.map((x) => [x.sku, x.to] as const);
  for (let j = 1; j < order.length; j++) {
    const [a, b] = [order[j - 1]!, order[j]!];
    expect(byteOrder(a[0], b[0]) < 0 || (a[0] === b[0] && byteOrder(a[1], b[1]) < 0), `${a} before ${b}`).toBe(true);
  }
  // Rebalancing: the candidates through the pure rule, as compute.ts sends them, give planSku's.
  const rb = rebalanceCandidates(plan.candidates, p);
  if (!rb.ok) throw new Error(rb.error.message);
  expect(rb.value.map((x) => `${x.sku} ${x.from}>${x.to} ${x.units}`).sort()).toEqual([...wantRb].sort());
  // Per store: the sums the run's per-store figures add up.
  expect(plan.figures.stores.map((x) => x.location_id).sort()).toEqual([...perStore.keys()].sort());
  for (const x of plan.figures.stores) {
    const w = perStore.get(x.location_id)!;
    expect([x.skus, x.min_units, x.investment]).toEqual([w[0], w[1], w[2]]);
    expect(x.safety_pooled).toBeCloseTo(w[3]!, 6);
    expect(x.safety_region_pooled).toBeCloseTo(w[4]!, 6);
    expect(x.region_saving_value).toBeCloseTo(w[5]!, 4);
  }
}

describe('a chunk over columns agrees with planSku', () => {
  it('on generated chains', () => {
    fc.assert(fc.property(chainArb, check), { numRuns: 300 });
  });

  it('byte order: as collate "C" sorts UTF-8, surrogate pairs included', () => {
    const xs = ['b', 'a', 'ab', '', 'é', 'z', '\uffff', '😀', 'A'];
    const bytes = [...xs].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect([...xs].sort(byteOrder)).toEqual(bytes);
  });
});
