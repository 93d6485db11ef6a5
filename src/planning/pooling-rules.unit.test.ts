import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { poolingSaving } from './pooling-rules.js';
import type { PoolingResult, Result } from './types.js';

function value(r: Result<PoolingResult>): PoolingResult {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
const stores = (sds: number[]) => sds.map((sd, i) => ({ id: `s${i}`, sd }));

describe('pooling saving (square-root law)', () => {
  it('given 4 identical independent stores, then the pool needs 1/√4 = half the safety stock', () => {
    const r = value(poolingSaving({ stores: stores([2, 2, 2, 2]), service_level: 0.95, horizon_days: 3 }));
    // alone, each: z·σ·√T = 1.6449 × 2 × √3 = 5.698;  four stores: 4 × 5.698 = 22.792
    // pooled: z·√(4 × 2²)·√3 = 1.6449 × 4 × 1.7321 = 11.396  = 22.792 / √4
    expect(r.stores[0]!.alone).toBeCloseTo(5.698, 3);
    expect(r.total_alone).toBeCloseTo(22.792, 2);
    expect(r.total_pooled).toBeCloseTo(11.396, 2);
    expect(r.ratio).toBeCloseTo(2, 12);
    // per store: each keeps 11.396 / 4 = 2.849 and saves 5.698 − 2.849 = 2.849
    expect(r.stores[3]!.pooled).toBeCloseTo(2.849, 3);
    expect(r.stores[3]!.saving).toBeCloseTo(2.849, 3);
  });

  it('given unequal stores, then σ_pool = √(Σσᵢ²)', () => {
    // σ = 3 and 4: σ_pool = √(9 + 16) = 5 instead of 3 + 4 = 7; with z√T = 1 (p = 0.5 → z = 0 is not
    // usable, so compare the ratio): 7 / 5 = 1.4
    const r = value(poolingSaving({ stores: stores([3, 4]), service_level: 0.95, horizon_days: 1 }));
    expect(r.ratio).toBeCloseTo(1.4, 12);
  });

  it('given perfectly correlated stores, then pooling saves nothing', () => {
    const r = value(
      poolingSaving({
        stores: stores([2, 5]),
        service_level: 0.9,
        horizon_days: 2,
        correlation: [
          [1, 1],
          [1, 1],
        ],
      }),
    );
    expect(r.saving).toBeCloseTo(0, 9);
  });

  it('refuses a correlation matrix that is not symmetric or has entries outside [-1, 1]', () => {
    const bad = [
      [
        [1, 0.5],
        [0.2, 1],
      ],
      [
        [1, 2],
        [2, 1],
      ],
      [[1]],
    ];
    for (const correlation of bad) {
      const r = poolingSaving({ stores: stores([1, 1]), service_level: 0.95, horizon_days: 1, correlation });
      expect(r.ok ? null : r.error.field).toBe('correlation');
    }
  });

  it('pooled safety stock never exceeds the sum of the stand-alone ones (any sds, any common ρ ≥ 0)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (sds, rho) => {
          const correlation = sds.map((_, i) => sds.map((__, j) => (i === j ? 1 : rho)));
          const r = value(poolingSaving({ stores: stores(sds), service_level: 0.95, horizon_days: 3, correlation }));
          expect(r.total_pooled).toBeLessThanOrEqual(r.total_alone * (1 + 1e-12) + 1e-12);
          const perStore = r.stores.reduce((s, x) => s + x.pooled, 0);
          expect(perStore).toBeCloseTo(r.total_pooled, 6);
        },
      ),
    );
  });

  it('n identical independent stores: ratio is exactly √n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.double({ min: 0.1, max: 50, noNaN: true }), (n, sd) => {
        const r = value(poolingSaving({ stores: stores(new Array(n).fill(sd)), service_level: 0.95, horizon_days: 3 }));
        expect(r.ratio).toBeCloseTo(Math.sqrt(n), 9);
      }),
    );
  });
});
