/**
 * A short-lived, per-process cache of the catalog facts a quote needs (variant facts and the
 * effective price per SKU, currency and channel), so browsing quotes do not cost two catalog
 * queries each. Entries live CACHE_MS (10 s, on the injected clock): a price change shows in
 * browsing quotes within that time. Only callers that opt in (`quote(…, { cached: true })`: the quote API, cart views) use it;
 * quotes inside a transaction (`trx`) or at a given time (`at`) — checkout — always read the
 * catalog fresh, so an order is priced from the committed price book.
 * Measured (bench/pricing.ts): two catalog queries cost more than the whole engine on a 20-line basket.
 * A SKU's variant facts and price are one entry (issue 17): one cache read per line rather than two,
 * each read checking its age on the clock, was a fifth of a cached quote's cost outside the engine.
 */
import type { Clock } from '../platform/clock.js';
import type { Executor } from '../platform/db/schema.js';
import type { PromotionsCatalogPort } from './ports.js';

const CACHE_MS = 10_000;
/** Bounds the cache's memory; past it the cache starts over (a burst of reads, never a stale answer). */
const MAX_ENTRIES = 200_000;

type VariantFacts = Awaited<ReturnType<PromotionsCatalogPort['getVariants']>> extends Map<string, infer V> ? V : never;
type PriceFacts = Awaited<ReturnType<PromotionsCatalogPort['prices']>> extends Map<string, infer P> ? P : never;

/** What a quote needs of one SKU in one currency and channel; an unknown SKU is remembered too (nulls). */
interface SkuFacts {
  v: VariantFacts | null;
  p: PriceFacts | null;
  /** When the entry stops being served (clock milliseconds). */
  until: number;
}

/** A quote's variants and prices: one read where the catalog offers it, else two. */
export function catalogFacts(
  catalog: PromotionsCatalogPort,
  skus: string[],
  ctx: { currency: string; channelId: string; at: Date },
  opts: { trx?: Executor },
) {
  if (catalog.variantsAndPrices) return catalog.variantsAndPrices(skus, ctx, opts);
  return Promise.all([catalog.getVariants(skus, opts), catalog.prices(skus, ctx, opts)]).then(([variants, prices]) => ({
    variants,
    prices,
  }));
}

/**
 * A plain map with an expiry per entry, not ExpiringCache (platform/cache.ts): that one reads the
 * clock and keeps its LRU order on every get, which was a twentieth of a cached quote's server CPU
 * over HTTP (20 gets per quote); here one quote reads the clock once. Being full clears it instead
 * of evicting the least recently used: browsing touches far fewer than MAX_ENTRIES SKUs in 10 s.
 */
export class CatalogCache {
  /** Keyed `currency|channel`, then SKU: the price depends on both, the variant facts on the SKU alone. */
  private readonly scopes = new Map<string, Map<string, SkuFacts>>();
  private size = 0;

  constructor(
    private readonly catalog: PromotionsCatalogPort,
    private readonly clock: Clock,
  ) {}

  /** Variant facts and effective prices of `skus`, from the cache or, for the missing ones, two catalog reads. */
  async lookup(
    skus: string[],
    ctx: { currency: string; channelId: string; at: Date },
  ): Promise<{ variants: Map<string, VariantFacts>; prices: Map<string, PriceFacts> }> {
    const variants = new Map<string, VariantFacts>();
    const prices = new Map<string, PriceFacts>();
    const now = this.clock.now().getTime();
    const scopeKey = `${ctx.currency}|${ctx.channelId}`;
    let scope = this.scopes.get(scopeKey);
    let missing: string[] | null = null;
    for (const sku of skus) {
      const e = scope?.get(sku);
      if (!e || e.until <= now) (missing ??= []).push(sku);
      else {
        if (e.v) variants.set(sku, e.v);
        if (e.p) prices.set(sku, e.p);
      }
    }
    if (missing) {
      const { variants: foundV, prices: foundP } = await catalogFacts(this.catalog, missing, ctx, {});
      // counted from before the read, so no answer served is older than CACHE_MS
      const until = now + CACHE_MS;
      if (this.size + missing.length > MAX_ENTRIES) this.clear();
      scope = this.scopes.get(scopeKey);
      if (!scope) this.scopes.set(scopeKey, (scope = new Map()));
      for (const sku of missing) {
        const e: SkuFacts = { v: foundV.get(sku) ?? null, p: foundP.get(sku) ?? null, until };
        if (!scope.has(sku)) this.size++;
        scope.set(sku, e);
        if (e.v) variants.set(sku, e.v);
        if (e.p) prices.set(sku, e.p);
      }
    }
    return { variants, prices };
  }

  clear(): void {
    this.scopes.clear();
    this.size = 0;
  }
}
