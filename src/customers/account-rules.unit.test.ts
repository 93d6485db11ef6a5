import { describe, expect, it } from 'vitest';
import {
  chooseLocale,
  codeMatches,
  codeUsable,
  hashCode,
  localeOfCountry,
  MAX_CODE_ATTEMPTS,
  newCode,
  supportedLocale,
} from './account-rules.js';

const SECRET = 's'.repeat(40);

describe('account codes', () => {
  it('draws 6 digits and stores them keyed by the secret and bound to their row', () => {
    const codes = new Set(Array.from({ length: 200 }, newCode));
    for (const c of codes) expect(c).toMatch(/^\d{6}$/);
    expect(codes.size).toBeGreaterThan(190);
    const h = hashCode(SECRET, 'acc_1', '123456');
    expect(h).not.toContain('123456');
    expect(codeMatches(SECRET, 'acc_1', ' 123456 ', h)).toBe(true);
    expect(codeMatches(SECRET, 'acc_1', '123457', h)).toBe(false);
    expect(codeMatches(SECRET, 'acc_2', '123456', h)).toBe(false);
    expect(codeMatches('x'.repeat(40), 'acc_1', '123456', h)).toBe(false);
  });
  it('is usable once, before expiry, under the attempt limit, for its purposes only', () => {
    const now = new Date('2026-11-30T10:00:00Z');
    const row = { purpose: 'claim', attempts: 0, expires_at: new Date('2026-11-30T10:10:00Z'), used_at: null };
    expect(codeUsable(row, now, ['register', 'claim'])).toBe(true);
    expect(codeUsable(row, now, ['reset'])).toBe(false);
    expect(codeUsable({ ...row, attempts: MAX_CODE_ATTEMPTS }, now, ['claim'])).toBe(false);
    expect(codeUsable({ ...row, used_at: now }, now, ['claim'])).toBe(false);
    expect(codeUsable({ ...row, expires_at: now }, now, ['claim'])).toBe(false);
    expect(codeUsable(undefined, now, ['claim'])).toBe(false);
  });
});

describe('message locale', () => {
  it('takes the shopper’s choice first, else the channel’s country, never overwriting a stored choice by a guess', () => {
    expect(supportedLocale('pt-BR')).toBe('pt');
    expect(supportedLocale('fr')).toBeUndefined();
    expect(localeOfCountry('MX')).toBe('es');
    expect(localeOfCountry('br')).toBe('pt');
    expect(localeOfCountry('DE')).toBe('en');
    expect(chooseLocale({ shopper: 'es', country: 'PT' })).toEqual({ locale: 'es', source: 'shopper' });
    expect(chooseLocale({ country: 'PT' })).toEqual({ locale: 'pt', source: 'channel' });
    expect(chooseLocale({ stored: { locale: 'en', source: 'shopper' }, country: 'PT' })).toBeUndefined();
    expect(chooseLocale({})).toBeUndefined();
  });
});
