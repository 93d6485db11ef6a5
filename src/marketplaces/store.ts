import { sql, type Selectable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import type { MarketplaceConnectionsTable, MarketplaceFeedsTable, MarketplaceOffersTable } from './tables.js';
import './tables.js';

/** The marketplaces module's SQL. Claims use `FOR UPDATE SKIP LOCKED` so several workers share the jobs. */

export type ConnectionRow = Selectable<MarketplaceConnectionsTable>;
export type OfferRow = Selectable<MarketplaceOffersTable>;
export type FeedRow = Selectable<MarketplaceFeedsTable>;
/** Imported orders and the actions on them: orders-store.ts, read here as the rest of `store.…`. */
export * from './orders-store.js';

// ----- connections -----

export async function insertConnection(ex: Executor, row: ConnectionRow): Promise<void> {
  await ex
    .insertInto('marketplace_connections')
    .values({ ...row, settings: JSON.stringify(row.settings) })
    .execute();
}

export async function updateConnection(
  ex: Executor,
  id: string,
  patch: Partial<Omit<ConnectionRow, 'id' | 'channel_id' | 'created_at'>>,
): Promise<void> {
  const values = patch.settings === undefined ? patch : { ...patch, settings: JSON.stringify(patch.settings) };
  await ex.updateTable('marketplace_connections').set(values).where('id', '=', id).execute();
}

export function getConnection(ex: Executor, id: string): Promise<ConnectionRow | undefined> {
  return ex.selectFrom('marketplace_connections').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listConnections(ex: Executor): Promise<ConnectionRow[]> {
  return ex.selectFrom('marketplace_connections').selectAll().orderBy('id').execute();
}

/** The next connection whose feed is due, locked for the caller's transaction (none if others hold them). */
export function lockFeedDue(ex: Executor, now: Date): Promise<ConnectionRow | undefined> {
  return (
    ex
      .selectFrom('marketplace_connections')
      .selectAll()
      .where('active', '=', true)
      .where('feed_due_at', '<=', now)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('marketplace_offers as o')
            .select(sql`1`.as('one'))
            .whereRef('o.connection_id', '=', 'marketplace_connections.id')
            .where('o.dirty_mark', 'is not', null),
        ),
      )
      // One feed at a time per connection: the next waits until the provider processed the last.
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('marketplace_feeds as f')
              .select(sql`1`.as('one'))
              .whereRef('f.connection_id', '=', 'marketplace_connections.id')
              .where('f.state', 'in', ['sending', 'pending']),
          ),
        ),
      )
      .orderBy('feed_due_at')
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst()
  );
}

/** Claims the next connection whose order import is due, leasing it until `leaseUntil`. */
export async function claimOrdersDue(ex: Executor, now: Date, leaseUntil: Date): Promise<ConnectionRow | undefined> {
  const row = await ex
    .selectFrom('marketplace_connections')
    .selectAll()
    .where('active', '=', true)
    .where('orders_due_at', '<=', now)
    .orderBy('orders_due_at')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  if (!row) return undefined;
  await ex.updateTable('marketplace_connections').set({ orders_due_at: leaseUntil }).where('id', '=', row.id).execute();
  return row;
}

// ----- offers -----

export async function upsertOffers(ex: Executor, rows: OfferRow[]): Promise<void> {
  if (rows.length === 0) return;
  await ex
    .insertInto('marketplace_offers')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['connection_id', 'sku']).doUpdateSet((eb) => ({
        status: eb.ref('excluded.status'),
        external_id: sql`coalesce(excluded.external_id, marketplace_offers.external_id)`,
        message: eb.ref('excluded.message'),
        published_quantity: eb.ref('excluded.published_quantity'),
        published_price: eb.ref('excluded.published_price'),
        published_at: eb.ref('excluded.published_at'),
      })),
    )
    .execute();
}

/** Marks the SKUs' offers on every connection (or one) as waiting for the next feed. */
export async function markDirty(ex: Executor, skus: readonly string[], connectionId?: string): Promise<number> {
  if (skus.length === 0) return 0;
  let q = ex
    .updateTable('marketplace_offers')
    .set({ dirty_mark: sql`nextval('marketplace_dirty_seq')` })
    .where('sku', 'in', [...skus]);
  if (connectionId) q = q.where('connection_id', '=', connectionId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export function dirtyOffers(ex: Executor, connectionId: string, limit: number): Promise<OfferRow[]> {
  return ex
    .selectFrom('marketplace_offers')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('dirty_mark', 'is not', null)
    .orderBy('dirty_mark')
    .limit(limit)
    .execute();
}

/** Clears the marks a feed read (≤ `upTo`); a SKU marked again since keeps its newer mark. */
export async function clearDirty(
  ex: Executor,
  connectionId: string,
  skus: readonly string[],
  upTo: string,
): Promise<void> {
  if (skus.length === 0) return;
  await ex
    .updateTable('marketplace_offers')
    .set({ dirty_mark: null })
    .where('connection_id', '=', connectionId)
    .where('sku', 'in', [...skus])
    .where('dirty_mark', '<=', upTo)
    .execute();
}

export async function setPublished(
  ex: Executor,
  connectionId: string,
  items: readonly { sku: string; quantity: number; price?: { amount: number } | undefined }[],
  at: Date,
): Promise<void> {
  for (const i of items) {
    await ex
      .updateTable('marketplace_offers')
      .set({
        published_quantity: i.quantity,
        published_at: at,
        ...(i.price ? { published_price: i.price.amount } : {}),
      })
      .where('connection_id', '=', connectionId)
      .where('sku', '=', i.sku)
      .execute();
  }
}

/** Listed offers with a published price and no feed waiting, by SKU after `after` (the price re-check pages them). */
export function pricedOffers(ex: Executor, connectionId: string, after: string, limit: number): Promise<OfferRow[]> {
  return (
    ex
      .selectFrom('marketplace_offers')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('status', '=', 'listed')
      .where('published_price', 'is not', null)
      // One already waiting for a feed gets the price then anyway (a feed sends a price that moved).
      .where('dirty_mark', 'is', null)
      .where('sku', '>', after)
      .orderBy('sku')
      .limit(limit)
      .execute()
  );
}

export function listOffers(
  ex: Executor,
  connectionId: string,
  after: string | undefined,
  limit: number,
): Promise<OfferRow[]> {
  let q = ex.selectFrom('marketplace_offers').selectAll().where('connection_id', '=', connectionId);
  if (after) q = q.where('sku', '>', after);
  return q.orderBy('sku').limit(limit).execute();
}

export async function offersOf(
  ex: Executor,
  connectionId: string,
  skus: readonly string[],
): Promise<Map<string, OfferRow>> {
  if (skus.length === 0) return new Map();
  const rows = await ex
    .selectFrom('marketplace_offers')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('sku', 'in', [...skus])
    .execute();
  return new Map(rows.map((r) => [r.sku, r]));
}

// ----- feeds -----

export async function insertFeed(ex: Executor, row: FeedRow): Promise<void> {
  await ex
    .insertInto('marketplace_feeds')
    .values({ ...row, items: JSON.stringify(row.items) })
    .execute();
}

export async function updateFeed(
  ex: Executor,
  id: string,
  patch: Partial<Omit<FeedRow, 'id' | 'items'>>,
): Promise<void> {
  await ex.updateTable('marketplace_feeds').set(patch).where('id', '=', id).execute();
}

/** A feed still open on the connection (sent and not yet processed): the next one waits for it. */
export function openFeed(ex: Executor, connectionId: string): Promise<FeedRow | undefined> {
  return ex
    .selectFrom('marketplace_feeds')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('state', 'in', ['sending', 'pending'])
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

/** Open feeds whose check is due (a pending one to ask about, a sending one a crash left), locked. */
export function lockFeedsToCheck(ex: Executor, now: Date, limit: number): Promise<FeedRow[]> {
  return ex
    .selectFrom('marketplace_feeds')
    .selectAll()
    .where('state', 'in', ['sending', 'pending'])
    .where('check_at', '<=', now)
    .orderBy('check_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export function feedsOf(ex: Executor, connectionId: string, limit: number): Promise<FeedRow[]> {
  return ex
    .selectFrom('marketplace_feeds')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** The newest feed of each connection (the console's "last feed"). */
export async function lastFeeds(ex: Executor, connectionIds: readonly string[]): Promise<Map<string, FeedRow>> {
  if (connectionIds.length === 0) return new Map();
  const rows = await ex
    .selectFrom('marketplace_feeds')
    .selectAll()
    .distinctOn('connection_id')
    .where('connection_id', 'in', [...connectionIds])
    .orderBy('connection_id')
    .orderBy('id', 'desc')
    .execute();
  return new Map(rows.map((r) => [r.connection_id, r]));
}

/** Per connection: exceptions waiting for staff and offers waiting for the next feed. */
export async function connectionCounts(
  ex: Executor,
  connectionIds: readonly string[],
): Promise<Map<string, { exceptions: number; pending: number }>> {
  const out = new Map(connectionIds.map((id) => [id, { exceptions: 0, pending: 0 }]));
  if (connectionIds.length === 0) return out;
  const [exceptions, pending] = await Promise.all([
    ex
      .selectFrom('marketplace_orders')
      .select(['connection_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('status', '=', 'exception')
      .where('connection_id', 'in', [...connectionIds])
      .groupBy('connection_id')
      .execute(),
    ex
      .selectFrom('marketplace_offers')
      .select(['connection_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('dirty_mark', 'is not', null)
      .where('connection_id', 'in', [...connectionIds])
      .groupBy('connection_id')
      .execute(),
  ]);
  for (const r of exceptions) out.get(r.connection_id)!.exceptions = Number(r.n);
  for (const r of pending) out.get(r.connection_id)!.pending = Number(r.n);
  return out;
}
