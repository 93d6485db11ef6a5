import type { Db, Executor } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { newId, ID_PREFIX } from '../platform/ids.js';
import { emit } from '../platform/events/outbox.js';
import { inTx } from '../platform/db/tx.js';
import { AppError, problems, type FieldError } from '../platform/http/problems.js';
import { decodeCursor, pageOf } from '../platform/http/pagination.js';
import * as store from './store.js';
import { priceErrors, selectPrice } from './rules.js';
import { checkTaken, prepareVariants, resolveChannels } from './write-checks.js';
import { assembleProduct, productCache, toPriceEntry, type ProductCache } from './product-view.js';
import { importRows, type ImportOptions } from './importer.js';
import { bulkCreateProducts } from './bulk.js';
import { duplicateOf, priceRow, productErrors, toSummary, toVariantView, variantRow, type PriceSet } from './rows.js';
import type {
  ImportReport,
  PriceEntry,
  PriceView,
  Product,
  ProductInput,
  ProductPatch,
  ProductSummary,
  VariantInput,
  VariantView,
} from './types.js';
import type { ChannelLookup, ProductRatingsPort } from './ports.js';
import type { ReadRouter } from '../platform/db/replica.js';

export interface PriceContext {
  currency: string;
  channelId?: string | undefined;
  at: Date;
}

export type { PriceSet } from './rows.js';

const DEFAULT_CURRENCY = 'EUR';
/** How many known SKUs requireKnown remembers before it starts over (a bound on memory, not a cache policy). */
const MAX_KNOWN_SKUS = 1_000_000;

export class CatalogService {
  readonly cache: ProductCache;
  /** Lag-tolerant reads (DATABASE_READ_URL): product pages and lists, behind this process's writes. */
  private reads: ReadRouter | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly channels: ChannelLookup,
  ) {
    this.cache = productCache(clock);
  }

  /** Clears the product page cache; writes through this service do it themselves. */
  invalidate(): void {
    this.cache.clear();
    // A page cached from a replica that had not replayed the write would be stale for the cache's TTL.
    this.reads?.wrote('catalog');
  }

  useReads(reads: ReadRouter): void {
    this.reads = reads;
  }

  /** Issue 19: the product read carries the rating summary (cached with the page; moderation invalidates). */
  private ratings: ProductRatingsPort | undefined;
  useRatings(ratings: ProductRatingsPort): void {
    this.ratings = ratings;
  }

  /** Where a page or list read goes: the replica once it has this process's last catalog write. */
  private async reader(): Promise<Db> {
    return this.reads ? this.reads.reader({ key: 'catalog' }) : this.db;
  }

  async getVariants(skus: string[], opts: { trx?: Executor } = {}): Promise<Map<string, VariantView>> {
    const rows = await store.variantsBySku(opts.trx ?? this.db, [...new Set(skus)]);
    return new Map(rows.map((r) => [r.sku, toVariantView(r)]));
  }

  /** Like getVariants, but refuses (400 validation_failed) naming every unknown SKU. */
  async requireVariants(
    skus: string[],
    opts: { trx?: Executor; field?: string } = {},
  ): Promise<Map<string, VariantView>> {
    const found = await this.getVariants(skus, opts);
    const unknown = [...new Set(skus)].filter((s) => !found.has(s));
    if (unknown.length) {
      throw new AppError('validation_failed', `unknown SKU${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, {
        errors: unknown.map((s) => ({ field: opts.field ?? 'sku', message: `SKU ${s} does not exist` })),
        unknown_skus: unknown,
      });
    }
    return found;
  }

  /**
   * Refuses unknown SKUs like requireVariants, for callers that need only to know they exist (a cart's
   * new line). A SKU found committed is remembered: SKUs are never deleted, only archived, so the answer
   * cannot turn. Not remembered from inside a transaction, whose new SKU could still roll back.
   */
  async requireKnown(skus: string[], opts: { trx?: Executor; field?: string } = {}): Promise<void> {
    const unsure = skus.filter((s) => !this.known.has(s));
    if (unsure.length === 0) return;
    await this.requireVariants(unsure, opts);
    if (opts.trx) return;
    if (this.known.size >= MAX_KNOWN_SKUS) this.known.clear();
    for (const s of unsure) this.known.add(s);
  }
  private readonly known = new Set<string>();

  /** The price of each SKU for a currency, channel and moment; SKUs without a price are absent. */
  async prices(skus: string[], ctx: PriceContext, opts: { trx?: Executor } = {}): Promise<Map<string, PriceView>> {
    const rows = await store.pricesBySku(opts.trx ?? this.db, [...new Set(skus)], ctx.currency);
    const bySku = new Map<string, store.PriceRow[]>();
    for (const r of rows) (bySku.get(r.sku) ?? bySku.set(r.sku, []).get(r.sku)!).push(r);
    const out = new Map<string, PriceView>();
    for (const [sku, entries] of bySku) {
      const p = selectPrice(entries, ctx);
      if (p) out.set(sku, p);
    }
    return out;
  }

  /** getVariants and prices in one statement: what a quote reads of the catalog (one round trip, not two). */
  async variantsAndPrices(
    skus: string[],
    ctx: PriceContext,
    opts: { trx?: Executor } = {},
  ): Promise<{ variants: Map<string, VariantView>; prices: Map<string, PriceView> }> {
    const rows = await store.variantsWithPrices(opts.trx ?? this.db, [...new Set(skus)], ctx.currency);
    const variants = new Map<string, VariantView>();
    const prices = new Map<string, PriceView>();
    for (const r of rows) {
      variants.set(r.variant.sku, toVariantView(r.variant));
      const p = selectPrice(r.prices, ctx);
      if (p) prices.set(r.variant.sku, p);
    }
    return { variants, prices };
  }

  async getProduct(
    idOrCode: string,
    opts: { currency?: string; channelId?: string | undefined; trx?: Executor } = {},
  ): Promise<Product> {
    const rows = await store.productPage(opts.trx ?? this.db, idOrCode);
    const product = assembleProduct(rows, {
      currency: opts.currency ?? DEFAULT_CURRENCY,
      channelId: opts.channelId,
      at: this.clock.now(),
    });
    if (!product) throw problems.notFound('product', idOrCode);
    return product;
  }

  /** The product page already serialised, from the cache when fresh: the hot path of GET /v1/products/{id}. */
  async productJson(
    idOrCode: string,
    ctx: { currency?: string | undefined; channel?: string | undefined },
  ): Promise<string> {
    const key = `${idOrCode}\u0000${ctx.currency ?? ''}\u0000${ctx.channel ?? ''}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const channel = ctx.channel ? await this.channels.channel(ctx.channel) : undefined;
    if (ctx.channel && !channel) throw problems.field('channel', `channel ${ctx.channel} does not exist`);
    const product = await this.getProduct(idOrCode, {
      currency: ctx.currency ?? channel?.currency ?? DEFAULT_CURRENCY,
      channelId: channel?.id,
      trx: await this.reader(),
    });
    const rating = this.ratings ? await this.ratings.summary(product.id) : undefined;
    const json = JSON.stringify(rating ? { ...product, rating } : product);
    this.cache.set(key, json);
    return json;
  }

  async listProducts(q: {
    limit?: number | undefined;
    cursor?: string | undefined;
    category?: string | undefined;
    q?: string | undefined;
  }): Promise<{ items: ProductSummary[]; next_cursor: string | null }> {
    const limit = q.limit ?? 50;
    const rows = await store.listProducts(await this.reader(), {
      limit,
      after: decodeCursor<string>(q.cursor),
      category: q.category,
      q: q.q,
    });
    return pageOf(rows.map(toSummary), limit, (p) => p.id);
  }

  async getVariant(sku: string): Promise<VariantView & { prices: PriceEntry[] }> {
    const v = (await this.getVariants([sku])).get(sku);
    if (!v) throw problems.notFound('variant', sku);
    const prices = await store.pricesBySku(this.db, [sku]);
    return { ...v, prices: prices.map(toPriceEntry) };
  }

  async createProduct(input: ProductInput, opts: { trx?: Executor } = {}): Promise<Product> {
    const errors = productErrors(input);
    if (errors.length) throw problems.validation('the product is not valid', errors);
    const rows = input.variants ?? [];
    const prices = await prepareVariants(this.channels, rows);
    const now = this.clock.now();
    const id = newId(ID_PREFIX.product, now.getTime());
    try {
      await inTx(this.db, opts.trx, async (trx) => {
        if (await store.findProduct(trx, input.code))
          throw problems.duplicate(`a product with code ${input.code} exists`, [
            { field: 'code', message: 'already used' },
          ]);
        await checkTaken(rows, undefined, trx);
        await store.insertProducts(trx, [
          {
            id,
            code: input.code,
            name: input.name,
            description: input.description ?? '',
            brand: input.brand ?? '',
            category: input.category ?? '',
            tax_class: input.tax_class ?? 'standard',
            returnable: input.returnable ?? true,
            attributes: JSON.stringify(input.attributes ?? {}),
            active: input.active ?? true,
            created_at: now,
            updated_at: now,
          },
        ]);
        await store.insertVariants(
          trx,
          rows.map((v, i) => ({ ...variantRow(id, v, i, now), created_at: now })),
        );
        await store.upsertPrices(
          trx,
          prices.map((p) => priceRow(p, now)),
        );
        await store.indexSearchTerms(trx, [id]);
        await emit(
          trx,
          { type: 'product.created', aggregateId: id, payload: { id, code: input.code, skus: rows.map((v) => v.sku) } },
          now,
        );
      });
    } catch (err) {
      throw duplicateOf(err) ?? err;
    }
    this.invalidate();
    return this.getProduct(id, opts);
  }

  /** Changes product fields; `variants` adds new SKUs or changes given ones (others stay). */
  async updateProduct(idOrCode: string, patch: ProductPatch, opts: { trx?: Executor } = {}): Promise<Product> {
    const errors = productErrors(patch);
    if (errors.length) throw problems.validation('the product is not valid', errors);
    const prices = patch.variants ? await prepareVariants(this.channels, patch.variants) : [];
    const now = this.clock.now();
    let id = '';
    try {
      await inTx(this.db, opts.trx, async (trx) => {
        const prior = await store.findProduct(trx, idOrCode);
        if (!prior) throw problems.notFound('product', idOrCode);
        id = prior.id;
        const { variants, attributes, ...fields } = patch;
        if (variants) await checkTaken(variants, id, trx);
        await store.updateProduct(trx, id, {
          ...fields,
          ...(attributes ? { attributes: JSON.stringify(attributes) } : {}),
          updated_at: now,
        });
        if (variants) {
          // A listed SKU keeps what the patch does not mention; a new one goes after the others.
          const existing = new Map((await store.variantsOfProduct(trx, id)).map((r) => [r.sku, r]));
          let next = Math.max(-1, ...[...existing.values()].map((r) => r.position)) + 1;
          const merged = variants.map((v) => {
            const e = existing.get(v.sku);
            const given = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as VariantInput;
            return e ? { ...e, ...given } : { ...given, position: v.position ?? next++ };
          });
          const done = await store.upsertVariants(
            trx,
            merged.map((v, i) => variantRow(id, v, i, now)),
          );
          const lost = variants.filter((v) => !done.has(v.sku));
          if (lost.length)
            throw problems.duplicate(
              'a SKU belongs to another product',
              lost.map((v) => ({ field: 'variants/sku', message: `SKU ${v.sku} already exists` })),
            );
          await store.upsertPrices(
            trx,
            prices.map((p) => priceRow(p, now)),
          );
        }
        await store.indexSearchTerms(trx, [id]);
        await emit(
          trx,
          {
            type: 'product.updated',
            aggregateId: id,
            payload: { id, code: prior.code, skus: (variants ?? []).map((v) => v.sku) },
          },
          now,
        );
      });
    } catch (err) {
      throw duplicateOf(err) ?? err;
    }
    this.invalidate();
    return this.getProduct(id, opts);
  }

  /** Sets price-book entries (each replaces the entry of its SKU, currency and channel). All or none. */
  async setPrices(entries: PriceSet[], opts: { trx?: Executor } = {}): Promise<PriceEntry[]> {
    const errors: FieldError[] = entries.flatMap((p, i) => priceErrors(p, `prices/${i}`));
    const { resolved, errors: channelErrors } = await resolveChannels(this.channels, entries, (i) => `prices/${i}`);
    errors.push(...channelErrors);
    const seen = new Map<string, number>();
    resolved.forEach((p, i) => {
      const key = `${p.sku}|${p.currency}|${p.channel_id ?? ''}`;
      if (seen.has(key))
        errors.push({
          field: `prices/${i}`,
          message: `repeats prices/${seen.get(key)} (same SKU, currency and channel)`,
        });
      seen.set(key, i);
    });
    if (errors.length) throw problems.validation('the prices are not valid', errors);
    const now = this.clock.now();
    const rows = resolved.map((p) => priceRow(p, now));
    await inTx(this.db, opts.trx, async (trx) => {
      await this.requireVariants(
        entries.map((e) => e.sku),
        { trx, field: 'prices/sku' },
      );
      await store.upsertPrices(trx, rows);
      await emit(trx, { type: 'price.changed', payload: { skus: [...new Set(rows.map((r) => r.sku))] } }, now);
    });
    this.invalidate();
    return rows.map(toPriceEntry);
  }

  /** Removes one price-book entry (e.g. a channel's own price, so the default applies again). */
  async removePrice(
    sku: string,
    currency: string,
    channel?: string | null,
    opts: { trx?: Executor } = {},
  ): Promise<void> {
    let channelId: string | null = null;
    if (channel) {
      const c = await this.channels.channel(channel);
      if (!c) throw problems.field('channel_id', `channel ${channel} does not exist`);
      channelId = c.id;
    }
    const now = this.clock.now();
    await inTx(this.db, opts.trx, async (trx) => {
      if (!(await store.deletePrice(trx, sku, currency, channelId)))
        throw problems.notFound('price', `${sku} ${currency}${channelId ? ` ${channelId}` : ''}`);
      await emit(trx, { type: 'price.changed', payload: { skus: [sku] } }, now);
    });
    this.invalidate();
  }

  /** Imports a product CSV (see docs/catalog-import.md); throws ImportFileError when the file is unusable. */
  async importCsv(data: Uint8Array | string, opts: ImportOptions = {}): Promise<ImportReport> {
    try {
      return await importRows(this.db, this.clock, data, opts);
    } finally {
      this.invalidate();
    }
  }

  /** Creates many new products in a few multi-row statements (demo, benchmarks). All or none. */
  async bulkCreateProducts(
    products: ProductInput[],
    opts: { trx?: Executor; onProgress?: (done: number, total: number) => void } = {},
  ) {
    try {
      return await bulkCreateProducts(this.db, this.clock, products, opts);
    } catch (err) {
      throw duplicateOf(err) ?? err;
    } finally {
      this.invalidate();
    }
  }
}
