/**
 * Money for people to read: integer minor units plus an ISO currency, formatted by
 * `Intl.NumberFormat` in the reader's locale with the currency's own minor units (EUR 2, JPY 0,
 * KWD and BHD 3), never a hard-coded two decimals. Pure; the formatters are cached because
 * building one costs far more than using it (promotion reasons format several amounts per quote).
 */

/** The locale when the shopper's is not known. */
export const DEFAULT_LOCALE = 'en';

/** A formatter and its currency's minor units, read once: `resolvedOptions()` builds a new object per call. */
interface Formatter {
  format: Intl.NumberFormat;
  digits: number;
}

const formatters = new Map<string, Formatter>();

function formatter(locale: string, currency: string): Formatter {
  const key = `${locale}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    let resolved: string;
    try {
      resolved = Intl.getCanonicalLocales(locale)[0] ?? DEFAULT_LOCALE;
    } catch {
      resolved = DEFAULT_LOCALE; // a malformed locale tag (from a profile or header) reads as the default
    }
    const format = new Intl.NumberFormat(resolved, { style: 'currency', currency });
    f = { format, digits: format.resolvedOptions().maximumFractionDigits ?? 2 };
    if (formatters.size > 1000) formatters.clear();
    formatters.set(key, f);
  }
  return f;
}

/** The currency's minor units: how many decimals its amounts have (from ICU's currency data). */
export function minorUnits(currency: string): number {
  return formatter(DEFAULT_LOCALE, currency).digits;
}

/** `{ amount: 1999, currency: 'EUR' }` → "€19.99" (en), "19,99 €" (es); `{ amount: 500, currency: 'JPY' }` → "¥500". */
export function formatMoney(m: { amount: number; currency: string }, locale: string = DEFAULT_LOCALE): string {
  const f = formatter(locale, m.currency);
  return f.format.format(m.amount / 10 ** f.digits);
}
