/** The feeds module's SQL (Kysely). Functions take an Executor: the pool or a transaction. */
import { sql } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import type { FeedItem } from './rules.js';
import type { ShareLinksTable, SocialFeedItemsTable, SocialFeedsTable } from './tables.js';

export type FeedRow = SocialFeedsTable;
export type ShareLinkRow = ShareLinksTable;

export function getFeed(ex: Executor, channelId: string): Promise<FeedRow | undefined> {
  return ex.selectFrom('social_feeds').selectAll().where('channel_id', '=', channelId).executeTakeFirst();
}

export function feedByTokenHash(ex: Executor, hash: string): Promise<FeedRow | undefined> {
  return ex.selectFrom('social_feeds').selectAll().where('token_hash', '=', hash).executeTakeFirst();
}

export function listFeeds(ex: Executor): Promise<FeedRow[]> {
  return ex.selectFrom('social_feeds').selectAll().orderBy('channel_id').execute();
}

export async function upsertFeed(ex: Executor, row: FeedRow): Promise<void> {
  await ex
    .insertInto('social_feeds')
    .values(row)
    .onConflict((oc) =>
      oc.column('channel_id').doUpdateSet({
        token_hash: row.token_hash,
        token_hint: row.token_hint,
        link_template: row.link_template,
        image_template: row.image_template,
        active: row.active,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function updateFeed(
  ex: Executor,
  channelId: string,
  patch: Partial<Omit<FeedRow, 'channel_id' | 'created_at'>>,
): Promise<void> {
  await ex.updateTable('social_feeds').set(patch).where('channel_id', '=', channelId).execute();
}

/**
 * Marks SKUs for regeneration in every feed (or one channel's), with a fresh mark from the sequence: a
 * refresh running now read older marks, so it leaves these for the next one.
 */
export async function markDirty(ex: Executor, skus: readonly string[], channelId?: string): Promise<void> {
  // Sorted: concurrent markers and refreshes take the (channel, sku) row locks in one order (no deadlock).
  const unique = [...new Set(skus)].sort();
  if (unique.length === 0) return;
  const channelFilter = channelId ? sql`and f.channel_id = ${channelId}` : sql``;
  await sql`
    insert into social_feed_dirty (channel_id, sku, mark)
    select f.channel_id, s.sku, nextval('social_feed_dirty_seq')
    from social_feeds f cross join unnest(${sql.val(unique)}::text[]) as s(sku)
    where f.active ${channelFilter}
    order by f.channel_id, s.sku
    on conflict (channel_id, sku) do update set mark = excluded.mark`.execute(ex);
}

export async function dirtyOf(
  ex: Executor,
  channelId: string,
  limit: number,
): Promise<{ sku: string; mark: string }[]> {
  const rows = await ex
    .selectFrom('social_feed_dirty')
    .select(['sku', 'mark'])
    .where('channel_id', '=', channelId)
    .orderBy('mark')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ sku: r.sku, mark: String(r.mark) }));
}

/** Clears the marks a refresh read; a SKU marked again since (a higher mark) stays dirty. */
export async function clearDirty(
  ex: Executor,
  channelId: string,
  marks: { sku: string; mark: string }[],
): Promise<void> {
  for (const m of [...marks].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0)))
    await ex
      .deleteFrom('social_feed_dirty')
      .where('channel_id', '=', channelId)
      .where('sku', '=', m.sku)
      .where('mark', '<=', m.mark)
      .execute();
}

export async function itemsOf(ex: Executor, channelId: string, skus?: readonly string[]): Promise<ItemRow[]> {
  if (skus && skus.length === 0) return [];
  let q = ex.selectFrom('social_feed_items').selectAll().where('channel_id', '=', channelId);
  if (skus) q = q.where('sku', 'in', [...skus]);
  return (await q.orderBy('sku').execute()).map(toItemRow);
}

export type ItemRow = FeedItem & { revision: number; updated_at: Date };

function toItemRow(r: SocialFeedItemsTable): ItemRow {
  return {
    sku: r.sku,
    product_id: r.product_id,
    title: r.title,
    description: r.description,
    brand: r.brand,
    link: r.link,
    image_link: r.image_link,
    size: r.size,
    color: r.color,
    gtin: r.gtin,
    currency: r.currency,
    price: Number(r.price),
    sale_price: r.sale_price === null ? null : Number(r.sale_price),
    quantity: r.quantity,
    revision: r.revision,
    updated_at: r.updated_at,
  };
}

/** Writes a changed row (revision + 1), or a new one (revision 1). */
export async function putItem(ex: Executor, channelId: string, item: FeedItem, now: Date): Promise<void> {
  await ex
    .insertInto('social_feed_items')
    .values({ channel_id: channelId, ...item, revision: 1, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['channel_id', 'sku']).doUpdateSet({
        ...item,
        revision: sql`social_feed_items.revision + 1`,
        updated_at: now,
      }),
    )
    .execute();
}

export async function deleteItems(ex: Executor, channelId: string, skus: readonly string[]): Promise<void> {
  if (skus.length === 0) return;
  await ex
    .deleteFrom('social_feed_items')
    .where('channel_id', '=', channelId)
    .where('sku', 'in', [...skus])
    .execute();
}

export async function insertShareLink(ex: Executor, row: ShareLinkRow): Promise<void> {
  await ex.insertInto('share_links').values(row).execute();
}

export function getShareLink(ex: Executor, id: string): Promise<ShareLinkRow | undefined> {
  return ex.selectFrom('share_links').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countVisit(ex: Executor, id: string): Promise<void> {
  await ex
    .updateTable('share_links')
    .set({ visits: sql`visits + 1` })
    .where('id', '=', id)
    .execute();
}

/** Rows stored and SKUs waiting, for the feed's view. */
export async function counts(ex: Executor, channelId: string): Promise<{ items: number; pending: number }> {
  const r = await sql<{ items: string; pending: string }>`
    select (select count(*) from social_feed_items where channel_id = ${channelId}) as items,
      (select count(*) from social_feed_dirty where channel_id = ${channelId}) as pending`.execute(ex);
  return { items: Number(r.rows[0]!.items), pending: Number(r.rows[0]!.pending) };
}

/** Marks every stored row of a product (a product-level change: name, description, brand, active). */
export async function markProduct(ex: Executor, productId: string): Promise<void> {
  await sql`
    insert into social_feed_dirty (channel_id, sku, mark)
    select i.channel_id, i.sku, nextval('social_feed_dirty_seq')
    from social_feed_items i join social_feeds f on f.channel_id = i.channel_id
    where i.product_id = ${productId} and f.active
    on conflict (channel_id, sku) do update set mark = excluded.mark`.execute(ex);
}

/** Erasure: a share link keeps counting visits, but no longer says who shared it. */
export async function forgetSharers(ex: Executor, customerIds: readonly string[]): Promise<void> {
  if (customerIds.length === 0) return;
  await ex
    .updateTable('share_links')
    .set({ sharer_customer_id: null })
    .where('sharer_customer_id', 'in', [...customerIds])
    .execute();
}
