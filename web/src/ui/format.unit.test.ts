import { describe, expect, it } from 'vitest';
import { formatDate, formatMoney, formatNumber, formatPercent } from './format';

// Intl separates with (narrow) no-break spaces; compare with plain ones.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatters', () => {
  it('formats minor units as money for each locale', () => {
    expect(plain(formatMoney({ amount: 123456, currency: 'EUR' }, 'es-ES'))).toBe('1234,56 €');
    expect(plain(formatMoney({ amount: 123456, currency: 'EUR' }, 'pt-PT'))).toBe('1234,56 €');
    expect(plain(formatMoney({ amount: 123456, currency: 'EUR' }, 'en-GB'))).toBe('€1,234.56');
    expect(plain(formatMoney({ amount: 1999, currency: 'EUR' }, 'es-ES'))).toBe('19,99 €');
  });
  it('knows currencies without cents', () => {
    expect(plain(formatMoney({ amount: 1500, currency: 'JPY' }, 'en-GB'))).toBe('JP¥1,500');
  });
  it('shows a dash for missing values', () => {
    expect(formatMoney(null, 'es-ES')).toBe('—');
    expect(formatNumber(undefined, 'es-ES')).toBe('—');
    expect(formatDate(null, 'es-ES')).toBe('—');
  });
  it('formats numbers, percentages and dates per locale', () => {
    expect(plain(formatNumber(1234567, 'pt-PT'))).toBe('1 234 567');
    expect(plain(formatNumber(1234567, 'en-GB'))).toBe('1,234,567');
    expect(plain(formatPercent(0.256, 'es-ES'))).toBe('25,6 %');
    expect(formatDate('2026-03-05T10:00:00Z', 'es-ES', 'UTC')).toBe('5 mar 2026');
    expect(formatDate('2026-03-05T10:00:00Z', 'en-GB', 'UTC')).toBe('5 Mar 2026');
    expect(formatDate('not a date', 'en-GB')).toBe('not a date');
  });
});
