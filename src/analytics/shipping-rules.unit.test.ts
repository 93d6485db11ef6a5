import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { breakEvenThreshold, freeShippingWhatIf, marginByBand, shippingCostByBand } from './shipping-rules.js';
import type { Result, ShippingOrder } from './types.js';

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.field}: ${r.error.message}`);
  return r.value;
}
const o = (
  merchandise: number,
  paid: number,
  cost: number,
  method: ShippingOrder['method'] = 'home',
): ShippingOrder => ({
  zone: 'ES',
  method,
  merchandise,
  shipping_paid: paid,
  fulfilment_cost: cost,
});
const bands = [0, 2500, 5000];
const history = [
  o(1500, 395, 600),
  o(2000, 395, 500),
  o(3000, 395, 650),
  o(6000, 0, 700),
  o(6000, 0, 150, 'click_collect'),
];

describe('shipping cost against what shoppers paid', () => {
  it('groups by zone, basket band and method', () => {
    const r = value(shippingCostByBand(history, bands));
    // ES 0–2499 home: 2 orders, paid 395 + 395 = 790, cost 600 + 500 = 1100, margin −310
    expect(r[0]).toEqual({
      zone: 'ES',
      band: '0-2499',
      method: 'home',
      orders: 2,
      paid: 790,
      cost: 1100,
      shipping_margin: -310,
      average_paid: 395,
      average_cost: 550,
    });
    expect(r.map((x) => `${x.band}/${x.method}`)).toEqual([
      '0-2499/home',
      '2500-4999/home',
      '5000+/home',
      '5000+/click_collect',
    ]);
  });

  it('gives the contribution per band at the retailer gross margin', () => {
    const r = value(marginByBand(history, bands, 4000));
    // 0–2499: merch 3500 × 40 % = 1400; + paid 790 − cost 1100 = 1090
    // 2500–4999: 3000 × 40 % = 1200; + 395 − 650 = 945
    // 5000+: 12000 × 40 % = 4800; + 0 − 850 = 3950
    expect(r.map((b) => [b.band, b.gross_margin, b.contribution])).toEqual([
      ['0-2499', 1400, 1090],
      ['2500-4999', 1200, 945],
      ['5000+', 4800, 3950],
    ]);
  });

  it('refuses bands that do not start at 0 or do not ascend, and a margin above 100 %', () => {
    expect(field(shippingCostByBand(history, [100, 200]))).toBe('bands');
    expect(field(shippingCostByBand(history, [0, 200, 200]))).toBe('bands[2]');
    expect(field(marginByBand(history, bands, 10001))).toBe('gross_margin_bp');
  });
});

describe('free-shipping what-if and break-even threshold', () => {
  // Four paid orders of €3.95 shipping; gross margin 40 %; shoppers within €10 of the threshold top up.
  const paid = [o(1500, 395, 600), o(2800, 395, 600), o(3500, 395, 600), o(6000, 395, 600)];
  const opts = { gross_margin_bp: 4000, reach: 1000 };

  it('given €30, then it costs 11.05: two free orders, one topping up', () => {
    const w = value(freeShippingWhatIf(paid, 3000, opts));
    // free: 3500 and 6000 → lose 2 × 395 = 790
    // within reach [2000, 3000): 2800 tops up by 200 → margin 200 × 40 % = 80, loses its 395
    // effect = 80 − (790 + 395) = −1105
    expect(w).toEqual({
      threshold: 3000,
      orders_free: 2,
      orders_topping_up: 1,
      shipping_revenue_lost: 1185,
      uplift_merchandise: 200,
      uplift_margin: 80,
      effect: -1105,
    });
  });

  it('given candidates €30…€70, then €70 is the break-even threshold, computed by hand', () => {
    const r = value(breakEvenThreshold(paid, [3000, 4000, 5000, 6000, 7000], opts));
    // €40: free 6000 (−395); 3500 tops up 500 → +200, −395      → 200 − 790 = −590
    // €50: free 6000 (−395); nothing in [4000, 5000)             → −395
    // €60: 6000 free (−395); nothing in [5000, 6000)             → −395
    // €70: nobody free; 6000 tops up 1000 → +400, −395           → +5  ≥ 0: break-even
    expect(r.curve.map((w) => w.effect)).toEqual([-1105, -590, -395, -395, 5]);
    expect(r.threshold).toBe(7000);
  });

  it('says null when no candidate breaks even, and refuses non-ascending candidates', () => {
    expect(value(breakEvenThreshold(paid, [3000, 4000], opts)).threshold).toBeNull();
    expect(field(breakEvenThreshold(paid, [4000, 3000], opts))).toBe('candidates[1]');
  });

  it('without top-ups, free shipping only gives revenue away, less the higher the threshold', () => {
    const orders = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 20000 }), fc.integer({ min: 0, max: 900 })).map(([m, p]) => o(m, p, 500)),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(orders, fc.integer({ min: 0, max: 20000 }), fc.integer({ min: 1, max: 5000 }), (os, t, step) => {
        const a = value(freeShippingWhatIf(os, t, { gross_margin_bp: 4000, reach: 0 }));
        const b = value(freeShippingWhatIf(os, t + step, { gross_margin_bp: 4000, reach: 0 }));
        expect(a.effect).toBeLessThanOrEqual(0);
        expect(b.effect).toBeGreaterThanOrEqual(a.effect);
      }),
    );
  });

  it('the break-even threshold is the first candidate where the effect crosses to ≥ 0', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 10000 }), fc.integer({ min: 0, max: 900 })).map(([m, p]) => o(m, p, 500)),
          { maxLength: 20 },
        ),
        fc.uniqueArray(fc.integer({ min: 0, max: 12000 }), { minLength: 1, maxLength: 8 }),
        (os, cands) => {
          const sorted = [...cands].sort((x, y) => x - y);
          const r = value(breakEvenThreshold(os, sorted, { gross_margin_bp: 5000, reach: 2000 }));
          const i = r.threshold === null ? r.curve.length : sorted.indexOf(r.threshold);
          r.curve.slice(0, i).forEach((w) => expect(w.effect).toBeLessThan(0));
          if (r.threshold !== null) expect(r.curve[i]!.effect).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});

function field(r: Result<unknown>): string | null {
  return r.ok ? null : r.error.field;
}
