import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  handoffCode,
  lineAvailability,
  mergeCoupons,
  mergeLines,
  normaliseCode,
  priceChanges,
  CODE_ALPHABET,
  reserveLocation,
  settlementOf,
} from './rules.js';
import type { QuoteView } from './ports.js';

const quote = (lines: [string, number, number][], coupons: [string, string][] = []): QuoteView => ({
  currency: 'EUR',
  subtotal: 0,
  discount_total: 0,
  shipping: { amount: 0, discount: 0 },
  tax_total: 0,
  tax_breakdown: [],
  total: lines.reduce((n, l) => n + l[2], 0),
  lines: lines.map(([sku, quantity, total]) => ({
    line_id: sku,
    sku,
    quantity,
    unit_price: total / quantity,
    discount: 0,
    total,
    tax_rate: 21,
    tax_amount: 0,
    applied: [],
  })),
  coupons: coupons.map(([code, status]) => ({ code, status })),
});

describe('cart rules', () => {
  it('merges carts by SKU and refuses an int4 overflow', () => {
    expect(
      mergeLines(
        [{ sku: 'A', quantity: 1 }],
        [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 1 },
        ],
      ),
    ).toEqual({
      ok: true,
      lines: [
        { sku: 'A', quantity: 3 },
        { sku: 'B', quantity: 1 },
      ],
    });
    expect(mergeLines([{ sku: 'A', quantity: 2147483647 }], [{ sku: 'A', quantity: 1 }])).toEqual({
      ok: false,
      sku: 'A',
    });
    expect(mergeCoupons(['X', 'Y'], ['Y', 'Z'])).toEqual(['X', 'Y', 'Z']);
  });
  it('keeps every unit when merging', () => {
    const lines = fc.array(
      fc.record({ sku: fc.constantFrom('A', 'B', 'C'), quantity: fc.integer({ min: 1, max: 1000 }) }),
      { maxLength: 3 },
    );
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const uniq = (l: typeof a) => [...new Map(l.map((x) => [x.sku, x])).values()];
        const [x, y] = [uniq(a), uniq(b)];
        const m = mergeLines(x, y);
        expect(m.ok).toBe(true);
        if (m.ok)
          expect(m.lines.reduce((n, l) => n + l.quantity, 0)).toBe([...x, ...y].reduce((n, l) => n + l.quantity, 0));
      }),
    );
  });
  it('makes hand-off codes people can type back', () => {
    const code = handoffCode(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 255]));
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(normaliseCode(code.toLowerCase().replace('-', ' '))).toBe(code);
    expect(normaliseCode('ABCD-EFG0')).toBeNull(); // 0 is not in the alphabet
    expect(normaliseCode('ABC')).toBeNull();
    expect(CODE_ALPHABET).not.toMatch(/[01IOL]/);
  });
  it('tells what changed since the shopper saw the prices', () => {
    expect(priceChanges(null, quote([['A', 1, 100]]))).toEqual([]);
    expect(priceChanges(quote([['A', 1, 100]]), quote([['A', 1, 100]]))).toEqual([]);
    expect(priceChanges(quote([['A', 1, 100]]), quote([['A', 1, 80]]))).toMatchObject([
      { sku: 'A', field: 'line', before: { total: 100 }, after: { total: 80 } },
    ]);
    expect(
      priceChanges(
        quote([
          ['A', 1, 100],
          ['B', 1, 5],
        ]),
        quote([['A', 1, 100]]),
      ),
    ).toMatchObject([{ sku: 'B', after: null }]);
    expect(
      priceChanges(quote([['A', 1, 100]], [['C', 'applied']]), quote([['A', 1, 100]], [['C', 'rejected']])),
    ).toMatchObject([{ field: 'coupon', before: 'applied', after: { code: 'C', status: 'rejected' } }]);
  });
  it('shows availability per line', () => {
    expect(lineAvailability(2, 5)).toEqual({ status: 'available', available: 5 });
    expect(lineAvailability(2, 1)).toEqual({ status: 'short', available: 1 });
    expect(lineAvailability(2, 0)).toEqual({ status: 'unavailable', available: 0 });
  });
});

describe('checkout policy', () => {
  const home = { method: 'home' as const, location_id: null };
  it('Given a till sale, When checkout reserves, Then it reserves at the till', () => {
    expect(reserveLocation({ method: 'in_store', location_id: 'loc_till' }, undefined)).toBe('loc_till');
  });
  it('Given click & collect ready now at the store, Then it reserves there; after a transfer, the inventory picks', () => {
    const cc = { method: 'click_collect' as const, location_id: 'loc_sol' };
    expect(reserveLocation(cc, { ready: 'now', source_location_ids: ['loc_sol'] })).toBe('loc_sol');
    expect(reserveLocation(cc, { ready: 'after_transfer', source_location_ids: ['loc_wh'] })).toBeNull();
  });
  it('Given a home parcel promised from one location, Then it reserves there; from several, the inventory picks', () => {
    expect(reserveLocation(home, { ready: null, source_location_ids: ['loc_wh'] })).toBe('loc_wh');
    expect(reserveLocation(home, { ready: null, source_location_ids: ['loc_wh', 'loc_sol'] })).toBeNull();
    expect(reserveLocation(home, undefined)).toBeNull();
  });
  it('Given the provider answer, Then authorised proceeds, a refusal or an unknown key declines, a timeout waits', () => {
    expect(settlementOf({ ok: true })).toBe('authorised');
    expect(settlementOf({ ok: false })).toBe('declined');
    expect(settlementOf(null)).toBe('declined');
    expect(settlementOf('timeout')).toBe('unknown');
  });
});
