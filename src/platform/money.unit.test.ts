import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatMoney, minorUnits } from './money.js';

// ICU separates some currency symbols with a no-break space; compare with plain spaces.
const f = (amount: number, currency: string, locale?: string) =>
  formatMoney({ amount, currency }, locale).replace(/[\u00a0\u202f]/g, ' ');

describe('money formatting', () => {
  it('knows each currency’s minor units', () => {
    expect(minorUnits('EUR')).toBe(2);
    expect(minorUnits('JPY')).toBe(0);
    expect(minorUnits('KWD')).toBe(3);
    expect(minorUnits('BHD')).toBe(3);
  });
  it('EUR has two decimals, in the shopper’s locale', () => {
    expect(f(1999, 'EUR', 'en')).toBe('€19.99');
    expect(f(1999, 'EUR', 'es')).toBe('19,99 €');
    expect(f(5, 'EUR', 'en')).toBe('€0.05');
    expect(f(-12345, 'EUR', 'en')).toBe('-€123.45');
  });
  it('JPY has none: 500 minor units are ¥500, not ¥5.00', () => {
    expect(f(500, 'JPY', 'en')).toBe('¥500');
    expect(f(123456, 'JPY', 'ja')).toBe('￥123,456');
  });
  it('KWD and BHD have three: 1234 minor units are 1.234', () => {
    expect(f(1234, 'KWD', 'en')).toBe('KWD 1.234');
    expect(f(1234, 'BHD', 'en')).toBe('BHD 1.234');
    expect(f(5, 'BHD', 'en')).toBe('BHD 0.005');
  });
  it('an unknown or malformed locale reads as the default', () => {
    expect(f(1999, 'EUR', 'not a locale!')).toBe('€19.99');
    expect(f(1999, 'EUR')).toBe('€19.99');
  });
  it('every amount keeps all its minor digits (no rounding away a unit)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -2_147_483_648, max: 2_147_483_647 }),
        fc.constantFrom('EUR', 'JPY', 'KWD'),
        (n, c) => {
          const digits = f(n, c, 'en')
            .replace(/[^0-9]/g, '')
            .replace(/^0+/, '');
          expect(digits).toBe(String(Math.abs(n)).replace(/^0+/, ''));
        },
      ),
    );
  });
});
