/**
 * Social catalog feeds: one stored feed per social channel, a row per SKU, regenerated only for the SKUs
 * whose stock, price or product changed. Events (inventory.changed, price.changed, product.*) only MARK
 * the SKU in the dispatcher's transaction; a refresh reads the figures of that moment for the marked SKUs
 * and rewrites only the rows whose figures differ (their `revision` moves, the others' stay).
 *
 * Serving a feed refreshes what is marked, then checks the in-stock rows against the channel's
 * availability of this moment: the outbox delivers a stock change a little after it commits, and a
 * feed fetched in between must still never offer more than the channel may promise, so a row above it
 * is regenerated on the spot (and served at the lower figure whatever happens meanwhile).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import { inTx } from '../platform/db/tx.js';
import { AppError, problems } from '../platform/http/problems.js';
import { buildItem, googleRss, metaCsv, sameItem, type FeedItem, type ProductFacts } from './rules.js';
import type { FeedChannel, FeedsPorts } from './ports.js';
import * as store from './store.js';

/** SKUs regenerated per round (one transaction each). */
const REFRESH_BATCH = 500;
/** Rounds a fetch spends catching up before it serves what is stored (the job does the rest). */
const SERVE_ROUNDS = 20;

export interface FeedView {
  channel_id: string;
  channel_code: string;
  link_template: string;
  image_template: string;
  active: boolean;
  token_hint: string;
  items: number;
  pending: number;
  created_at: string;
  updated_at: string;
}

export interface FeedConfigInput {
  link_template: string;
  image_template: string;
  active?: boolean | undefined;
}

export type FeedFormat = 'meta' | 'google';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export class FeedsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly ports: FeedsPorts,
  ) {}

  async socialChannel(ref: string): Promise<FeedChannel> {
    const channel = await this.ports.network.channel(ref);
    if (!channel) throw problems.notFound('channel', ref);
    return channel;
  }

  /**
   * Creates a channel's feed (a new fetch token, shown once) or changes its settings. A new feed queues
   * every SKU of the catalog for its first build; a settings change queues the rows it already has.
   */
  async configure(ref: string, input: FeedConfigInput): Promise<{ feed: FeedView; token: string | null }> {
    const channel = await this.socialChannel(ref);
    if (channel.type !== 'social')
      throw problems.field('channel_code', `channel ${channel.code} is a ${channel.type} channel, not social`);
    for (const f of ['link_template', 'image_template'] as const)
      if (!/^https?:\/\//.test(input[f])) throw problems.field(f, 'must be an http(s) URL template');
    const now = this.clock.now();
    const existing = await store.getFeed(this.db, channel.id);
    let token: string | null = null;
    await inTx(this.db, undefined, async (trx) => {
      if (existing) {
        await store.updateFeed(trx, channel.id, {
          link_template: input.link_template,
          image_template: input.image_template,
          active: input.active ?? existing.active,
          updated_at: now,
        });
        const skus = (await store.itemsOf(trx, channel.id)).map((i) => i.sku);
        await store.markDirty(trx, skus, channel.id);
        return;
      }
      token = newToken();
      await store.upsertFeed(trx, {
        channel_id: channel.id,
        token_hash: hashToken(token),
        token_hint: token.slice(-4),
        link_template: input.link_template,
        image_template: input.image_template,
        active: input.active ?? true,
        created_at: now,
        updated_at: now,
      });
    });
    if (!existing) await this.queueCatalog(channel.id);
    return { feed: await this.view(channel), token };
  }

  /** A new fetch token; the old one stops working at once. */
  async rotateToken(ref: string): Promise<{ feed: FeedView; token: string }> {
    const channel = await this.socialChannel(ref);
    await this.requireFeed(channel.id);
    const token = newToken();
    await store.updateFeed(this.db, channel.id, {
      token_hash: hashToken(token),
      token_hint: token.slice(-4),
      updated_at: this.clock.now(),
    });
    return { feed: await this.view(channel), token };
  }

  /** The channel a fetch token opens (its feed), or undefined: the route hands it to the policy. */
  async tokenChannel(token: string): Promise<string | undefined> {
    const row = await store.feedByTokenHash(this.db, hashToken(token));
    return row?.active ? row.channel_id : undefined;
  }

  async get(ref: string): Promise<FeedView> {
    return this.view(await this.socialChannel(ref));
  }

  async list(): Promise<FeedView[]> {
    const out: FeedView[] = [];
    for (const f of await store.listFeeds(this.db)) {
      const channel = await this.ports.network.channel(f.channel_id);
      if (channel) out.push(await this.view(channel));
    }
    return out;
  }

  private async requireFeed(channelId: string): Promise<store.FeedRow> {
    const row = await store.getFeed(this.db, channelId);
    if (!row) throw new AppError('not_found', `channel ${channelId} has no feed`);
    return row;
  }

  private async view(channel: FeedChannel): Promise<FeedView> {
    const f = await this.requireFeed(channel.id);
    const { items, pending } = await store.counts(this.db, channel.id);
    return {
      channel_id: channel.id,
      channel_code: channel.code,
      link_template: f.link_template,
      image_template: f.image_template,
      active: f.active,
      token_hint: f.token_hint,
      items,
      pending,
      created_at: f.created_at.toISOString(),
      updated_at: f.updated_at.toISOString(),
    };
  }

  /** Queues every SKU of the catalog for one channel's feed (its first build). */
  private async queueCatalog(channelId: string): Promise<void> {
    let cursor: string | null = null;
    do {
      const page = await this.ports.catalog.skuPage(cursor);
      await store.markDirty(this.db, page.skus, channelId);
      cursor = page.next;
    } while (cursor);
  }

  /** Marks SKUs in every active feed (event consumers call it in the dispatcher's transaction). */
  markDirty = store.markDirty;
  markProduct = store.markProduct;

  /** The stored rows of a channel's feed (tests and the console read the revisions). */
  items(channelId: string): Promise<store.ItemRow[]> {
    return store.itemsOf(this.db, channelId);
  }

  /** The job: regenerates the marked SKUs of every active feed. Returns the SKUs looked at. */
  async refreshDue(): Promise<number> {
    let work = 0;
    for (const f of await store.listFeeds(this.db)) {
      if (!f.active) continue;
      for (let i = 0; i < SERVE_ROUNDS; i++) {
        const n = await this.refreshOnce(f.channel_id);
        work += n;
        if (n === 0) break;
      }
    }
    return work;
  }

  /** Regenerates up to one batch of a channel's marked SKUs; returns how many were marked. */
  async refreshOnce(channelId: string, only?: readonly string[]): Promise<number> {
    const feed = await store.getFeed(this.db, channelId);
    const channel = feed && (await this.ports.network.channel(channelId));
    if (!feed || !channel) return 0;
    let marks = await store.dirtyOf(this.db, channelId, REFRESH_BATCH);
    if (only) marks = marks.filter((m) => only.includes(m.sku));
    if (marks.length === 0) return 0;
    // The figures of this moment, read AFTER the marks: a change the marks do not cover has a later mark.
    const built = await this.build(
      channel,
      feed,
      marks.map((m) => m.sku),
    );
    const now = this.clock.now();
    await inTx(this.db, undefined, async (trx) => {
      // One refresh writes a channel's rows at a time, and only SKUs still marked: a refresh that read
      // the same marks and finished first wrote figures at least as new as ours. NO KEY UPDATE, not
      // UPDATE: a marker's insert takes KEY SHARE on the feed row (the foreign key) and must not wait
      // on us while we wait on its mark (that was a deadlock under concurrent stock changes).
      await trx
        .selectFrom('social_feeds')
        .select('channel_id')
        .where('channel_id', '=', channelId)
        .forNoKeyUpdate()
        .execute();
      const still = new Map((await store.dirtyOf(trx, channelId, 100_000)).map((m) => [m.sku, m.mark]));
      const mine = marks.filter((m) => still.has(m.sku)).sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
      const skus = mine.map((m) => m.sku);
      const before = new Map((await store.itemsOf(trx, channelId, skus)).map((r) => [r.sku, r]));
      const gone: string[] = [];
      for (const sku of skus) {
        const item = built.get(sku) ?? null;
        const old = before.get(sku);
        if (item === null) {
          if (old) gone.push(sku);
        } else if (!old || !sameItem(strip(old), item)) await store.putItem(trx, channelId, item, now);
      }
      await store.deleteItems(trx, channelId, gone);
      await store.clearDirty(trx, channelId, mine);
    });
    return marks.length;
  }

  /** The rows of these SKUs as the channel should show them now (null: the channel does not sell it). */
  private async build(
    channel: FeedChannel,
    feed: store.FeedRow,
    skus: string[],
  ): Promise<Map<string, FeedItem | null>> {
    const [productOf, availability] = await Promise.all([
      this.ports.catalog.productOf(skus),
      this.ports.inventory.availability(channel.code, skus),
    ]);
    const products = new Map<string, ProductFacts | null>();
    for (const id of new Set(productOf.values()))
      products.set(id, await this.ports.catalog.product(id, { currency: channel.currency, channelId: channel.id }));
    const settings = {
      link_template: feed.link_template,
      image_template: feed.image_template,
      default_brand: channel.name,
    };
    const out = new Map<string, FeedItem | null>();
    for (const sku of skus) {
      const product = products.get(productOf.get(sku) ?? '') ?? null;
      out.set(sku, product ? buildItem(product, sku, availability.get(sku) ?? 0, settings) : null);
    }
    return out;
  }

  /**
   * The feed as a platform fetches it. Marked SKUs are regenerated first; then every in-stock row is
   * checked against the channel's availability now, and a row above it is regenerated and served at
   * the lower figure (see the module comment). Nothing else is recomputed.
   */
  async render(ref: string, format: FeedFormat): Promise<{ body: string; contentType: string }> {
    const channel = await this.socialChannel(ref);
    const feed = await this.requireFeed(channel.id);
    if (!feed.active) throw new AppError('not_found', `the feed of channel ${channel.code} is switched off`);
    // A refresh that fails here (a deadlock retried out, say) does not fail the fetch: what is served
    // is checked against the availability of this moment below anyway.
    const refresh = (only?: readonly string[]) =>
      this.refreshOnce(channel.id, only).catch((err: unknown) => {
        this.log.warn({ channel: channel.code, err }, 'feed refresh failed; serving stored rows checked against stock');
        return 0;
      });
    for (let i = 0; i < SERVE_ROUNDS && (await refresh()) > 0; i++);
    let items = await store.itemsOf(this.db, channel.id);
    const inStock = items.filter((i) => i.quantity > 0).map((i) => i.sku);
    const now = await this.ports.inventory.availability(channel.code, inStock);
    const over = items.filter((i) => i.quantity > (now.get(i.sku) ?? 0)).map((i) => i.sku);
    if (over.length) {
      this.log.debug({ channel: channel.code, skus: over.length }, 'feed rows above availability regenerated');
      await inTx(this.db, undefined, (trx) => store.markDirty(trx, over, channel.id)).catch((err: unknown) =>
        this.log.warn({ channel: channel.code, err }, 'could not mark feed rows above availability'),
      );
      await refresh(over);
      items = await store.itemsOf(this.db, channel.id);
    }
    const served: FeedItem[] = items.map((i) => ({ ...strip(i), quantity: Math.min(i.quantity, now.get(i.sku) ?? 0) }));
    if (format === 'meta') return { body: metaCsv(served), contentType: 'text/csv; charset=utf-8' };
    return {
      body: googleRss(served, {
        title: channel.name,
        link: new URL(feed.link_template.replace(/\{[a-z_]+\}/g, 'x')).origin,
        description: `${channel.name} catalog`,
      }),
      contentType: 'application/rss+xml; charset=utf-8',
    };
  }
}

function strip(r: store.ItemRow): FeedItem {
  const { revision: _r, updated_at: _u, ...item } = r;
  return item;
}

function newToken(): string {
  return `omf_${randomBytes(24).toString('base64url')}`;
}
