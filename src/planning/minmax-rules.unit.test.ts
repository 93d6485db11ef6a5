import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  demandStats,
  expectedAverageStock,
  minMax,
  roundUp,
  stockInvestment,
  zForServiceLevel,
} from './minmax-rules.js';
import { inverseNormalCdf } from './normal.js';
import type { Result } from './types.js';

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.field}: ${r.error.message}`);
  return r.value;
}

describe('inverse normal CDF (Acklam)', () => {
  it('given textbook service levels, when inverted, then z matches the tables to 3e-9', () => {
    // Reference quantiles (R qnorm, 16 digits).
    expect(Math.abs(inverseNormalCdf(0.95) - 1.6448536269514722)).toBeLessThan(3e-9);
    expect(Math.abs(inverseNormalCdf(0.975) - 1.959963984540054)).toBeLessThan(3e-9);
    expect(Math.abs(inverseNormalCdf(0.99) - 2.3263478740408408)).toBeLessThan(6e-9);
    expect(Math.abs(inverseNormalCdf(0.999) - 3.090232306167813)).toBeLessThan(6e-9);
    expect(Math.abs(inverseNormalCdf(0.01) + 2.3263478740408408)).toBeLessThan(6e-9);
    expect(inverseNormalCdf(0.5)).toBe(0);
  });

  it('is increasing and antisymmetric around 0.5', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 0.5, noNaN: true }),
        fc.double({ min: 1e-6, max: 0.4, noNaN: true }),
        (p, d) => {
          expect(inverseNormalCdf(p + d)).toBeGreaterThan(inverseNormalCdf(p));
          expect(Math.abs(inverseNormalCdf(p) + inverseNormalCdf(1 - p))).toBeLessThan(1e-8);
        },
      ),
    );
  });

  it('refuses a service level outside [0.5, 1) instead of clamping it', () => {
    for (const p of [0.4, 1, 1.2, Number.NaN]) {
      const r = zForServiceLevel(p);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ code: 'invalid_input', field: 'service_level' });
    }
  });
});

describe('demand statistics with censored stock-out days', () => {
  it('given a stock-out day, when estimating, then that day is left out rather than counted as zero', () => {
    // Given five days, the 3rd (sold 0) and 5th (sold 1 before running out) out of stock
    const days = [
      { units: 4, stockout: false },
      { units: 6, stockout: false },
      { units: 0, stockout: true },
      { units: 5, stockout: false },
      { units: 1, stockout: true },
    ];
    const s = value(demandStats(days));
    // Observed {4, 6, 5}: mean = 15 / 3 = 5; variance = (1 + 1 + 0) / (3 − 1) = 1; sd = 1.
    expect(s).toEqual({ mean: 5, sd: 1, observed_days: 3, censored_days: 2 });
    // Zero-filling / sales-as-demand would give mean (4 + 6 + 0 + 5 + 1) / 5 = 3.2: 36 % too low.
  });

  it('reports insufficient history when fewer than two uncensored days remain', () => {
    const r = demandStats([
      { units: 3, stockout: false },
      { units: 0, stockout: true },
    ]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('insufficient_history');
  });

  it('refuses negative or fractional units', () => {
    expect(demandStats([{ units: -1, stockout: false }]).ok).toBe(false);
    expect(demandStats([{ units: 1.5, stockout: false }]).ok).toBe(false);
  });

  it('censoring can only raise the mean when stock-out days sold less than the rest', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 2, maxLength: 30 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 10 }),
        (open, out) => {
          const floor = Math.min(...open);
          const censored = out.map((u) => ({ units: Math.min(u, floor), stockout: true }));
          const all = [...open.map((u) => ({ units: u, stockout: false })), ...censored];
          const naive = all.reduce((s, d) => s + d.units, 0) / all.length;
          expect(value(demandStats(all)).mean).toBeGreaterThanOrEqual(naive - 1e-12);
        },
      ),
    );
  });
});

describe('min/max (periodic review, order-up-to)', () => {
  it('given mean 4/day, sd 2, review 2 days + lead 1 day at 95 %, then min 18 and max 26', () => {
    const mm = value(minMax({ mean: 4, sd: 2, service_level: 0.95, review_days: 2, lead_days: 1 }));
    // z(0.95) = 1.645; R + L = 3 days; √3 = 1.7321
    // safety  = z·σ·√3 = 1.6449 × 2 × 1.7321 = 5.698
    // min raw = μ(R+L) + safety = 4 × 3 + 5.698 = 17.698 → rounded up to 18
    // max raw = min raw + μR = 17.698 + 4 × 2 = 25.698 → rounded up to 26
    expect(mm.z).toBeCloseTo(1.645, 3);
    expect(mm.safety_stock).toBeCloseTo(5.698, 3);
    expect(mm.raw_min).toBeCloseTo(17.698, 3);
    expect(mm).toMatchObject({ min: 18, max: 26 });
  });

  it('given no variability, then min and max are the exact cover, not rounded up past float noise', () => {
    // σ = 0: min = 0.1 × 30 = 3 (3.0000000000000004 in floats), max = 3 + 0.1 × 20 = 5
    expect(value(minMax({ mean: 0.1, sd: 0, service_level: 0.95, review_days: 20, lead_days: 10 }))).toMatchObject({
      min: 3,
      max: 5,
    });
    expect(roundUp(18.01)).toBe(19);
  });

  it('refuses bad inputs field by field', () => {
    const base = { mean: 4, sd: 2, service_level: 0.95, review_days: 2, lead_days: 1 };
    const cases: [Partial<typeof base>, string][] = [
      [{ mean: -1 }, 'mean'],
      [{ sd: Number.NaN }, 'sd'],
      [{ service_level: 1 }, 'service_level'],
      [{ review_days: 0 }, 'review_days'],
      [{ review_days: 1.5 }, 'review_days'],
      [{ lead_days: -1 }, 'lead_days'],
    ];
    for (const [over, field] of cases) {
      const r = minMax({ ...base, ...over });
      expect(r.ok ? null : r.error.field).toBe(field);
    }
  });

  it('min ≤ max, and both grow with the service level', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: 0, max: 14 }),
        (mean, sd, R, L) => {
          const lo = value(minMax({ mean, sd, service_level: 0.9, review_days: R, lead_days: L }));
          const hi = value(minMax({ mean, sd, service_level: 0.99, review_days: R, lead_days: L }));
          expect(lo.min).toBeLessThanOrEqual(lo.max);
          expect(hi.min).toBeGreaterThanOrEqual(lo.min);
          expect(hi.max).toBeGreaterThanOrEqual(lo.max);
        },
      ),
    );
  });
});

describe('stock investment at cost', () => {
  it('given 18 units at €12.50 and an average of 9.698 units at €12.50, then 22 500 and 12 123 cents', () => {
    // 18 × 1250 = 22 500
    expect(value(stockInvestment([{ units: 18, unit_cost: 1250 }]))).toBe(22500);
    // average stock = safety + μR/2 = 5.698 + 4 × 2 / 2 = 9.698; × 1250 = 12 122.4… → 12 122
    const avg = expectedAverageStock(4, 5.6979, 2);
    expect(avg).toBeCloseTo(9.698, 3);
    expect(value(stockInvestment([{ units: avg, unit_cost: 1250 }]))).toBe(12122);
  });

  it('refuses a fractional unit cost (money is integer minor units)', () => {
    const r = stockInvestment([{ units: 1, unit_cost: 12.5 }]);
    expect(r.ok ? null : r.error.field).toBe('items[0].unit_cost');
  });
});
