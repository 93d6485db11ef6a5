import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minMax } from './minmax-rules.js';
import { poolingSaving } from './pooling-rules.js';
import { simulate } from './simulation-rules.js';
import type { Result, SimulationInput, SimulationResult } from './types.js';

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.field}: ${r.error.message}`);
  return r.value;
}
const store = (id: string, min: number, max: number, initial: number) => ({
  id,
  min,
  max,
  initial_on_hand: initial,
  unit_cost: 1000,
});

describe('simulation: replaying a demand history under min/max', () => {
  // Stores A and B, min 1 / max 3, 3 units each on day 0; review every 3 days, lead 1 day.
  // Demand over 3 days: A sells 2, 2, 0; B sells nothing.
  const base: SimulationInput = {
    stores: [store('A', 1, 3, 3), store('B', 1, 3, 3)],
    demand: [
      [2, 0],
      [2, 0],
      [0, 0],
    ],
    review_days: 3,
    lead_days: 1,
  };

  it('given no pooling, then A loses one unit on day 1', () => {
    const r = value(simulate(base));
    // day 0: review, positions 3 > min 1: no orders; A serves 2 → 1 on hand
    // day 1: A demand 2, serves 1, loses 1 → 0 on hand; day 2: nothing
    // A: fill 3/4 = 0.75, its only cycle lost demand → CSL 0; B: fill 1, CSL 1
    // chain: fill 3/4, CSL 1/2; average on hand A (1 + 0 + 0)/3, B 3 → 10/3 units, × €10 = 3 333 cents
    expect(r.stores[0]).toMatchObject({ demand: 4, served: 3, fill_rate: 0.75, cycle_service_level: 0 });
    expect(r).toMatchObject({ fill_rate: 0.75, cycle_service_level: 0.5, transfers: 0, average_stock_value: 3333 });
    expect(r.average_on_hand).toBeCloseTo(10 / 3, 12);
  });

  it('given pooling within the promise, then B backs A up and nothing is lost', () => {
    const r = value(simulate({ ...base, pooling: { transfer_lead_days: 1, promise_days: 2 } }));
    // day 1: A short 1, B has 3 left → B sends 1 (B: 2)
    // A: fill 4/4, CSL 1; average on hand A 1/3, B (3 + 2 + 2)/3 = 7/3 → 8/3 units
    expect(r.stores[0]).toMatchObject({ served: 4, served_by_transfer: 1, fill_rate: 1, cycle_service_level: 1 });
    expect(r).toMatchObject({ fill_rate: 1, cycle_service_level: 1, transfers: 1 });
    expect(r.average_on_hand).toBeCloseTo(8 / 3, 12);
  });

  it('given a transfer slower than the promise, then pooling is not used', () => {
    const slow = value(simulate({ ...base, pooling: { transfer_lead_days: 3, promise_days: 2 } }));
    expect(slow).toEqual(value(simulate(base)));
  });

  it('orders up to max at a review and receives after the lead time', () => {
    // One store, min 2 / max 5, 2 on hand; review every 2 days, lead 1 day; demand 1 a day for 4 days.
    // day 0: position 2 ≤ 2 → order 3, due day 1; sells 1 → 1
    // day 1: +3 → 4; sells 1 → 3;  day 2: review, position 3 > 2: no order; sells 1 → 2
    // day 3: sells 1 → 1. End-of-day stock 1, 3, 2, 1 → average 7/4; nothing lost.
    const r = value(
      simulate({
        stores: [store('S', 2, 5, 2)],
        demand: [[1], [1], [1], [1]],
        review_days: 2,
        lead_days: 1,
      }),
    );
    expect(r).toMatchObject({ fill_rate: 1, cycle_service_level: 1, average_on_hand: 7 / 4 });
  });

  it('refuses a demand row of the wrong width and a max below min', () => {
    expect(value2(simulate({ ...base, demand: [[1]] }))).toBe('demand[0]');
    expect(value2(simulate({ ...base, stores: [store('A', 3, 2, 0), store('B', 1, 3, 3)] }))).toBe('stores[0].max');
  });

  it('never serves more than demanded, with or without pooling', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(6), fc.nat(6), fc.nat(6)), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        (rows, R, L) => {
          const input: SimulationInput = {
            stores: [store('a', 3, 8, 5), store('b', 2, 6, 4), store('c', 0, 4, 0)],
            demand: rows.map((t) => [...t]),
            review_days: R,
            lead_days: L,
          };
          for (const r of [
            simulate(input),
            simulate({ ...input, pooling: { transfer_lead_days: 0, promise_days: 0 } }),
          ]) {
            const v = value(r);
            expect(v.served).toBeLessThanOrEqual(v.demand);
            for (const s of v.stores) expect(s.served).toBeLessThanOrEqual(s.demand);
            expect(v.fill_rate).toBeGreaterThanOrEqual(0);
            expect(v.fill_rate).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });
});

describe('simulation checks the √n pooling claim on a seeded history', () => {
  // Seeded PRNG (mulberry32) lives in the test: the rules take the history as input.
  function mulberry32(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function history(days: number, stores: number, mean: number, seed: number): number[][] {
    const rnd = mulberry32(seed);
    // Binomial(2·mean, 1/2): mean 4, variance 2 (sd ≈ 1.41), integer, independent per store
    return Array.from({ length: days }, () =>
      Array.from({ length: stores }, () => {
        let u = 0;
        for (let k = 0; k < 2 * mean; k++) u += rnd() < 0.5 ? 1 : 0;
        return u;
      }),
    );
  }

  it('four stores with the pooled (halved) safety stock and backup serve about as well as alone with full', () => {
    const n = 4;
    const demand = history(730, n, 4, 42);
    const sd = Math.SQRT2;
    const alone = value(minMax({ mean: 4, sd, service_level: 0.95, review_days: 2, lead_days: 1 }));
    const pool = value(
      poolingSaving({
        stores: Array.from({ length: n }, (_, i) => ({ id: `s${i}`, sd })),
        service_level: 0.95,
        horizon_days: 3,
      }),
    );
    // alone: safety 1.645 × 1.414 × √3 = 4.03 → min ⌈12 + 4.03⌉ = ⌈16.03⌉ = 17, max ⌈16.03 + 8⌉ = 25
    // pooled: each store keeps 4.03 / √4 = 2.01 → min ⌈14.01⌉ = 15, max ⌈22.01⌉ = 23
    const pooledMin = Math.ceil(12 + pool.stores[0]!.pooled);
    const pooledMax = Math.ceil(12 + pool.stores[0]!.pooled + 8);
    expect([alone.min, alone.max, pooledMin, pooledMax]).toEqual([17, 25, 15, 23]);
    const run = (min: number, max: number, pooling?: SimulationInput['pooling']): SimulationResult =>
      value(
        simulate({
          stores: Array.from({ length: n }, (_, i) => ({
            id: `s${i}`,
            min,
            max,
            initial_on_hand: max,
            unit_cost: 2000,
          })),
          demand,
          review_days: 2,
          lead_days: 1,
          ...(pooling ? { pooling } : {}),
        }),
      );
    const standAlone = run(alone.min, alone.max);
    const standAloneLean = run(pooledMin, pooledMax);
    const pooled = run(pooledMin, pooledMax, { transfer_lead_days: 1, promise_days: 1 });
    // Lean stock without backup falls short of the full-stock result; with backup it catches up,
    // and it ties up less money than the stand-alone policy.
    expect(standAloneLean.fill_rate).toBeLessThan(standAlone.fill_rate);
    expect(pooled.fill_rate).toBeGreaterThanOrEqual(standAlone.fill_rate);
    expect(pooled.average_stock_value).toBeLessThan(standAlone.average_stock_value);
    // Both reach the 95 % target per review cycle. (Measured: 100 % alone, 99.6 % lean alone, 100 %
    // pooled — the order-up-to min + μR overshoots the target; see docs/planning.md.)
    expect(standAlone.cycle_service_level).toBeGreaterThanOrEqual(0.95);
    expect(pooled.cycle_service_level).toBeGreaterThanOrEqual(0.95);
  });
});

function value2(r: Result<unknown>): string | null {
  return r.ok ? null : r.error.field;
}
