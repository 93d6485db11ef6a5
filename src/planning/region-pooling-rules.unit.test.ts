import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { poolingSaving } from './pooling-rules.js';
import { regionPooling, type RegionPoolingResult } from './region-pooling-rules.js';
import type { Result } from './types.js';

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
const region = (r: RegionPoolingResult, name: string | null) => r.regions.find((g) => g.region === name)!;

describe('pooling saving per region', () => {
  // 95 % → z = 1.6449, horizon 4 days → √4 = 2, so k = z√T = 3.2897.
  const input = {
    service_level: 0.95,
    horizon_days: 4,
    stores: [
      { id: 'n1', region: 'Norte', sd: 2 },
      { id: 's1', region: 'Sur', sd: 3 },
      { id: 'n2', region: 'Norte', sd: 2 },
      { id: 'n3', region: 'Norte', sd: 2 },
      { id: 'g', region: null, sd: 1 },
      { id: 's2', region: 'Sur', sd: 4 },
      { id: 'n4', region: 'Norte', sd: 2 },
    ],
  };

  it('given a worked chain of two regions and a store without one, then each region pools on its own', () => {
    const r = value(regionPooling(input));
    // Norte: 4 stores of σ 2. Alone 4 × k·2 = 26.318; pooled k·√(4 × 4) = k·4 = 13.159; ratio √4 = 2;
    // each store keeps 13.159 / 4 = 3.290.
    const norte = region(r, 'Norte');
    expect(norte.stores).toBe(4);
    expect(norte.alone).toBeCloseTo(26.318, 3);
    expect(norte.pooled).toBeCloseTo(13.159, 3);
    expect(norte.ratio).toBeCloseTo(2, 12);
    expect(r.stores[2]!.pooled).toBeCloseTo(3.29, 3);
    // Sur: σ 3 and 4. Alone k·7 = 23.028; pooled k·√(9 + 16) = k·5 = 16.449; ratio 7/5 = 1.4; each
    // keeps its share 5/7 of what it needs alone: s1 9.869 × 5/7 = 7.049, s2 13.159 × 5/7 = 9.399.
    const sur = region(r, 'Sur');
    expect(sur.alone).toBeCloseTo(23.028, 3);
    expect(sur.pooled).toBeCloseTo(16.449, 3);
    expect(sur.saving).toBeCloseTo(6.579, 3);
    expect(sur.ratio).toBeCloseTo(1.4, 12);
    expect(r.stores[1]!.pooled).toBeCloseTo(7.049, 3);
    expect(r.stores[5]!.pooled).toBeCloseTo(9.399, 3);
    // g has no region: a pool of one, k·1 = 3.290 alone and pooled, no saving.
    const none = region(r, null);
    expect([none.stores, none.saving, none.ratio]).toEqual([1, 0, 1]);
    expect(r.stores[4]!.pooled).toBeCloseTo(3.29, 3);
    expect(r.regions.map((g) => g.region)).toEqual(['Norte', 'Sur', null]);
  });

  it('given the same chain, then pooling by region saves less than pooling the whole chain', () => {
    const r = value(regionPooling(input));
    const chain = value(poolingSaving(input));
    const pooled = r.regions.reduce((s, g) => s + g.pooled, 0);
    // alone k·16 = 52.635 ≥ by region k·(4 + 5 + 1) = 32.897 ≥ whole chain k·√42 = 21.320
    expect(chain.total_alone).toBeCloseTo(52.635, 3);
    expect(pooled).toBeCloseTo(32.897, 3);
    expect(chain.total_pooled).toBeCloseTo(21.32, 3);
  });

  it('given two stores without a region, then neither backs the other up', () => {
    const r = value(
      regionPooling({
        service_level: 0.9,
        horizon_days: 3,
        stores: [
          { id: 'a', region: null, sd: 2 },
          { id: 'b', region: null, sd: 2 },
        ],
      }),
    );
    expect(r.regions).toHaveLength(1);
    expect(r.regions[0]!.saving).toBe(0);
    expect(r.stores.map((s) => s.pooled)).toEqual(r.stores.map((s) => s.alone));
  });

  it("given bad input, then it names the field in the caller's terms", () => {
    const empty = regionPooling({ service_level: 0.95, horizon_days: 3, stores: [] });
    expect(empty.ok).toBe(false);
    const bad = regionPooling({
      service_level: 0.95,
      horizon_days: 3,
      stores: [
        { id: 'a', region: 'X', sd: 1 },
        { id: 'b', region: 'Y', sd: 1 },
        { id: 'c', region: 'Y', sd: -1 },
      ],
    });
    expect(bad.ok ? null : bad.error.field).toBe('stores[2].sd');
    const blank = regionPooling({ service_level: 0.95, horizon_days: 3, stores: [{ id: 'a', region: '', sd: 1 }] });
    expect(blank.ok ? null : blank.error.field).toBe('stores[0].region');
    const level = regionPooling({ service_level: 1, horizon_days: 3, stores: [{ id: 'a', region: 'X', sd: 1 }] });
    expect(level.ok ? null : level.error.field).toBe('service_level');
  });

  it('property: alone ≥ pooled by region ≥ pooled chain-wide, and one region is the chain-wide pool', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ region: fc.constantFrom('A', 'B', 'C', null), sd: fc.double({ min: 0, max: 50, noNaN: true }) }),
          { minLength: 1, maxLength: 30 },
        ),
        (rows) => {
          const stores = rows.map((x, i) => ({ id: `s${i}`, ...x }));
          const p = { service_level: 0.95, horizon_days: 3 };
          const r = value(regionPooling({ ...p, stores }));
          const chain = value(poolingSaving({ ...p, stores }));
          const pooled = r.regions.reduce((s, g) => s + g.pooled, 0);
          expect(pooled).toBeLessThanOrEqual(chain.total_alone * (1 + 1e-12) + 1e-9);
          expect(pooled).toBeGreaterThanOrEqual(chain.total_pooled * (1 - 1e-12) - 1e-9);
          const one = value(regionPooling({ ...p, stores: stores.map((s) => ({ ...s, region: 'X' })) }));
          expect(one.regions[0]!.pooled).toBeCloseTo(chain.total_pooled, 9);
        },
      ),
    );
  });
});
