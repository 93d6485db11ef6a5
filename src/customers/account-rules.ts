/**
 * Pure rules of customer accounts (issue 16): one-time codes, their checks, and the message locale.
 * No I/O: the store reads and writes rows, the service decides with these.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** A code is valid this long: long enough to switch to the mailbox, short enough to guess nothing. */
export const CODE_TTL_MS = 15 * 60_000;
/** Wrong guesses a code survives; then it is dead and a new one must be asked for. */
export const MAX_CODE_ATTEMPTS = 5;
export const CODE_DIGITS = 6;

export type CodePurpose = 'register' | 'claim' | 'reset' | 'exists';

/** Six digits, uniformly drawn (crypto.randomInt has no modulo bias). */
export function newCode(): string {
  return String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
}

/**
 * The stored form of a code: an HMAC keyed by the server secret and bound to the code's row, so a
 * copy of the table does not let anyone try the 10⁶ codes offline, and a hash cannot be replayed on
 * another row.
 */
export function hashCode(secret: string, codeId: string, code: string): string {
  return createHmac('sha256', secret).update(`account-code:${codeId}:${code}`).digest('base64url');
}

export function codeMatches(secret: string, codeId: string, code: string, stored: string): boolean {
  const a = Buffer.from(hashCode(secret, codeId, code.trim()));
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface CodeRow {
  purpose: string;
  attempts: number;
  expires_at: Date;
  used_at: Date | null;
}

/** Can this code still be tried? (A wrong or unusable code gets the same answer as a missing one.) */
export function codeUsable(row: CodeRow | undefined, now: Date, purposes: readonly CodePurpose[]): boolean {
  return (
    row !== undefined &&
    purposes.includes(row.purpose as CodePurpose) &&
    row.used_at === null &&
    row.attempts < MAX_CODE_ATTEMPTS &&
    row.expires_at.getTime() > now.getTime()
  );
}

/** The languages messages are written in; the first is the default. */
export const LOCALES = ['en', 'es', 'pt'] as const;
export type Locale = (typeof LOCALES)[number];

/** Countries whose shoppers are written to in Spanish or Portuguese; everyone else in English. */
const COUNTRY_LOCALE: Record<string, Locale> = {
  ES: 'es',
  MX: 'es',
  AR: 'es',
  CO: 'es',
  CL: 'es',
  PE: 'es',
  UY: 'es',
  PY: 'es',
  BO: 'es',
  EC: 'es',
  VE: 'es',
  CR: 'es',
  PA: 'es',
  GT: 'es',
  HN: 'es',
  SV: 'es',
  NI: 'es',
  DO: 'es',
  CU: 'es',
  PR: 'es',
  PT: 'pt',
  BR: 'pt',
  AO: 'pt',
  MZ: 'pt',
  CV: 'pt',
  GW: 'pt',
  ST: 'pt',
  TL: 'pt',
};

/** A supported locale from a BCP 47 tag (`es-MX` → `es`), or undefined. */
export function supportedLocale(tag: string | null | undefined): Locale | undefined {
  const lang = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return (LOCALES as readonly string[]).includes(lang ?? '') ? (lang as Locale) : undefined;
}

export function localeOfCountry(country: string | null | undefined): Locale {
  return COUNTRY_LOCALE[(country ?? '').toUpperCase()] ?? 'en';
}

/**
 * The person's locale: what the shopper chose wins; otherwise the channel's country (a till's
 * channel is its store's country). A stored choice by the shopper is never overwritten by a guess.
 */
export function chooseLocale(input: {
  stored?: { locale: string; source: string } | undefined;
  shopper?: string | undefined;
  country?: string | undefined;
}): { locale: Locale; source: 'shopper' | 'channel' } | undefined {
  const chosen = supportedLocale(input.shopper);
  if (chosen) return { locale: chosen, source: 'shopper' };
  if (input.stored) return undefined;
  return input.country ? { locale: localeOfCountry(input.country), source: 'channel' } : undefined;
}
