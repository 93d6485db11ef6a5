/**
 * The SQL of imported marketplace orders and of the actions Omnia owes the marketplace on them
 * (confirm a shipment, cancel), split from store.ts (house rule: files under ~400 lines). store.ts
 * re-exports it, so the module still reads all its SQL as `store.…`.
 */
import type { Selectable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import type { MarketplaceActionsTable, MarketplaceOrdersTable } from './tables.js';

export type MarketplaceOrderRow = Selectable<MarketplaceOrdersTable>;
export type ActionRow = Selectable<MarketplaceActionsTable>;

// ----- orders -----

/** Inserts the order unless the connection already has that marketplace order; returns whether it did. */
export async function insertOrderIfNew(ex: Executor, row: MarketplaceOrderRow): Promise<boolean> {
  const r = await ex
    .insertInto('marketplace_orders')
    .values({ ...row, payload: JSON.stringify(row.payload) })
    .onConflict((oc) => oc.constraint('marketplace_orders_external').doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

export function orderByExternal(
  ex: Executor,
  connectionId: string,
  externalId: string,
  lock = false,
): Promise<MarketplaceOrderRow | undefined> {
  const q = ex
    .selectFrom('marketplace_orders')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('external_id', '=', externalId);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

export function getOrder(ex: Executor, id: string, lock = false): Promise<MarketplaceOrderRow | undefined> {
  const q = ex.selectFrom('marketplace_orders').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

export function orderByOmniaOrder(ex: Executor, orderId: string): Promise<MarketplaceOrderRow | undefined> {
  return ex.selectFrom('marketplace_orders').selectAll().where('order_id', '=', orderId).executeTakeFirst();
}

export async function updateOrder(
  ex: Executor,
  id: string,
  patch: Partial<Omit<MarketplaceOrderRow, 'id' | 'connection_id' | 'external_id' | 'payload'>>,
  onlyIfStatus?: MarketplaceOrderRow['status'][],
): Promise<boolean> {
  let q = ex.updateTable('marketplace_orders').set(patch).where('id', '=', id);
  if (onlyIfStatus) q = q.where('status', 'in', onlyIfStatus);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Records the order's cart unless one is recorded already; returns the cart recorded. */
export async function setCartIfNone(ex: Executor, id: string, cartId: string, now: Date): Promise<string> {
  await ex
    .updateTable('marketplace_orders')
    .set({ cart_id: cartId, updated_at: now })
    .where('id', '=', id)
    .where('cart_id', 'is', null)
    .execute();
  const row = await ex
    .selectFrom('marketplace_orders')
    .select('cart_id')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.cart_id!;
}

/** Received orders whose (next) import try is due. */
export function dueReceived(ex: Executor, now: Date, limit: number): Promise<MarketplaceOrderRow[]> {
  return ex
    .selectFrom('marketplace_orders')
    .selectAll()
    .where('status', '=', 'received')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
}

export function listOrders(
  ex: Executor,
  f: {
    status?: MarketplaceOrderRow['status'] | undefined;
    connection_id?: string | undefined;
    channel_id?: string | undefined;
    after?: string | undefined;
  },
  limit: number,
): Promise<MarketplaceOrderRow[]> {
  let q = ex.selectFrom('marketplace_orders').selectAll();
  if (f.status) q = q.where('status', '=', f.status);
  if (f.connection_id) q = q.where('connection_id', '=', f.connection_id);
  if (f.channel_id) q = q.where('channel_id', '=', f.channel_id);
  if (f.after) q = q.where('id', '<', f.after);
  return q.orderBy('id', 'desc').limit(limit).execute();
}

// ----- actions -----

export async function insertAction(ex: Executor, row: ActionRow): Promise<boolean> {
  const r = await ex
    .insertInto('marketplace_actions')
    .values({ ...row, payload: JSON.stringify(row.payload) })
    .onConflict((oc) => oc.column('source_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

/** Due actions, leased by pushing their next attempt ahead in the same statement's transaction. */
export async function claimDueActions(ex: Executor, now: Date, leaseUntil: Date, limit: number): Promise<ActionRow[]> {
  const rows = await ex
    .selectFrom('marketplace_actions')
    .selectAll()
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  if (rows.length)
    await ex
      .updateTable('marketplace_actions')
      .set({ next_attempt_at: leaseUntil })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
  return rows;
}

export async function updateAction(ex: Executor, id: string, patch: Partial<Omit<ActionRow, 'id'>>): Promise<void> {
  await ex.updateTable('marketplace_actions').set(patch).where('id', '=', id).execute();
}

export function actionsOf(ex: Executor, marketplaceOrderId: string): Promise<ActionRow[]> {
  return ex
    .selectFrom('marketplace_actions')
    .selectAll()
    .where('marketplace_order_id', '=', marketplaceOrderId)
    .orderBy('id')
    .execute();
}
