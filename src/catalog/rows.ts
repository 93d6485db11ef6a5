/**
 * The catalog's rows and input checks that need no database: a variant joined with its product as
 * the API shows it, a product summary, the rows a product or price write inserts, the field errors of
 * a product's code and category, and a unique violation turned into a duplicate problem.
 */
import { AppError, isUniqueViolation, problems, type FieldError } from '../platform/http/problems.js';
import type * as store from './store.js';
import { CATEGORY_PATTERN, PRODUCT_CODE_PATTERN } from './rules.js';
import { productFields } from './product-view.js';
import type { PriceInput, ProductInput, ProductSummary, TaxClass, VariantInput, VariantView } from './types.js';

export type PriceSet = PriceInput & { sku: string };

export function toVariantView(r: store.VariantJoinRow): VariantView {
  return {
    sku: r.sku,
    product_id: r.product_id,
    product_code: r.product_code,
    product_name: r.product_name,
    gtin: r.gtin,
    size: r.size,
    colour: r.colour,
    category: r.category,
    tax_class: r.tax_class as TaxClass,
    returnable: r.returnable,
    weight_g: r.weight_g,
    unit_cost: r.unit_cost,
    active: r.active && r.product_active,
  };
}

export function toSummary(r: store.ProductRow & { variant_count: number | null }): ProductSummary {
  return { ...productFields(r), variant_count: Number(r.variant_count ?? 0) };
}

export function priceRow(p: PriceSet, now: Date) {
  return {
    sku: p.sku,
    currency: p.currency,
    channel_id: p.channel_id ?? null,
    list_amount: p.list_amount,
    sale_amount: p.sale_amount ?? null,
    valid_from: p.valid_from ? new Date(p.valid_from) : null,
    valid_to: p.valid_to ? new Date(p.valid_to) : null,
    updated_at: now,
  };
}

export function productErrors(input: Partial<ProductInput>): FieldError[] {
  const errors: FieldError[] = [];
  if (input.code !== undefined && !PRODUCT_CODE_PATTERN.test(input.code))
    errors.push({ field: 'code', message: 'must be 1–64 letters, digits, . _ or -' });
  if (input.category !== undefined && input.category !== '' && !CATEGORY_PATTERN.test(input.category)) {
    errors.push({ field: 'category', message: "must be a lower-case slash path such as 'women/shoes/sneakers'" });
  }
  return errors;
}

export function variantRow(productId: string, v: VariantInput, i: number, now: Date) {
  return {
    sku: v.sku,
    product_id: productId,
    gtin: v.gtin ?? null,
    size: v.size ?? null,
    colour: v.colour ?? null,
    weight_g: v.weight_g ?? 0,
    unit_cost: v.unit_cost ?? 0,
    position: v.position ?? i,
    active: v.active ?? true,
    updated_at: now,
  };
}

/** Maps a unique violation that slipped past the checks (a concurrent writer) to a duplicate problem. */
export function duplicateOf(err: unknown): AppError | undefined {
  if (!isUniqueViolation(err)) return undefined;
  const c = (err as { constraint?: string }).constraint ?? '';
  const field = c.includes('gtin') ? 'gtin' : c.startsWith('variants') ? 'sku' : 'code';
  return problems.duplicate(`that ${field} is already in the catalog`, [{ field, message: 'already used' }]);
}
