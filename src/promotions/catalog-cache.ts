/**
 * A short-lived, per-process cache of the catalog facts a quote needs (variant facts and the
 * effective price per SKU, currency and channel), so browsing quotes do not cost two catalog
 * queries each. Entries live CACHE_MS (10 s, on the injected clock): a price change shows in
 * browsing quotes within that time. Only callers that opt in (`quote(…, { cached: true })`: the quote API, cart views) use it;
 * quotes inside a transaction (`trx`) or at a given time (`at`) — checkout — always read the
 * catalog fresh, so an order is priced from the committed price book.
 * Measured (bench/pricing.ts): two catalog queries cost more than the whole engine on a 20-line basket.
 */
import type { Clock } from '../platform/clock.js';
import { ExpiringCache } from '../platform/cache.js';
import type { PromotionsCatalogPort } from './ports.js';

const CACHE_MS = 10_000;
const MAX_ENTRIES = 200_000;

type VariantFacts = Awaited<ReturnType<PromotionsCatalogPort['getVariants']>> extends Map<string, infer V> ? V : never;
type PriceFacts = Awaited<ReturnType<PromotionsCatalogPort['prices']>> extends Map<string, infer P> ? P : never;

export class CatalogCache {
  // Unknown SKUs are remembered too (as null), but only briefly like the rest.
  private readonly variants: ExpiringCache<string, { v: VariantFacts | null }>;
  private readonly prices: ExpiringCache<string, { p: PriceFacts | null }>;

  constructor(
    private readonly catalog: PromotionsCatalogPort,
    clock: Clock,
  ) {
    this.variants = new ExpiringCache(clock, { ttlMs: CACHE_MS, max: MAX_ENTRIES });
    this.prices = new ExpiringCache(clock, { ttlMs: CACHE_MS, max: MAX_ENTRIES });
  }

  async getVariants(skus: string[]): Promise<Map<string, VariantFacts>> {
    const out = new Map<string, VariantFacts>();
    const missing: string[] = [];
    for (const sku of skus) {
      const e = this.variants.get(sku);
      if (e) {
        if (e.v) out.set(sku, e.v);
      } else missing.push(sku);
    }
    if (missing.length) {
      const found = await this.catalog.getVariants(missing);
      for (const sku of missing) {
        const v = found.get(sku) ?? null;
        this.variants.set(sku, { v });
        if (v) out.set(sku, v);
      }
    }
    return out;
  }

  async pricesFor(
    skus: string[],
    ctx: { currency: string; channelId: string; at: Date },
  ): Promise<Map<string, PriceFacts>> {
    const out = new Map<string, PriceFacts>();
    const missing: string[] = [];
    const key = (sku: string) => `${ctx.currency}|${ctx.channelId}|${sku}`;
    for (const sku of skus) {
      const e = this.prices.get(key(sku));
      if (e) {
        if (e.p) out.set(sku, e.p);
      } else missing.push(sku);
    }
    if (missing.length) {
      const found = await this.catalog.prices(missing, ctx);
      for (const sku of missing) {
        const p = found.get(sku) ?? null;
        this.prices.set(key(sku), { p });
        if (p) out.set(sku, p);
      }
    }
    return out;
  }

  clear(): void {
    this.variants.clear();
    this.prices.clear();
  }
}
