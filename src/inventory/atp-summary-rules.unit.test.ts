import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { atp } from './rules.js';
import { promisesOf, shouldProject, summaryAtp, unpack } from './atp-summary-rules.js';

const policy = fc.record({
  safety_stock: fc.integer({ min: 0, max: 40 }),
  buffer_pct: fc.integer({ min: 0, max: 100 }),
});

describe('the availability summary rules', () => {
  it('promise the same as atp() on the stock row, for every level and policy', () => {
    const big = fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 2147483647 }));
    fc.assert(
      fc.property(
        fc
          .record({ on_hand: big, reserved: big, safety_stock: fc.oneof(fc.integer({ min: 0, max: 30 }), big) })
          .filter((l) => l.reserved <= l.on_hand),
        policy,
        (l, p) => {
          expect(summaryAtp(l.on_hand - l.reserved, l.safety_stock, p)).toBe(atp(l, p));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('read a missing slot as no stock', () => {
    expect(summaryAtp(null, null, { safety_stock: 0, buffer_pct: 0 })).toBe(0);
    expect(summaryAtp(undefined, 3, { safety_stock: 0, buffer_pct: 0 })).toBe(0);
  });

  it('list the wanted locations with something to promise, in the order asked', () => {
    // slots 1..4: free 5, none, 2, 9; safety 1, -, 2, 0
    const free = [5, null, 2, 9];
    const safety = [1, null, 2, 0];
    const positions = [
      { location_id: 'd', index: 3 },
      { location_id: 'a', index: 0 },
      { location_id: 'b', index: 1 },
      { location_id: 'c', index: 2 },
      { location_id: 'beyond', index: 7 },
    ];
    expect(promisesOf(free, safety, positions, { safety_stock: 0, buffer_pct: 0 })).toEqual([
      { location_id: 'd', available: 9 },
      { location_id: 'a', available: 4 },
    ]);
    expect(promisesOf(free, safety, positions, { safety_stock: 3, buffer_pct: 50 })).toEqual([
      { location_id: 'd', available: 3 },
      { location_id: 'a', available: 1 },
    ]);
  });

  it('project only when most slots are not wanted', () => {
    expect(shouldProject(20, 504)).toBe(true);
    expect(shouldProject(504, 504)).toBe(false);
    expect(shouldProject(200, 504)).toBe(false);
  });

  it('read back the packed text of any array, NULL slots as null (int4 extremes and negatives)', () => {
    const slot = fc.option(fc.integer({ min: -2147483648, max: 2147483647 }), { nil: null });
    fc.assert(
      fc.property(fc.array(slot, { minLength: 1, maxLength: 600 }), (a) => {
        const packed = a.map((x) => (x === null ? '' : String(x))).join(',');
        const back = unpack(packed);
        // a lone NULL packs as '' like an empty array: both read as "no stock row"
        expect(back).toEqual(a.length === 1 && a[0] === null ? [] : a);
      }),
    );
    expect(unpack('')).toEqual([]);
    expect(unpack(',7,')).toEqual([null, 7, null]);
  });
});
