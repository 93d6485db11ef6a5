import type { Executor } from '../platform/db/schema.js';
import { newId } from '../platform/ids.js';
import { emit } from '../platform/events/outbox.js';
import { inTx } from '../platform/db/tx.js';
import { AppError, isUniqueViolation, problems, type FieldError } from '../platform/http/problems.js';
import { decodeCursor, pageOf } from '../platform/http/pagination.js';
import * as store from './store.js';
import { batchCsv } from './coupon-batches.js';
import { compile, nextBoundary, type PromotionSnapshot } from './compile.js';
import { exclusiveOverlap, promotionErrors, type SkuFacts } from './rules.js';
import { ruleFrom, rowFrom, toCoupon, toPromotion } from './mapping.js';
import {
  generateCoupons,
  redeemCoupons,
  releaseRedemptions,
  validateCoupon,
  type CouponCheck,
  type CouponsInput,
  type Redemption,
} from './coupons.js';
import { quoteBasket, type QuoteInput } from './pricing.js';
import { CatalogCache } from './catalog-cache.js';
import { SnapshotCache } from '../platform/db/snapshot-cache.js';
import type { CouponGuardPort, PromotionsDeps } from './ports.js';
import type { Coupon, Promotion, PromotionInput, PromotionPatch, PromotionStatus, Quote } from './types.js';

export const PROMOTION_ID_PREFIX = 'prm';

/** Every promotion start and end instant (ms), ascending and distinct: the snapshot's time boundaries. */
function boundariesOf(list: Promotion[]): number[] {
  const out = new Set<number>();
  for (const p of list) for (const t of [p.starts_at, p.ends_at]) if (t) out.add(Date.parse(t));
  return [...out].sort((a, b) => a - b);
}

/**
 * A quote must cost no promotion query, so active promotions live in memory, compiled. Writes through
 * this process refresh the snapshot at once; writes through other processes show within SNAPSHOT_MS.
 */
const SNAPSHOT_MS = 2000;

export class PromotionsService {
  private readonly snap: SnapshotCache<PromotionSnapshot>;
  private readonly catalogCache: CatalogCache;

  constructor(private readonly deps: PromotionsDeps) {
    this.catalogCache = new CatalogCache(deps.catalog, deps.clock);
    this.snap = new SnapshotCache(
      deps.db,
      deps.clock,
      async (db) => {
        const { version, rows } = await store.activePromotionsAtVersion(db);
        const list = rows.map(toPromotion);
        return {
          index: compile(list),
          byId: new Map(list.map((p) => [p.id, p])),
          version,
          boundaries: boundariesOf(list),
        };
      },
      SNAPSHOT_MS,
    );
  }

  /** Stale is served while a background refresh runs; a transaction passes `{ trx }` (see SnapshotCache). */
  snapshot(opts: { trx?: Executor | undefined } = {}): Promise<PromotionSnapshot> {
    return this.snap.get(opts);
  }

  /** Drops the promotion snapshot and the cached catalog facts (both rebuilt on next use). */
  invalidate(opts: { trx?: Executor | undefined } = {}): void {
    this.snap.invalidate(opts);
    this.catalogCache.clear();
  }

  /**
   * Prices a basket for a channel with the one engine. See docs/promotions.md. With `cached`
   * (browsing: the quote API, cart views) catalog facts may come from a per-process cache up to
   * 10 s old; by default, and always with `trx` or `at` (checkout), they are read fresh.
   */
  async quote(input: QuoteInput, opts: { trx?: Executor; at?: Date; cached?: boolean } = {}): Promise<Quote> {
    const cache = opts.cached && opts.trx === undefined && opts.at === undefined ? this.catalogCache : undefined;
    return quoteBasket(this.deps, await this.snapshot({ trx: opts.trx }), input, {
      trx: opts.trx,
      at: opts.at ?? this.deps.clock.now(),
      cache,
    });
  }

  /**
   * A quote and what it was made from (issue 17, quote reuse at checkout, src/carts/quote-reuse.ts):
   * the version of the promotion snapshot it used, the VAT country, and the first promotion start or
   * end after `at`. Always priced from a fresh catalog read (no `cached`), like checkout's quote.
   */
  async quoteWithBasis(
    input: QuoteInput,
    opts: { at?: Date } = {},
  ): Promise<{
    quote: Quote;
    basis: { snapshot_version: string | null; country: string; valid_until_ms: number | null };
  }> {
    const snap = await this.snapshot();
    const at = opts.at ?? this.deps.clock.now();
    const seen = { country: '' };
    const quote = await quoteBasket(this.deps, snap, input, { at, seen });
    return {
      quote,
      basis: {
        snapshot_version: snap.version ?? null,
        country: seen.country,
        valid_until_ms: nextBoundary(snap, at.getTime()),
      },
    };
  }

  /** The version of the promotion snapshot a quote made now would use, and its next boundary after `at`. */
  async pricingState(at: Date): Promise<{ snapshot_version: string | null; valid_until_ms: number | null }> {
    const snap = await this.snapshot();
    return { snapshot_version: snap.version ?? null, valid_until_ms: nextBoundary(snap, at.getTime()) };
  }

  /** Wired by the composition root once the module that knows whose codes are whose exists (referrals). */
  setCouponGuard(guard: CouponGuardPort): void {
    this.deps.couponGuard = guard;
  }

  /** Whether a coupon could be used now by this customer on this channel (no redemption made). */
  async validateCoupon(
    code: string,
    ctx: { customer_id?: string | null | undefined; channel: string; at?: Date | undefined },
  ): Promise<CouponCheck> {
    return validateCoupon(this.deps, await this.snapshot(), code, { ...ctx, at: ctx.at ?? this.deps.clock.now() });
  }

  /**
   * Records the coupons of an order inside the order's transaction; a code over its limit throws
   * AppError('coupon_invalid') and the caller's transaction rolls back, consuming nothing.
   */
  async redeem(
    input: { order_id: string; customer_id?: string | null | undefined; coupons: string[] },
    opts: { trx?: Executor; at?: Date } = {},
  ): Promise<Redemption[]> {
    const at = opts.at ?? this.deps.clock.now();
    return inTx(this.deps.db, opts.trx, (trx) => redeemCoupons(trx, input, at));
  }

  /**
   * Of these promotions, the ones limited to a customer's first order (read in the caller's
   * transaction): checkout re-checks them against the customer's orders at redemption, because the
   * quote judged "first order" from metrics that lag behind the orders (issue 11 point 9).
   */
  async firstOrderOnly(promotionIds: string[], opts: { trx?: Executor } = {}): Promise<string[]> {
    const out: string[] = [];
    for (const id of [...new Set(promotionIds)]) {
      const row = await store.promotionByIdOrCode(opts.trx ?? this.deps.db, id);
      if (row && toPromotion(row).conditions?.first_order === true) out.push(row.id);
    }
    return out;
  }

  /** The order was never paid: its coupon redemptions are undone in the caller's transaction. */
  async releaseRedemptions(orderId: string, opts: { trx?: Executor } = {}): Promise<number> {
    return inTx(this.deps.db, opts.trx, (trx) => releaseRedemptions(trx, orderId, this.deps.clock.now()));
  }

  async getPromotion(idOrCode: string, opts: { trx?: Executor } = {}): Promise<Promotion> {
    const row = await store.promotionByIdOrCode(opts.trx ?? this.deps.db, idOrCode);
    if (!row) throw problems.notFound('promotion', idOrCode);
    return toPromotion(row);
  }

  async listPromotions(q: {
    limit?: number | undefined;
    cursor?: string | undefined;
    status?: PromotionStatus | undefined;
  }): Promise<{ items: Promotion[]; next_cursor: string | null }> {
    const limit = q.limit ?? 50;
    const rows = await store.listPromotions(this.deps.db, {
      limit,
      after: decodeCursor<string>(q.cursor),
      status: q.status,
    });
    return pageOf(rows.map(toPromotion), limit, (p) => p.id);
  }

  /** Refuses unknown SKUs, products, categories, channels and locations, naming each. */
  private async referenceErrors(r: ReturnType<typeof ruleFrom>): Promise<{ errors: FieldError[]; facts: SkuFacts }> {
    const errors: FieldError[] = [];
    const scopes = [
      { path: 'scope', s: r.scope },
      ...(r.params.bundle?.components ?? []).map((s, i) => ({ path: `params/bundle/components/${i}`, s })),
    ];
    const skus = [...new Set(scopes.flatMap((x) => x.s.skus ?? []))];
    const variants = skus.length ? await this.deps.catalog.getVariants(skus) : new Map();
    const facts: SkuFacts = new Map([...variants.values()].map((v) => [v.sku, v]));
    for (const { path, s } of scopes) {
      (s.skus ?? []).forEach(
        (sku, i) =>
          !variants.has(sku) && errors.push({ field: `${path}/skus/${i}`, message: `SKU ${sku} does not exist` }),
      );
      for (const [i, id] of (s.products ?? []).entries()) {
        const known = await this.deps.catalog.getProduct(id).then(
          () => true,
          (e: unknown) => (e instanceof AppError && e.type === 'not_found' ? false : Promise.reject(e)),
        );
        if (!known) errors.push({ field: `${path}/products/${i}`, message: `product ${id} does not exist` });
      }
      for (const [i, c] of (s.categories ?? []).entries()) {
        const page = await this.deps.catalog.listProducts({ category: c, limit: 1 });
        if (page.items.length === 0)
          errors.push({ field: `${path}/categories/${i}`, message: `no product is in category ${c}` });
      }
    }
    for (const [i, c] of (r.conditions.channels ?? []).entries()) {
      if (!(await this.deps.network.channel(c)))
        errors.push({ field: `conditions/channels/${i}`, message: `channel ${c} does not exist` });
    }
    for (const [i, l] of (r.conditions.locations ?? []).entries()) {
      if (!(await this.deps.network.location(l)))
        errors.push({ field: `conditions/locations/${i}`, message: `location ${l} does not exist` });
    }
    return { errors, facts };
  }

  /** Channels and locations may be named by code; the engine compares ids. */
  private async canonicalIds(r: ReturnType<typeof ruleFrom>): Promise<void> {
    const c = r.conditions;
    if (c.channels)
      c.channels = await Promise.all(c.channels.map(async (x) => (await this.deps.network.channel(x))?.id ?? x));
    if (c.locations)
      c.locations = await Promise.all(c.locations.map(async (x) => (await this.deps.network.location(x))?.id ?? x));
  }

  private async save(
    r: ReturnType<typeof ruleFrom>,
    existing: Promotion | undefined,
    trx: Executor | undefined,
    dryRun = false,
  ): Promise<Promotion> {
    const errors = promotionErrors(r);
    const refs = await this.referenceErrors(r);
    errors.push(...refs.errors);
    if (errors.length) throw problems.validation('the promotion is not valid', errors);
    await this.canonicalIds(r);
    const now = this.deps.clock.now();
    if (dryRun) {
      // Validation only (the console checks a form as it is typed): the same checks, nothing written,
      // no lock taken. The exclusive-overlap check reads without the lock, so a save may still clash.
      await this.exclusiveClash(r, existing, refs.facts, trx ?? this.deps.db);
      return toPromotion({
        id: r.id,
        ...rowFrom(r),
        params: r.params,
        scope: r.scope,
        conditions: r.conditions,
        created_at: existing ? new Date(existing.created_at) : now,
        updated_at: now,
      });
    }
    try {
      const row = await inTx(this.deps.db, trx, async (tx) => {
        if (r.stacking.exclusive && r.status === 'active') {
          await store.lockExclusiveChanges(tx);
          await this.exclusiveClash(r, existing, refs.facts, tx);
        }
        const out = existing
          ? await store.updatePromotion(tx, existing.id, { ...rowFrom(r), updated_at: now })
          : (await store.insertPromotion(tx, { id: r.id, ...rowFrom(r), created_at: now, updated_at: now }),
            await store.promotionByIdOrCode(tx, r.id));
        await emit(
          tx,
          {
            type: existing ? 'promotion.updated' : 'promotion.created',
            aggregateId: r.id,
            payload: { id: r.id, kind: r.kind, status: r.status },
          },
          now,
        );
        return out;
      });
      // With a caller's transaction, that transaction reads the new promotions through itself (SnapshotCache).
      this.invalidate({ trx });
      return toPromotion(row!);
    } catch (err) {
      if (isUniqueViolation(err))
        throw problems.duplicate(`a promotion with code ${r.code} exists`, [
          { field: 'code', message: 'already used' },
        ]);
      throw err;
    }
  }

  /** Refuses an active exclusive promotion that overlaps another in dates, channels and items. */
  private async exclusiveClash(
    r: ReturnType<typeof ruleFrom>,
    existing: Promotion | undefined,
    facts: SkuFacts,
    db: Executor,
  ): Promise<void> {
    if (!r.stacking.exclusive || r.status !== 'active') return;
    const clash = (await store.activeExclusive(db, existing?.id ?? null))
      .map(toPromotion)
      .find((o) => exclusiveOverlap(r, o, facts));
    if (clash)
      throw new AppError(
        'conflict',
        `overlaps the exclusive promotion ${clash.name} (${clash.id}): same dates, channels and items`,
        {
          errors: [{ field: 'stacking/exclusive', message: `overlaps ${clash.id}` }],
          overlapping_promotion_id: clash.id,
        },
      );
  }

  /** `dryRun`: validate and return what would be saved, writing nothing. */
  async createPromotion(input: PromotionInput, opts: { trx?: Executor; dryRun?: boolean } = {}): Promise<Promotion> {
    const id = newId(PROMOTION_ID_PREFIX, this.deps.clock.now().getTime());
    return this.save(ruleFrom(id, input), undefined, opts.trx, opts.dryRun);
  }

  async updatePromotion(
    idOrCode: string,
    patch: PromotionPatch,
    opts: { trx?: Executor; dryRun?: boolean } = {},
  ): Promise<Promotion> {
    const existing = await this.getPromotion(idOrCode, opts);
    return this.save(
      ruleFrom(existing.id, { ...patch, kind: existing.kind, name: patch.name ?? existing.name }, existing),
      existing,
      opts.trx,
      opts.dryRun,
    );
  }

  /** A public code, or a batch of unique single-use codes. */
  async createCoupons(
    promotionId: string,
    input: CouponsInput,
    opts: { trx?: Executor } = {},
  ): Promise<{ batch_id: string | null; count: number; codes: string[] }> {
    const promotion = await this.getPromotion(promotionId, opts);
    return generateCoupons(this.deps, promotion, input, opts.trx);
  }

  /** The single-use batches of a promotion, newest first, with how many codes were used. */
  async couponBatches(promotionId: string): Promise<store.CouponBatch[]> {
    const promotion = await this.getPromotion(promotionId);
    return store.couponBatches(this.deps.db, promotion.id);
  }

  /** One batch's codes as CSV; a batch of another promotion is not found. */
  async couponBatchCsv(promotionId: string, batchId: string): Promise<string> {
    const promotion = await this.getPromotion(promotionId);
    const rows = await store.batchCoupons(this.deps.db, promotion.id, batchId);
    if (!rows.length) throw problems.notFound('coupon batch', batchId);
    return batchCsv(rows);
  }

  async listCoupons(
    promotionId: string,
    q: { limit?: number | undefined; cursor?: string | undefined },
  ): Promise<{ items: Coupon[]; next_cursor: string | null }> {
    const promotion = await this.getPromotion(promotionId);
    const limit = q.limit ?? 50;
    const rows = await store.listCoupons(this.deps.db, promotion.id, { limit, after: decodeCursor<string>(q.cursor) });
    return pageOf(rows.map(toCoupon), limit, (c) => c.code);
  }
}
