/**
 * Pure rules of the social feeds: what one SKU's feed row is (the channel's price, what the channel may
 * promise), and the two documented formats it is written in — Meta's commerce catalog CSV and Google
 * Merchant's RSS 2.0 with the `g:` namespace. No I/O, no clock, no randomness.
 */

/** One stored feed row: the figures the platforms are sent for one SKU. */
export interface FeedItem {
  sku: string;
  product_id: string;
  title: string;
  description: string;
  brand: string;
  link: string;
  image_link: string;
  size: string | null;
  color: string | null;
  gtin: string | null;
  currency: string;
  /** Regular price in minor units (the channel's price-book list price). */
  price: number;
  /** The sale price in minor units while a sale applies, else null. */
  sale_price: number | null;
  /** What the channel may promise, after its buffer and safety stock. Never negative. */
  quantity: number;
}

/** The product facts a row is built from (the catalog's product read, in the channel's currency). */
export interface ProductFacts {
  id: string;
  code: string;
  name: string;
  description: string;
  brand: string;
  attributes: Record<string, unknown>;
  active: boolean;
  variants: {
    sku: string;
    gtin: string | null;
    size: string | null;
    colour: string | null;
    active: boolean;
    price: { amount: number; currency: string; list_amount: number; sale_amount: number | null } | null;
  }[];
}

export interface FeedSettings {
  link_template: string;
  image_template: string;
  /** Meta needs a brand (or a GTIN); a product without one is sent under this (the channel's name). */
  default_brand: string;
}

/** Meta caps titles at 200 characters and Google at 150: the stricter one serves both feeds. */
const TITLE_MAX = 150;
/** Google's description limit (Meta allows 9,999). */
const DESCRIPTION_MAX = 5000;

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

export function fillTemplate(template: string, p: { sku: string; product_code: string; product_id: string }): string {
  return template
    .replaceAll('{sku}', encodeURIComponent(p.sku))
    .replaceAll('{product_code}', encodeURIComponent(p.product_code))
    .replaceAll('{product_id}', encodeURIComponent(p.product_id));
}

/** An http(s) URL, or null. */
export function httpUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/**
 * The feed row of one SKU, or null when the channel does not sell it: the product or variant is
 * inactive, or it has no price in the channel's currency (a row without a price would be refused by
 * both platforms, and a guessed price is worse). `quantity` is the channel's availability as the
 * inventory module computed it; it is only floored at 0 here, never raised.
 */
export function buildItem(
  product: ProductFacts,
  sku: string,
  quantity: number,
  settings: FeedSettings,
): FeedItem | null {
  const v = product.variants.find((x) => x.sku === sku);
  if (!v || !v.active || !product.active || !v.price) return null;
  const ids = { sku, product_code: product.code, product_id: product.id };
  const image = httpUrl(product.attributes.image_url) ?? fillTemplate(settings.image_template, ids);
  const onSale = v.price.sale_amount !== null && v.price.amount < v.price.list_amount;
  return {
    sku,
    product_id: product.id,
    title: clip([product.name, v.colour, v.size].filter(Boolean).join(' - '), TITLE_MAX),
    description: clip(product.description.trim() || product.name, DESCRIPTION_MAX),
    brand: product.brand.trim() || settings.default_brand,
    link: fillTemplate(settings.link_template, ids),
    image_link: image,
    size: v.size,
    color: v.colour,
    gtin: v.gtin,
    currency: v.price.currency,
    price: v.price.list_amount,
    sale_price: onSale ? v.price.amount : null,
    quantity: Number.isFinite(quantity) ? Math.max(0, Math.floor(quantity)) : 0,
  };
}

/** Whether two rows carry the same figures (a refresh that changes nothing leaves the row as it was). */
export function sameItem(a: FeedItem, b: FeedItem): boolean {
  return (Object.keys(a) as (keyof FeedItem)[]).every((k) => a[k] === b[k]);
}

/** Digits after the decimal point of a currency (ISO 4217 minor unit): EUR 2, JPY 0, KWD 3. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "19.95 EUR": the price format both Meta and Google document (number, space, ISO code). */
export function formatPrice(minor: number, currency: string): string {
  const d = currencyDigits(currency);
  if (d === 0) return `${minor} ${currency}`;
  const unit = 10 ** d;
  const whole = Math.floor(minor / unit);
  const frac = String(minor % unit).padStart(d, '0');
  return `${whole}.${frac} ${currency}`;
}

/** Meta's commerce catalog columns, in this order (https://developers.facebook.com/docs/commerce-platform/catalog/fields). */
export const META_COLUMNS = [
  'id',
  'title',
  'description',
  'availability',
  'condition',
  'price',
  'sale_price',
  'link',
  'image_link',
  'brand',
  'item_group_id',
  'size',
  'color',
  'gtin',
  'quantity_to_sell_on_facebook',
] as const;

/** One CSV field (RFC 4180): quoted when it holds a comma, quote, line break or edge spaces. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value.trim() !== value ? `"${value.replaceAll('"', '""')}"` : value;
}

export function metaCsv(items: readonly FeedItem[]): string {
  const lines = [META_COLUMNS.join(',')];
  for (const i of items) {
    const row: Record<(typeof META_COLUMNS)[number], string> = {
      id: i.sku,
      title: i.title,
      description: i.description,
      availability: i.quantity > 0 ? 'in stock' : 'out of stock',
      condition: 'new',
      price: formatPrice(i.price, i.currency),
      sale_price: i.sale_price === null ? '' : formatPrice(i.sale_price, i.currency),
      link: i.link,
      image_link: i.image_link,
      brand: i.brand,
      item_group_id: i.product_id,
      size: i.size ?? '',
      color: i.color ?? '',
      gtin: i.gtin ?? '',
      quantity_to_sell_on_facebook: String(i.quantity),
    };
    lines.push(META_COLUMNS.map((c) => csvField(row[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Text as XML character data: the five entities escaped, characters XML 1.0 forbids dropped. */
export function xmlText(value: string): string {
  return value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

export const GOOGLE_NS = 'http://base.google.com/ns/1.0';

/** Google Merchant Center's RSS 2.0 product feed (https://support.google.com/merchants/answer/7052112). */
export function googleRss(
  items: readonly FeedItem[],
  head: { title: string; link: string; description: string },
): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<rss version="2.0" xmlns:g="${GOOGLE_NS}">`,
    '<channel>',
    `<title>${xmlText(head.title)}</title>`,
    `<link>${xmlText(head.link)}</link>`,
    `<description>${xmlText(head.description)}</description>`,
  ];
  const g = (name: string, value: string | null) => (value ? `<g:${name}>${xmlText(value)}</g:${name}>` : '');
  for (const i of items) {
    out.push(
      [
        '<item>',
        g('id', i.sku),
        g('title', i.title),
        g('description', i.description),
        g('link', i.link),
        g('image_link', i.image_link),
        g('availability', i.quantity > 0 ? 'in_stock' : 'out_of_stock'),
        g('price', formatPrice(i.price, i.currency)),
        g('sale_price', i.sale_price === null ? null : formatPrice(i.sale_price, i.currency)),
        g('brand', i.brand),
        g('condition', 'new'),
        g('item_group_id', i.product_id),
        g('size', i.size),
        g('color', i.color),
        // Google asks to say so when a product has no GTIN rather than leave it blank.
        i.gtin ? g('gtin', i.gtin) : g('identifier_exists', 'no'),
        '</item>',
      ].join(''),
    );
  }
  out.push('</channel>', '</rss>', '');
  return out.join('\n');
}

/** The attribution parameters a share link carries (utm_* as Google Analytics and Meta read them). */
export function shareUrl(
  target: string,
  p: { source: string; medium: string; campaign: string; shareId: string },
): string {
  const u = new URL(target);
  u.searchParams.set('utm_source', p.source);
  u.searchParams.set('utm_medium', p.medium);
  u.searchParams.set('utm_campaign', p.campaign);
  u.searchParams.set('omnia_share', p.shareId);
  return u.toString();
}
