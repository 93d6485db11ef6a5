/**
 * The pricing benchmark's catalog and promotions, shared by bench/pricing.ts and its profiling aid.
 * Two mixes of the same size:
 *  - realistic: promotions spread over 40 leaf categories, SKU lists and products, a few site-wide
 *    ones, coupon-only and other-channel ones (each line meets ~5–10 candidates);
 *  - dense: few categories and many site-wide promotions (each line meets ~30 candidates), a
 *    stress case for the engine.
 */
import type { PromotionInput } from '../src/promotions/index.js';

export const TOPS = ['women', 'men', 'kids', 'home'];
const SUBS = [
  'shoes',
  'bags',
  'shirts',
  'trousers',
  'coats',
  'dresses',
  'knitwear',
  'underwear',
  'accessories',
  'sport',
];
export const CATEGORIES = TOPS.flatMap((t) => SUBS.map((s) => `${t}/${s}`));
export const SIZES = ['XS', 'S', 'M', 'L', 'XL'];

/** A small deterministic PRNG so every run prices the same baskets. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

export function catalogLayout(products = 200) {
  return Array.from({ length: products }, (_, p) => {
    const code = `P${String(p).padStart(3, '0')}`;
    return {
      code,
      category: CATEGORIES[p % CATEGORIES.length]!,
      tax_class: (p % 10 === 0 ? 'reduced' : 'standard') as 'reduced' | 'standard',
      price: 995 + (p % 40) * 250,
      skus: SIZES.map((s) => ({ sku: `${code}-${s}`, size: s })),
    };
  });
}

export function promotionInputs(
  mix: 'realistic' | 'dense',
  n: number,
  skus: string[],
  productIds: string[],
  rand: () => number,
  channels: { web: string; other: string },
): PromotionInput[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const cats = mix === 'dense' ? CATEGORIES.filter((_, i) => i % 2 === 0) : CATEGORIES;
  const out: PromotionInput[] = [];
  for (let i = 0; out.length < n; i++) {
    const name = `bench-${i}`;
    const stacking = { priority: i % 7, group: i % 5 === 0 ? `g${i % 3}` : null };
    const k = i % 20;
    if (k < 6)
      out.push({
        name,
        kind: 'item_percent',
        params: { percent: 5 + (i % 20) },
        scope: { categories: [pick(cats)] },
        stacking,
      });
    else if (k < 9)
      out.push({
        name,
        kind: 'item_amount',
        params: { amount: 100 + (i % 5) * 50 },
        scope: { skus: Array.from({ length: 5 }, () => pick(skus)) },
        stacking,
      });
    else if (k < 11)
      out.push({
        name,
        kind: 'buy_x_get_y',
        params: { buy: 2, get: 1 },
        scope: { products: [pick(productIds), pick(productIds)] },
        stacking,
      });
    else if (k === 11)
      out.push({
        name,
        kind: 'bundle_price',
        params: {
          bundle: {
            price: 5000,
            components: [
              { categories: [pick(cats)], quantity: 1 },
              { categories: [pick(cats)], quantity: 1 },
            ],
          },
        },
        stacking,
      });
    else if (k === 12)
      out.push({
        name,
        kind: 'tiered_spend',
        params: {
          tiers: [
            { threshold: 10_000, amount: 1000 },
            { threshold: 20_000, percent: 10 },
          ],
        },
        scope: mix === 'dense' ? {} : { categories: [pick(cats)] },
        stacking,
      });
    else if (k === 13 || k === 14)
      out.push({ name, kind: 'basket_percent', params: { percent: 15 }, coupon_required: true, stacking });
    else if (k === 15)
      out.push({
        name,
        kind: 'item_percent',
        params: { percent: 20 },
        scope: { categories: [pick(cats)], sizes: ['M', 'L'] },
        conditions: { segments: ['champions'] },
        stacking,
      });
    else if (k === 16)
      out.push({
        name,
        kind: 'item_percent',
        params: { percent: 10 },
        scope: mix === 'dense' ? {} : { categories: [pick(cats)] },
        conditions: { channels: [channels.other] },
        stacking,
      });
    else if (k === 17)
      out.push({
        name,
        kind: 'item_percent',
        params: { percent: 30 },
        scope: { categories: [pick(cats)] },
        starts_at: '2030-01-01T00:00:00Z',
        stacking,
      });
    else if (k === 18)
      out.push({
        name,
        kind: 'free_shipping',
        params: { threshold: 5000 + (i % 4) * 1000 },
        conditions: { channels: [mix === 'dense' || i % 60 === 18 ? channels.web : channels.other] },
        stacking,
      });
    else
      out.push({
        name,
        kind: 'basket_amount',
        params: { amount: 500 },
        conditions: { min_subtotal: 15_000, first_order: true },
        scope: mix === 'dense' ? {} : { categories: [pick(TOPS)] },
        stacking,
      });
  }
  // a few exclusive promotions on disjoint SKU sets, so they pass the overlap check
  for (let e = 0; e < Math.min(5, n); e++) {
    out[e * 20] = {
      name: `bench-excl-${e}`,
      kind: 'item_percent',
      params: { percent: 30 },
      scope: { skus: skus.slice(e * 3, e * 3 + 3) },
      stacking: { exclusive: true, priority: 10, group: null },
    };
  }
  return out;
}
