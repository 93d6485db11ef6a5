/** The product CSV's columns and the checks of each row. Pure: the importer stores what passes. */
import { CATEGORY_PATTERN, MAX_AMOUNT, PRODUCT_CODE_PATTERN, SKU_PATTERN, gtinProblem, isTaxClass } from './rules.js';
import type { ImportRowError, TaxClass } from './types.js';

export const IMPORT_COLUMNS = [
  'product_code',
  'name',
  'brand',
  'category',
  'tax_class',
  'sku',
  'gtin',
  'size',
  'colour',
  'price',
  'currency',
  'sale_price',
  'weight_g',
  'unit_cost',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
const REQUIRED: readonly ImportColumn[] = ['product_code', 'name', 'sku', 'price'];

export interface ImportRow {
  line: number;
  product: { code: string; name: string; brand: string; category: string; tax_class: TaxClass };
  variant: {
    sku: string;
    gtin: string | null;
    size: string | null;
    colour: string | null;
    weight_g: number;
    unit_cost: number;
  };
  price: { currency: string; list_amount: number; sale_amount: number | null };
}

/** Maps each known column to its index; every column must be present once, nothing else. */
export function readHeader(fields: string[]): { index: Record<ImportColumn, number>; errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  const index = {} as Record<ImportColumn, number>;
  fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!(IMPORT_COLUMNS as readonly string[]).includes(name))
      errors.push({
        line: 1,
        field: raw || `column ${i + 1}`,
        message: `is not a known column (expected: ${IMPORT_COLUMNS.join(',')})`,
      });
    else if (index[name as ImportColumn] !== undefined) errors.push({ line: 1, field: name, message: 'appears twice' });
    else index[name as ImportColumn] = i;
  });
  for (const c of IMPORT_COLUMNS)
    if (index[c] === undefined) errors.push({ line: 1, field: c, message: 'column is missing' });
  return { index, errors };
}

/**
 * A decimal amount in major units ("29.95", "30", "30,5" refused) → minor units, for currencies of
 * two decimals (EUR and all this retailer sells in).
 */
export function parseAmount(raw: string): number | string {
  const m = /^(\d{1,11})(?:\.(\d{1,2}))?$/.exec(raw);
  if (!m) return raw.startsWith('-') ? 'must not be negative' : 'must be an amount such as 29.95';
  const minor = Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
  return minor > MAX_AMOUNT ? 'is too large' : minor;
}

export function parseRow(
  fields: string[],
  index: Record<ImportColumn, number>,
  line: number,
): { row?: ImportRow; errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  const width = Object.keys(index).length;
  if (fields.length !== width)
    return { errors: [{ line, field: 'row', message: `has ${fields.length} fields, the header has ${width}` }] };
  const get = (c: ImportColumn) => fields[index[c]]!.trim();
  const err = (field: string, message: string) => errors.push({ line, field, message });
  for (const c of REQUIRED) if (get(c) === '') err(c, 'is required');

  const code = get('product_code');
  if (code && !PRODUCT_CODE_PATTERN.test(code)) err('product_code', 'must be 1–64 letters, digits, . _ or -');
  const sku = get('sku');
  if (sku && !SKU_PATTERN.test(sku))
    err('sku', 'must be 1–64 letters, digits, . _ or -, starting with a letter or digit');
  const gtin = get('gtin');
  if (gtin) {
    const p = gtinProblem(gtin);
    if (p) err('gtin', p);
  }
  const category = get('category').toLowerCase();
  if (category && !CATEGORY_PATTERN.test(category))
    err('category', "must be a slash path such as 'women/shoes/sneakers'");
  const taxClass = get('tax_class') || 'standard';
  if (!isTaxClass(taxClass)) err('tax_class', 'must be standard, reduced or super_reduced');
  const currency = get('currency') || 'EUR';
  if (!/^[A-Z]{3}$/.test(currency)) err('currency', 'must be an ISO 4217 code such as EUR');

  const amount = (c: ImportColumn): number | null => {
    const raw = get(c);
    if (raw === '') return null;
    const v = parseAmount(raw);
    if (typeof v === 'string') {
      err(c, v);
      return null;
    }
    return v;
  };
  const list = amount('price');
  const sale = amount('sale_price');
  if (list !== null && sale !== null && sale > list) err('sale_price', 'must not exceed the price');
  const unitCost = amount('unit_cost');
  const weightRaw = get('weight_g');
  let weight = 0;
  if (weightRaw !== '') {
    if (!/^\d{1,9}$/.test(weightRaw)) err('weight_g', 'must be a whole number of grams');
    else weight = Number(weightRaw);
  }
  for (const c of ['name', 'brand', 'size', 'colour'] as const)
    if (get(c).length > 200) err(c, 'is longer than 200 characters');
  if (errors.length) return { errors };
  return {
    errors,
    row: {
      line,
      product: { code, name: get('name'), brand: get('brand'), category, tax_class: taxClass as TaxClass },
      variant: {
        sku,
        gtin: gtin || null,
        size: get('size') || null,
        colour: get('colour') || null,
        weight_g: weight,
        unit_cost: unitCost ?? 0,
      },
      price: { currency, list_amount: list!, sale_amount: sale },
    },
  };
}

/**
 * Checks across rows: a SKU or GTIN given twice in the file, and rows of one product that disagree
 * on its fields (the first row of a product sets them). The later row is the one refused.
 */
export function crossRowErrors(rows: ImportRow[]): { good: ImportRow[]; errors: ImportRowError[] } {
  const skus = new Map<string, number>();
  const gtins = new Map<string, number>();
  const products = new Map<string, ImportRow>();
  const good: ImportRow[] = [];
  const errors: ImportRowError[] = [];
  for (const r of rows) {
    const before = errors.length;
    const s = skus.get(r.variant.sku);
    if (s !== undefined) errors.push({ line: r.line, field: 'sku', message: `repeats the SKU of line ${s}` });
    const g = r.variant.gtin ? gtins.get(r.variant.gtin) : undefined;
    if (g !== undefined) errors.push({ line: r.line, field: 'gtin', message: `repeats the GTIN of line ${g}` });
    const first = products.get(r.product.code);
    if (first) {
      for (const f of ['name', 'brand', 'category', 'tax_class'] as const) {
        if (first.product[f] !== r.product[f])
          errors.push({
            line: r.line,
            field: f,
            message: `differs from line ${first.line} of product ${r.product.code}`,
          });
      }
    }
    if (errors.length > before) continue;
    skus.set(r.variant.sku, r.line);
    if (r.variant.gtin) gtins.set(r.variant.gtin, r.line);
    if (!first) products.set(r.product.code, r);
    good.push(r);
  }
  return { good, errors };
}
