import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  gtinCheckDigit,
  gtinProblem,
  isValidGtin13,
  priceErrors,
  selectPrice,
  variantErrors,
  vatIncluded,
  vatRate,
  type BookEntry,
} from './rules.js';

const digits12 = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 }).map((d) => d.join(''));

describe('GTIN-13', () => {
  it('accepts known real GTINs and refuses a wrong check digit', () => {
    expect(isValidGtin13('4006381333931')).toBe(true);
    expect(isValidGtin13('8410076472885')).toBe(true);
    expect(isValidGtin13('4006381333932')).toBe(false);
    expect(gtinProblem('4006381333932')).toMatch(/expected 1/);
    expect(gtinProblem('40063813339')).toMatch(/13 digits/);
    expect(gtinProblem('400638133393a')).toMatch(/13 digits/);
  });
  it('the computed check digit always validates, and every other digit fails', () => {
    fc.assert(
      fc.property(digits12, fc.integer({ min: 1, max: 9 }), (body, shift) => {
        const check = gtinCheckDigit(body);
        expect(isValidGtin13(body + check)).toBe(true);
        expect(isValidGtin13(body + ((check + shift) % 10))).toBe(false);
      }),
    );
  });
  it('catches any single-digit error in the body', () => {
    fc.assert(
      fc.property(digits12, fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 9 }), (body, pos, shift) => {
        const good = body + gtinCheckDigit(body);
        const bad = good.slice(0, pos) + ((Number(good[pos]) + shift) % 10) + good.slice(pos + 1);
        expect(isValidGtin13(bad)).toBe(false);
      }),
    );
  });
});

describe('VAT', () => {
  it('has the Spanish and Portuguese rates per tax class', () => {
    expect([vatRate('standard', 'ES'), vatRate('reduced', 'ES'), vatRate('super_reduced', 'ES')]).toEqual([21, 10, 4]);
    expect([vatRate('standard', 'PT'), vatRate('reduced', 'PT'), vatRate('super_reduced', 'PT')]).toEqual([23, 13, 6]);
    expect(vatRate('standard', 'pt')).toBe(23);
  });
  it('extracts the VAT in a tax-inclusive price', () => {
    expect(vatIncluded(12100, 21)).toBe(2100);
    expect(vatIncluded(12300, 23)).toBe(2300);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.constantFrom(4, 6, 10, 13, 21, 23), (amount, rate) => {
        const vat = vatIncluded(amount, rate);
        expect(vat).toBeGreaterThanOrEqual(0);
        expect(vat).toBeLessThanOrEqual(amount);
      }),
    );
  });
});

describe('price selection', () => {
  const at = new Date('2026-06-15T12:00:00Z');
  const e = (over: Partial<BookEntry>): BookEntry => ({
    sku: 'A',
    currency: 'EUR',
    channel_id: null,
    list_amount: 5000,
    sale_amount: null,
    valid_from: null,
    valid_to: null,
    ...over,
  });

  it('uses the list price without a sale, and nothing for another currency', () => {
    expect(selectPrice([e({})], { currency: 'EUR', at })?.amount).toBe(5000);
    expect(selectPrice([e({})], { currency: 'GBP', at })).toBeUndefined();
  });
  it('uses the sale price only inside its window [from, to)', () => {
    const sale = e({
      sale_amount: 3500,
      valid_from: new Date('2026-06-01T00:00:00Z'),
      valid_to: new Date('2026-07-01T00:00:00Z'),
    });
    expect(selectPrice([sale], { currency: 'EUR', at })?.amount).toBe(3500);
    expect(selectPrice([sale], { currency: 'EUR', at: new Date('2026-05-31T23:59:59Z') })?.amount).toBe(5000);
    expect(selectPrice([sale], { currency: 'EUR', at: new Date('2026-07-01T00:00:00Z') })?.amount).toBe(5000);
    expect(selectPrice([e({ sale_amount: 4000 })], { currency: 'EUR', at })?.amount).toBe(4000);
  });
  it("prefers the channel's own entry over the default, whatever the order", () => {
    const def = e({ list_amount: 5000 });
    const pt = e({ channel_id: 'chn_pt', list_amount: 5500 });
    for (const book of [
      [def, pt],
      [pt, def],
    ]) {
      expect(selectPrice(book, { currency: 'EUR', channelId: 'chn_pt', at })).toMatchObject({
        amount: 5500,
        channel_id: 'chn_pt',
      });
      expect(selectPrice(book, { currency: 'EUR', channelId: 'chn_web', at })).toMatchObject({
        amount: 5000,
        channel_id: null,
      });
      expect(selectPrice(book, { currency: 'EUR', at })).toMatchObject({ amount: 5000 });
    }
  });
  it('never charges more than list nor less than zero (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.date({ noInvalidDate: true }),
        (a, b, when) => {
          const list = Math.max(a, b);
          const p = selectPrice([e({ list_amount: list, sale_amount: Math.min(a, b), valid_from: at })], {
            currency: 'EUR',
            at: when,
          })!;
          expect(p.amount).toBeLessThanOrEqual(list);
          expect(p.amount).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});

describe('input checks', () => {
  it('refuses negative prices, sale above list and bad windows', () => {
    expect(priceErrors({ currency: 'EUR', list_amount: -1 }, 'p').map((x) => x.message)).toEqual([
      'must not be negative',
    ]);
    expect(priceErrors({ currency: 'EUR', list_amount: 100, sale_amount: 200 }, 'p')[0]?.field).toBe('p/sale_amount');
    expect(priceErrors({ currency: 'eur', list_amount: 100 }, 'p')[0]?.field).toBe('p/currency');
    expect(
      priceErrors(
        { currency: 'EUR', list_amount: 100, valid_from: '2026-02-01T00:00:00Z', valid_to: '2026-01-01T00:00:00Z' },
        'p',
      )[0]?.field,
    ).toBe('p/valid_to');
  });
  it('names repeated SKUs and GTINs within one set', () => {
    const errors = variantErrors([
      { sku: 'A-1', gtin: '4006381333931' },
      { sku: 'A-1', gtin: '4006381333931' },
      { sku: '-bad' },
    ]);
    expect(errors.map((x) => x.field)).toEqual(['variants/1/sku', 'variants/1/gtin', 'variants/2/sku']);
  });
});
