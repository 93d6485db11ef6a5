import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pickBest } from './summary-pick.js';

/** The pick as SQL did it before (filter, rank by promise then location id, first `limit`), on arrays. */
function reference(
  free: (number | null)[],
  safety: (number | null)[],
  at: (string | undefined)[],
  channelSafety: number,
  limit: number,
) {
  const all: { location_id: string; free: number; safety: number; p: number }[] = [];
  free.forEach((f, k) => {
    const loc = at[k];
    if (f === null || loc === undefined) return;
    const s = safety[k] ?? 0;
    const p = f - Math.max(s, channelSafety);
    if (p > 0) all.push({ location_id: loc, free: f, safety: s, p });
  });
  all.sort((a, b) => b.p - a.p || (a.location_id < b.location_id ? -1 : 1));
  return all.slice(0, Math.max(0, limit)).map(({ location_id, free, safety }) => ({ location_id, free, safety }));
}

const pack = (a: (number | null)[]) => a.map((x) => (x === null ? '' : String(x))).join(',');

describe('the batch candidates picked from a summary row', () => {
  it('are the best `limit` allowed locations, ties by location id, as the ranking of every slot', () => {
    const slot = fc.record({
      free: fc.option(fc.integer({ min: -5, max: 3000 }), { nil: null }),
      safety: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
      // few distinct ids so ties by location id are met; undefined = a slot the channel may not use
      loc: fc.option(fc.constantFrom('L1', 'L2', 'L3', 'L4', 'L10', 'L20', 'a', 'Z'), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(slot, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 40 }),
        (slots, channelSafety, limit) => {
          const free = slots.map((s) => s.free);
          const safety = slots.map((s) => s.safety);
          const at = slots.map((s) => s.loc);
          expect(pickBest(pack(free), pack(safety), at, channelSafety, limit)).toEqual(
            reference(free, safety, at, channelSafety, limit),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads empty fields as no stock row and as no safety stock, and a short safety array as zeros', () => {
    expect(pickBest(',7,,12', '1,,3', ['a', 'b', 'c', 'd'], 0, 3)).toEqual([
      { location_id: 'd', free: 12, safety: 0 },
      { location_id: 'b', free: 7, safety: 0 },
    ]);
    expect(pickBest('5,5', '', ['b', 'a'], 2, 1)).toEqual([{ location_id: 'a', free: 5, safety: 0 }]);
    expect(pickBest('', '', ['a'], 0, 1)).toEqual([]);
    expect(pickBest('9', '0', [undefined], 0, 1)).toEqual([]);
    expect(pickBest('9', '0', ['a'], 0, 0)).toEqual([]);
  });

  it('keeps every slot of a 500-slot row in the ranking when many are asked (a hot SKU)', () => {
    const free = Array.from({ length: 500 }, (_, k) => (k * 37) % 41);
    const safety = Array.from({ length: 500 }, (_, k) => k % 3);
    const at = free.map((_, k) => `loc-${String(k).padStart(3, '0')}`);
    for (const limit of [1, 16, 17, 200, 500])
      expect(pickBest(pack(free), pack(safety), at, 1, limit)).toEqual(reference(free, safety, at, 1, limit));
  });
});
