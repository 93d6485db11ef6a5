import type { Db } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import { newId } from '../platform/ids.js';
import { inTx } from '../platform/db/tx.js';
import { problems } from '../platform/http/problems.js';
import { feedItems } from './rules.js';
import type { Connections } from './connections.js';
import type { MarketplacesPorts } from './ports.js';
import type { OfferInput, OfferResult, PushReceipt, StockUpdate } from './types.js';
import * as store from './store.js';

/** SKUs per feed: Amazon's JSON_LISTINGS_FEED takes up to 10,000 messages; we stay well under. */
const FEED_MAX_ITEMS = 2000;
/** How soon an asynchronous feed is asked about again, and how long one may stay open before its SKUs are re-sent. */
const FEED_CHECK_MS = 30_000;
const FEED_GIVE_UP_MS = 2 * 3_600_000;
/** A feed claimed but not answered within this (the process died mid-call) is settled by the job. */
const SENDING_LEASE_MS = 5 * 60_000;

/**
 * Offers and stock feeds. Publishing writes full listings (one call per offer, as the Listings Items API
 * does). Stock then follows by feeds: a stock change only MARKS the SKU (inventory.changed → markDirty,
 * in the dispatcher's transaction); the feed job, at most once per connection per `feed_interval_s`,
 * builds one feed with the channel's availability read at that moment for every marked SKU. So a flash
 * sale of a thousand movements costs one feed per interval carrying the latest figure, and a failed
 * feed is not replayed: its SKUs are marked again and the next feed reads their then-latest figure.
 *
 * Feeds of a connection are sent one at a time (the next waits until the provider processed the last),
 * so an older figure can never be applied after a newer one.
 */
export class Feeds {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly ports: MarketplacesPorts,
    private readonly connections: Connections,
  ) {}

  /** The offers for these SKUs as the channel should show them now: its price, its availability. */
  async offersFor(connection: store.ConnectionRow, skus: readonly string[]): Promise<OfferInput[]> {
    const channel = await this.ports.network.channel(connection.channel_id);
    if (!channel) throw problems.notFound('channel', connection.channel_id);
    const [variants, availability, prices, known] = await Promise.all([
      this.ports.catalog.variants(skus),
      this.ports.inventory.availability(channel.code, skus),
      this.ports.catalog.prices(skus, { currency: channel.currency, channelId: channel.id, at: this.clock.now() }),
      store.offersOf(this.db, connection.id, skus),
    ]);
    const unknown = skus.filter((s) => !variants.has(s));
    if (unknown.length)
      throw problems.validation(
        'unknown SKUs',
        unknown.map((s) => ({ field: 'skus', message: `${s} is not in the catalog` })),
      );
    const unpriced = skus.filter((s) => !prices.has(s));
    if (unpriced.length)
      throw problems.validation(
        `no ${channel.currency} price for the channel`,
        unpriced.map((s) => ({ field: 'skus', message: `${s} has no price` })),
      );
    return skus.map((sku) => {
      const v = variants.get(sku)!;
      const attributes: Record<string, string> = {};
      if (v.size) attributes.size = v.size;
      if (v.colour) attributes.colour = v.colour;
      return {
        sku,
        gtin: v.gtin,
        title: [v.product_name, v.colour, v.size].filter(Boolean).join(' - '),
        price: prices.get(sku)!,
        quantity: v.active ? Math.max(0, availability.get(sku) ?? 0) : 0,
        attributes,
        external_id: known.get(sku)?.external_id ?? null,
        group: v.product_id,
      };
    });
  }

  /**
   * Publishes full listings now (provider calls outside any transaction), then records what each SKU
   * shows. A refused SKU is recorded with the provider's message; it is not in the feeds until published again.
   */
  async publish(connectionId: string, skus: readonly string[]): Promise<OfferResult[]> {
    const connection = await this.connections.require(connectionId);
    const offers = await this.offersFor(connection, [...new Set(skus)]);
    const connector = this.connections.connector(connection);
    const results = await connector.publishOffers(offers);
    const now = this.clock.now();
    const byS = new Map(results.map((r) => [r.sku, r]));
    await store.upsertOffers(
      this.db,
      offers.map((o) => {
        const r = byS.get(o.sku);
        const ok = r?.ok === true;
        return {
          connection_id: connectionId,
          sku: o.sku,
          status: ok ? 'listed' : 'refused',
          external_id: r?.external_id ?? null,
          message: ok ? null : (r?.message ?? 'no answer for this SKU'),
          published_quantity: ok ? o.quantity : null,
          published_price: ok ? o.price.amount : null,
          published_at: ok ? now : null,
          dirty_mark: null,
        };
      }),
    );
    // A change between reading availability and recording it must not be lost: queue them for the next feed.
    await store.markDirty(
      this.db,
      results.filter((r) => r.ok).map((r) => r.sku),
      connectionId,
    );
    return results;
  }

  /** The feed job: sends at most one feed per due connection, and checks open feeds. Returns work done. */
  async pushDue(): Promise<number> {
    let work = await this.checkOpenFeeds();
    for (let i = 0; i < 20; i++) {
      const sent = await this.pushOne();
      if (sent === null) break;
      work += sent;
    }
    return work;
  }

  /** Builds and sends one feed for the next due connection; null when none is due. */
  async pushOne(): Promise<number | null> {
    const now = this.clock.now();
    // Which connection (claimed by moving its due time ahead) and which marks: one short transaction.
    const claimed = await inTx(this.db, undefined, async (trx) => {
      const c = await store.lockFeedDue(trx, now);
      if (!c) return null;
      await store.updateConnection(trx, c.id, { feed_due_at: new Date(now.getTime() + c.feed_interval_s * 1000) });
      if (await store.openFeed(trx, c.id)) return { connection: c, dirty: [] as store.OfferRow[] };
      return { connection: c, dirty: await store.dirtyOffers(trx, c.id, FEED_MAX_ITEMS) };
    });
    if (!claimed) return null;
    const { connection, dirty } = claimed;
    if (dirty.length === 0) return 0;
    // The figures: read AFTER the marks, so any change the marks do not cover has a later mark.
    const channel = await this.ports.network.channel(connection.channel_id);
    if (!channel) return 0;
    const skus = dirty.map((d) => d.sku);
    const [availability, prices] = await Promise.all([
      this.ports.inventory.availability(channel.code, skus),
      this.ports.catalog.prices(skus, { currency: channel.currency, channelId: channel.id, at: now }),
    ]);
    const items = feedItems(
      skus,
      availability,
      prices,
      new Map(dirty.map((d) => [d.sku, { price: d.published_price === null ? null : Number(d.published_price) }])),
    );
    // The listing id goes along for providers that address stock by it (AliExpress's product id).
    const ext = new Map(dirty.map((d) => [d.sku, d.external_id]));
    for (const i of items) i.external_id = ext.get(i.sku) ?? null;
    const upTo = dirty.reduce((m, d) => (BigInt(d.dirty_mark!) > m ? BigInt(d.dirty_mark!) : m), 0n).toString();
    const feedId = newId('mkf', now.getTime());
    await inTx(this.db, undefined, async (trx) => {
      await store.insertFeed(trx, {
        id: feedId,
        connection_id: connection.id,
        state: 'sending',
        submission_id: null,
        items,
        error: null,
        check_at: new Date(now.getTime() + SENDING_LEASE_MS),
        created_at: now,
        finished_at: null,
      });
      await store.clearDirty(trx, connection.id, skus, upTo);
    });
    // The provider call, no transaction open.
    let receipt: PushReceipt;
    try {
      receipt = await this.connections.connector(connection).pushStock(items);
    } catch (err) {
      await this.failFeed(feedId, connection.id, items, (err as Error).message);
      return 1;
    }
    await this.recordReceipt(feedId, connection.id, items, receipt);
    return 1;
  }

  private async recordReceipt(
    feedId: string,
    connectionId: string,
    items: StockUpdate[],
    r: PushReceipt,
  ): Promise<void> {
    const now = this.clock.now();
    if (r.state === 'failed')
      return this.failFeed(
        feedId,
        connectionId,
        items,
        r.failed.map((f) => f.message).join('; ') || 'feed failed',
        r.submission_id,
      );
    await inTx(this.db, undefined, async (trx) => {
      if (r.state === 'pending') {
        await store.updateFeed(trx, feedId, {
          state: 'pending',
          submission_id: r.submission_id,
          check_at: new Date(now.getTime() + FEED_CHECK_MS),
        });
        return;
      }
      const failed = new Set(r.failed.map((f) => f.sku));
      await store.updateFeed(trx, feedId, {
        state: 'done',
        submission_id: r.submission_id,
        finished_at: now,
        error: r.failed.length
          ? r.failed
              .map((f) => `${f.sku}: ${f.message}`)
              .join('; ')
              .slice(0, 2000)
          : null,
      });
      await store.setPublished(
        trx,
        connectionId,
        items.filter((i) => !failed.has(i.sku)),
        now,
      );
      // Refused SKUs go out again in the next feed, with the figure of that moment.
      await store.markDirty(trx, [...failed], connectionId);
      await store.updateConnection(trx, connectionId, { last_error: null });
    });
  }

  /** A feed that failed: nothing of it counts as published; its SKUs are marked for the next feed. */
  private async failFeed(
    feedId: string,
    connectionId: string,
    items: StockUpdate[],
    error: string,
    submissionId: string | null = null,
  ): Promise<void> {
    const now = this.clock.now();
    this.log.warn(
      { feed: feedId, connection: connectionId, err: error },
      'marketplace feed failed; its SKUs go in the next feed',
    );
    await inTx(this.db, undefined, async (trx) => {
      await store.updateFeed(trx, feedId, {
        state: 'failed',
        error: error.slice(0, 2000),
        finished_at: now,
        ...(submissionId ? { submission_id: submissionId } : {}),
      });
      await store.markDirty(
        trx,
        items.map((i) => i.sku),
        connectionId,
      );
      await store.updateConnection(trx, connectionId, { last_error: `feed ${feedId}: ${error}`.slice(0, 2000) });
    });
  }

  /** Asks about pending feeds; settles feeds a crash left in 'sending' (re-marking their SKUs). */
  async checkOpenFeeds(): Promise<number> {
    const now = this.clock.now();
    const feeds = await inTx(this.db, undefined, async (trx) => {
      const rows = await store.lockFeedsToCheck(trx, now, 20);
      for (const f of rows) await store.updateFeed(trx, f.id, { check_at: new Date(now.getTime() + FEED_CHECK_MS) });
      return rows;
    });
    for (const f of feeds) {
      const items = f.items as StockUpdate[];
      if (f.state === 'sending' || !f.submission_id) {
        await this.failFeed(f.id, f.connection_id, items, 'no answer recorded (the process stopped while sending)');
        continue;
      }
      const connection = await this.connections.require(f.connection_id);
      try {
        const r = await this.connections.connector(connection).pushStatus(f.submission_id);
        if (r.state === 'pending') {
          if (now.getTime() - f.created_at.getTime() > FEED_GIVE_UP_MS)
            await this.failFeed(
              f.id,
              f.connection_id,
              items,
              'the provider did not process the feed in time',
              f.submission_id,
            );
          continue;
        }
        await this.recordReceipt(f.id, f.connection_id, items, r);
      } catch (err) {
        this.log.warn({ feed: f.id, err }, 'marketplace feed status unknown; asked again later');
      }
    }
    return feeds.length;
  }

  /**
   * The price re-check job: a sale whose window opens or closes by the clock (price-book valid_from /
   * valid_to) changes the channel's price without any event, so every listed offer's published price is
   * compared with the price now, page by page, and the SKUs that differ are marked for the next feed.
   * Reads only, and marking twice is harmless: several workers may run it at once. Returns SKUs marked.
   */
  async recheckPrices(pageSize = 500): Promise<number> {
    let marked = 0;
    const now = this.clock.now();
    for (const connection of await store.listConnections(this.db)) {
      if (!connection.active) continue;
      const channel = await this.ports.network.channel(connection.channel_id);
      if (!channel) continue;
      let after = '';
      for (;;) {
        const page = await store.pricedOffers(this.db, connection.id, after, pageSize);
        if (page.length === 0) break;
        const prices = await this.ports.catalog.prices(
          page.map((o) => o.sku),
          { currency: channel.currency, channelId: channel.id, at: now },
        );
        const moved = page
          .filter((o) => {
            const p = prices.get(o.sku);
            return p !== undefined && p.amount !== Number(o.published_price);
          })
          .map((o) => o.sku);
        marked += await store.markDirty(this.db, moved, connection.id);
        after = page.at(-1)!.sku;
        if (page.length < pageSize) break;
      }
    }
    return marked;
  }

  /** Marks SKUs for the next feed of every connection that lists them (inventory.changed, in its transaction). */
  markDirty = store.markDirty;
}
