import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyLostSales } from './lost-sales-rules.js';
import type { LostSalesSummary, Result } from './types.js';

function value(r: Result<LostSalesSummary>): LostSalesSummary {
  if (!r.ok) throw new Error(`${r.error.field}: ${r.error.message}`);
  return r.value;
}
const day = '2026-03-02';

describe('lost sales: sourcing opportunity or buying problem', () => {
  it('given stock elsewhere for part of it, then that part is an opportunity and the rest a buying problem', () => {
    const r = value(
      classifyLostSales(
        [
          { sku: 'A', location: 'S1', day, units: 3, unit_price: 1000 },
          { sku: 'A', location: 'S2', day, units: 3, unit_price: 1000 },
          { sku: 'B', location: 'S1', day, units: 2, unit_price: 2500 },
        ],
        [
          { sku: 'A', day, location: 'S2', units: 1 },
          { sku: 'A', day, location: 'S3', units: 4 },
        ],
      ),
    );
    // A at S1 (3): S2 spares 1, S3 spares 2 → 3 sourceable; S3 has 2 left
    // A at S2 (3): its own stock does not count; S3's last 2 → 2 sourceable, 1 buying problem
    // B at S1 (2): nobody has B → 2 buying problem
    expect(r.lines.map((l) => [l.sku, l.location, l.sourceable, l.unsourceable])).toEqual([
      ['A', 'S1', 3, 0],
      ['A', 'S2', 2, 1],
      ['B', 'S1', 0, 2],
    ]);
    // opportunity 5 × €10 = 5000; buying 1 × €10 + 2 × €25 = 6000
    expect(r.sourcing_opportunity).toEqual({ units: 5, value: 5000 });
    expect(r.buying_problem).toEqual({ units: 3, value: 6000 });
  });

  it('refuses zero units and a non-date', () => {
    const a = classifyLostSales([{ sku: 'A', location: 'S1', day, units: 0, unit_price: 1 }], []);
    expect(a.ok ? null : a.error.field).toBe('lost[0].units');
    const b = classifyLostSales([{ sku: 'A', location: 'S1', day: 'monday', units: 1, unit_price: 1 }], []);
    expect(b.ok ? null : b.error.field).toBe('lost[0].day');
  });

  it('splits every lost unit exactly once and never counts more spare stock than there was', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('S1', 'S2', 'S3'), fc.integer({ min: 1, max: 9 })), { maxLength: 10 }),
        fc.tuple(fc.nat(9), fc.nat(9), fc.nat(9)),
        (lost, [a, b, c]) => {
          const r = value(
            classifyLostSales(
              lost.map(([location, units]) => ({ sku: 'X', location, day, units, unit_price: 100 })),
              [
                { sku: 'X', day, location: 'S1', units: a },
                { sku: 'X', day, location: 'S2', units: b },
                { sku: 'X', day, location: 'S3', units: c },
              ],
            ),
          );
          for (const l of r.lines) expect(l.sourceable + l.unsourceable).toBe(l.units);
          expect(r.sourcing_opportunity.units).toBeLessThanOrEqual(a + b + c);
        },
      ),
    );
  });
});
