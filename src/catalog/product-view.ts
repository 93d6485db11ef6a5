/** Turns the product page's rows into the API's product, and keeps recent answers in memory. */
import type { Clock } from '../platform/clock.js';
import { ExpiringCache } from '../platform/cache.js';
import { selectPrice, type BookEntry } from './rules.js';
import type { ProductPageRow, PriceRow } from './store.js';
import type { PriceEntry, Product, ProductSummary, TaxClass, Variant } from './types.js';

type ProductColumns = Pick<
  ProductPageRow,
  | 'id'
  | 'code'
  | 'name'
  | 'description'
  | 'brand'
  | 'category'
  | 'tax_class'
  | 'returnable'
  | 'attributes'
  | 'active'
  | 'created_at'
  | 'updated_at'
>;

/** The product's own fields as the API shows them, for the product page and the list alike. */
export function productFields(r: ProductColumns): Omit<ProductSummary, 'variant_count'> {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    description: r.description,
    brand: r.brand,
    category: r.category,
    tax_class: r.tax_class as TaxClass,
    returnable: r.returnable,
    attributes: (r.attributes ?? {}) as Record<string, unknown>,
    active: r.active,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}

export function toPriceEntry(
  r: Pick<PriceRow, 'sku' | 'currency' | 'channel_id' | 'list_amount' | 'sale_amount' | 'valid_from' | 'valid_to'>,
): PriceEntry {
  return {
    sku: r.sku,
    currency: r.currency,
    channel_id: r.channel_id,
    list_amount: r.list_amount,
    sale_amount: r.sale_amount,
    valid_from: r.valid_from ? r.valid_from.toISOString() : null,
    valid_to: r.valid_to ? r.valid_to.toISOString() : null,
  };
}

export function assembleProduct(
  rows: ProductPageRow[],
  ctx: { currency: string; channelId?: string | undefined; at: Date },
): Product | undefined {
  const first = rows[0];
  if (!first) return undefined;
  const variants: Variant[] = [];
  const books = new Map<string, BookEntry[]>();
  let current: Variant | undefined;
  for (const r of rows) {
    if (r.sku === null) continue;
    if (!current || current.sku !== r.sku) {
      current = {
        sku: r.sku,
        gtin: r.gtin,
        options: { size: r.size, colour: r.colour },
        weight_g: r.weight_g ?? 0,
        unit_cost: r.unit_cost ?? 0,
        position: r.position ?? 0,
        active: r.v_active ?? true,
        price: null,
        prices: [],
      };
      variants.push(current);
      books.set(r.sku, []);
    }
    if (r.currency !== null && r.list_amount !== null) {
      const entry: BookEntry = {
        sku: r.sku,
        currency: r.currency,
        channel_id: r.channel_id,
        list_amount: r.list_amount,
        sale_amount: r.sale_amount,
        valid_from: r.valid_from,
        valid_to: r.valid_to,
      };
      books.get(r.sku)!.push(entry);
      current.prices.push(toPriceEntry(entry));
    }
  }
  for (const v of variants) {
    const p = selectPrice(books.get(v.sku)!, ctx);
    v.price = p
      ? { amount: p.amount, currency: p.currency, list_amount: p.list_amount, sale_amount: p.sale_amount }
      : null;
  }
  return { ...productFields(first), variants };
}

/**
 * Serialised product pages by (id or code, currency, channel). GET /v1/products/{id} is the hottest
 * read of a storefront; one process answering from memory does ~10× what a query per request does.
 * Writes through this process clear it at once; writes elsewhere (another process, a sale window
 * opening) show within PRODUCT_PAGE_TTL_MS, on the injected clock.
 */
export const PRODUCT_PAGE_TTL_MS = 2000;
const MAX_PAGES = 5000;

export type ProductCache = ExpiringCache<string, string>;

export function productCache(clock: Clock): ProductCache {
  return new ExpiringCache(clock, { ttlMs: PRODUCT_PAGE_TTL_MS, max: MAX_PAGES });
}
