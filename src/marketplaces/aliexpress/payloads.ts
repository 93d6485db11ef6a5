/**
 * Pure request builders and answer readers for the AliExpress calls the connector makes (rules.ts holds the
 * field-level rules they use). No I/O.
 */
import type { MarketplaceChange, MarketplaceOrder, Money, OfferInput } from '../types.js';
import {
  MAX_PRODUCTS_PER_BATCH,
  MAX_SKUS_PER_PRODUCT,
  cancellationOf,
  formatPrice,
  inventoryToSend,
  listOf,
  mapOrder,
  type Mapped,
} from './rules.js';

// ---------- aliexpress.solution.product.post ----------

/** Option names we send as SKU attributes (AliExpress matches them to the category's own). */
const SKU_OPTIONS = ['size', 'colour', 'color'];

/**
 * Offers of one product (its variants) → `post_product_request`. The category (settings.category_id or
 * attribute aliexpress_category_id), at least one image (attribute image_urls, comma-separated, max 6; else
 * settings.image_url_template with {sku} / {gtin} filled in from the first variant, for retailers whose image
 * server names files by SKU) and a single currency are required by AliExpress; without them nothing is sent
 * and the offers are refused here.
 */
export function buildProductPost(
  offers: readonly OfferInput[],
  settings: Readonly<Record<string, string>>,
): Mapped<Record<string, unknown>> {
  const first = offers[0];
  if (!first) return { ok: false, reason: 'no offers' };
  const category = first.attributes.aliexpress_category_id ?? settings.category_id;
  if (!category || !/^\d+$/.test(category)) {
    return { ok: false, reason: 'an AliExpress category is needed (settings.category_id or aliexpress_category_id)' };
  }
  const template = settings.image_url_template;
  const fromTemplate = template
    ? template.replaceAll('{sku}', encodeURIComponent(first.sku)).replaceAll('{gtin}', first.gtin ?? '')
    : '';
  const images = (first.attributes.image_urls ?? fromTemplate)
    .split(',')
    .map((u) => u.trim())
    .filter((u) => /^https?:\/\//.test(u))
    .slice(0, 6);
  if (images.length === 0) return { ok: false, reason: 'AliExpress needs at least one product image (image_urls)' };
  const currencies = new Set(offers.map((o) => o.price.currency));
  if (currencies.size > 1) return { ok: false, reason: 'variants of one product must share a currency' };
  const language = settings.language ?? 'es';
  const request: Record<string, unknown> = {
    aliexpress_category_id: Number(category),
    language,
    multi_language_subject_list: [{ language, subject: first.title.slice(0, 128) }],
    main_image_urls_list: images,
    // Stock is taken off when the buyer pays, not when the order is placed: an unpaid order does not hold
    // the channel's small share of stock.
    inventory_deduction_strategy: 'payment_success_deduct',
    product_unit: Number(settings.product_unit ?? '100000015'), // piece/pieces
    sku_info_list: offers.map((o) => ({
      sku_code: o.sku,
      price: formatPrice(o.price),
      inventory: inventoryToSend(o.quantity),
      ...(o.gtin ? { bar_code: o.gtin } : {}),
      sku_attributes_list: SKU_OPTIONS.filter((k) => o.attributes[k]).map((k) => ({
        sku_attribute_name: k === 'colour' ? 'color' : k,
        sku_attribute_value: o.attributes[k],
      })),
    })),
  };
  if (first.attributes.brand) request.brand_name = first.attributes.brand;
  for (const key of ['freight_template_id', 'service_policy_id', 'shipping_lead_time'] as const) {
    if (settings[key] && /^\d+$/.test(settings[key])) request[key] = Number(settings[key]);
  }
  return { ok: true, value: request };
}

// ---------- aliexpress.solution.batch.product.price.update ----------

/** Price changes in batches of the same limits as inventory (20 products, 200 SKUs each); the last price wins. */
export function priceBatches(
  prices: readonly { product_id: string; sku_code: string; price: Money }[],
): { product_id: string; multiple_sku_update_list: { sku_code: string; price: string }[] }[][] {
  const latest = new Map<string, { product_id: string; sku_code: string; price: Money }>();
  for (const p of prices) latest.set(`${p.product_id}\u0000${p.sku_code}`, p);
  const byProduct = new Map<string, { sku_code: string; price: string }[]>();
  for (const p of latest.values()) {
    byProduct.set(p.product_id, [
      ...(byProduct.get(p.product_id) ?? []),
      { sku_code: p.sku_code, price: formatPrice(p.price) },
    ]);
  }
  const batches: { product_id: string; multiple_sku_update_list: { sku_code: string; price: string }[] }[][] = [];
  let current: (typeof batches)[number] = [];
  for (const [product_id, skus] of byProduct) {
    for (let i = 0; i < skus.length; i += MAX_SKUS_PER_PRODUCT) {
      if (current.length >= MAX_PRODUCTS_PER_BATCH || current.some((c) => c.product_id === product_id)) {
        batches.push(current);
        current = [];
      }
      current.push({ product_id, multiple_sku_update_list: skus.slice(i, i + MAX_SKUS_PER_PRODUCT) });
    }
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

// ---------- aliexpress.solution.order.get ----------

export interface ReadOrder {
  order: MarketplaceOrder;
  cancellation: MarketplaceChange | null;
}

/**
 * `result` of aliexpress.solution.order.get → the page's orders. The page is taken whole or not at all: a
 * failed `success`, missing paging figures, a page other than the one asked for, or any order that does not
 * map makes the page malformed — an order half read is never imported, and the caller's cursor stays put.
 */
export function parseOrderPage(
  result: unknown,
  askedPage: number,
): Mapped<{ orders: ReadOrder[]; totalPages: number; totalCount: number }> {
  if (!result || typeof result !== 'object') return { ok: false, reason: 'result missing' };
  const r = result as Record<string, unknown>;
  if (r.success !== true) {
    return {
      ok: false,
      reason: `success is not true (${String(r.error_code ?? '')} ${String(r.error_message ?? '')})`,
    };
  }
  const totalCount = r.total_count;
  const totalPages = r.total_page;
  if (typeof totalCount !== 'number' || !Number.isSafeInteger(totalCount) || totalCount < 0) {
    return { ok: false, reason: 'total_count missing' };
  }
  if (typeof totalPages !== 'number' || !Number.isSafeInteger(totalPages) || totalPages < 0) {
    return { ok: false, reason: 'total_page missing' };
  }
  if (totalCount > 0 && r.current_page !== askedPage) {
    return { ok: false, reason: `asked for page ${askedPage}, got ${String(r.current_page)}` };
  }
  const list = listOf(r.target_list, 'order_dto');
  if (!list) return { ok: false, reason: 'target_list is not a list' };
  const orders: ReadOrder[] = [];
  for (const dto of list) {
    const mapped = mapOrder(dto);
    if (!mapped.ok) return mapped;
    const endReason = (dto as Record<string, unknown>).end_reason;
    orders.push({
      order: mapped.value,
      cancellation: cancellationOf(mapped.value, typeof endReason === 'string' && endReason ? endReason : null),
    });
  }
  return { ok: true, value: { orders, totalPages, totalCount } };
}
