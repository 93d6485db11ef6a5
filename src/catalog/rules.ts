/** Pure catalog rules: identifiers, VAT, the price book's choice of price. No I/O, no clock. */
import type { FieldError } from '../platform/http/problems.js';
import type { PriceInput, PriceView, TaxClass, VariantInput } from './types.js';
import { TAX_CLASSES } from './types.js';

export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Lower-case slash path: 'women/shoes/sneakers'. */
export const CATEGORY_PATTERN = /^([a-z0-9][a-z0-9_-]{0,63})(\/[a-z0-9][a-z0-9_-]{0,63}){0,7}$/;
export const PRODUCT_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Largest amount accepted, in minor units (fits JS numbers and bigint columns with room to sum). */
export const MAX_AMOUNT = 99_999_999_999;

/** GS1 check digit of the first 12 digits of a GTIN-13: weights 1,3,1,3… from the left. */
export function gtinCheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

export function isValidGtin13(gtin: string): boolean {
  return /^\d{13}$/.test(gtin) && gtinCheckDigit(gtin.slice(0, 12)) === Number(gtin[12]);
}

/** Why a GTIN is refused, or undefined when it is good. */
export function gtinProblem(gtin: string): string | undefined {
  if (!/^\d{13}$/.test(gtin)) return 'must be 13 digits (GTIN-13)';
  const expected = gtinCheckDigit(gtin.slice(0, 12));
  if (expected !== Number(gtin[12])) return `check digit is ${gtin[12]}, expected ${expected}`;
  return undefined;
}

/**
 * VAT in percent by tax class and country. Spain: 21/10/4; Portugal (mainland): 23/13/6.
 * Unknown countries fall back to Spain's rates, the retailer's home market; callers that sell
 * elsewhere must add the country here rather than trust the fallback.
 */
const VAT: Record<string, Record<TaxClass, number>> = {
  ES: { standard: 21, reduced: 10, super_reduced: 4 },
  PT: { standard: 23, reduced: 13, super_reduced: 6 },
};

export function vatRate(taxClass: TaxClass, country: 'ES' | 'PT' | string): number {
  const rates = VAT[country.toUpperCase()] ?? VAT.ES!;
  return rates[taxClass];
}

/** The VAT contained in a tax-inclusive amount, rounded half up to the minor unit. */
export function vatIncluded(amount: number, ratePct: number): number {
  return Math.round((amount * ratePct) / (100 + ratePct));
}

export function isTaxClass(v: string): v is TaxClass {
  return (TAX_CLASSES as readonly string[]).includes(v);
}

/** An entry of the book as the choice needs it. */
export interface BookEntry {
  sku: string;
  currency: string;
  channel_id: string | null;
  list_amount: number;
  sale_amount: number | null;
  valid_from: Date | null;
  valid_to: Date | null;
}

/** Is the sale window open at `at`? [valid_from, valid_to), open ends when null. */
export function saleOpen(e: Pick<BookEntry, 'valid_from' | 'valid_to'>, at: Date): boolean {
  const t = at.getTime();
  return (e.valid_from === null || e.valid_from.getTime() <= t) && (e.valid_to === null || t < e.valid_to.getTime());
}

/**
 * The price of one SKU for a currency, channel and moment: the channel's own entry when it has
 * one, else the default entry (channel null); the sale price while its window is open, else list.
 */
export function selectPrice(
  entries: readonly BookEntry[],
  ctx: { currency: string; channelId?: string | undefined; at: Date },
): PriceView | undefined {
  let chosen: BookEntry | undefined;
  for (const e of entries) {
    if (e.currency !== ctx.currency) continue;
    if (ctx.channelId !== undefined && e.channel_id === ctx.channelId) {
      chosen = e;
      break;
    }
    if (e.channel_id === null) chosen = e;
  }
  if (!chosen) return undefined;
  const onSale = chosen.sale_amount !== null && saleOpen(chosen, ctx.at);
  return {
    sku: chosen.sku,
    currency: chosen.currency,
    list_amount: chosen.list_amount,
    sale_amount: chosen.sale_amount,
    amount: onSale ? chosen.sale_amount! : chosen.list_amount,
    channel_id: chosen.channel_id,
  };
}

/** Checks one price-book entry; `field` prefixes the error paths. */
export function priceErrors(p: PriceInput, field: string): FieldError[] {
  const errors: FieldError[] = [];
  const amount = (v: unknown, name: string) => {
    if (typeof v !== 'number' || !Number.isInteger(v))
      errors.push({ field: `${field}/${name}`, message: 'must be an integer amount in minor units' });
    else if (v < 0) errors.push({ field: `${field}/${name}`, message: 'must not be negative' });
    else if (v > MAX_AMOUNT) errors.push({ field: `${field}/${name}`, message: `must be at most ${MAX_AMOUNT}` });
  };
  if (!/^[A-Z]{3}$/.test(p.currency))
    errors.push({ field: `${field}/currency`, message: 'must be an ISO 4217 code such as EUR' });
  amount(p.list_amount, 'list_amount');
  if (p.sale_amount !== null && p.sale_amount !== undefined) {
    amount(p.sale_amount, 'sale_amount');
    if (typeof p.sale_amount === 'number' && p.sale_amount > p.list_amount)
      errors.push({ field: `${field}/sale_amount`, message: 'must not exceed the list price' });
  }
  const from = p.valid_from ? Date.parse(p.valid_from) : undefined;
  const to = p.valid_to ? Date.parse(p.valid_to) : undefined;
  if (from !== undefined && Number.isNaN(from))
    errors.push({ field: `${field}/valid_from`, message: 'must be a date-time' });
  if (to !== undefined && Number.isNaN(to)) errors.push({ field: `${field}/valid_to`, message: 'must be a date-time' });
  if (from !== undefined && to !== undefined && !(from < to))
    errors.push({ field: `${field}/valid_to`, message: 'must be after valid_from' });
  return errors;
}

/**
 * Checks a set of variants given together (a product's variants): patterns, check digits, prices,
 * and SKUs or GTINs repeated within the set. Uniqueness against the database is the store's job.
 */
export function variantErrors(variants: readonly VariantInput[], base = 'variants'): FieldError[] {
  const errors: FieldError[] = [];
  const skus = new Map<string, number>();
  const gtins = new Map<string, number>();
  variants.forEach((v, i) => {
    const f = `${base}/${i}`;
    if (!SKU_PATTERN.test(v.sku))
      errors.push({
        field: `${f}/sku`,
        message: 'must be 1–64 letters, digits, . _ or -, starting with a letter or digit',
      });
    const seen = skus.get(v.sku);
    if (seen !== undefined) errors.push({ field: `${f}/sku`, message: `repeats the SKU of ${base}/${seen}` });
    else skus.set(v.sku, i);
    if (v.gtin !== null && v.gtin !== undefined) {
      const problem = gtinProblem(v.gtin);
      if (problem) errors.push({ field: `${f}/gtin`, message: problem });
      const other = gtins.get(v.gtin);
      if (other !== undefined) errors.push({ field: `${f}/gtin`, message: `repeats the GTIN of ${base}/${other}` });
      else gtins.set(v.gtin, i);
    }
    const keys = new Set<string>();
    (v.prices ?? []).forEach((p, j) => {
      errors.push(...priceErrors(p, `${f}/prices/${j}`));
      const key = `${p.currency}|${p.channel_id ?? ''}`;
      if (keys.has(key))
        errors.push({ field: `${f}/prices/${j}`, message: 'repeats a currency and channel of this SKU' });
      keys.add(key);
    });
  });
  return errors;
}
