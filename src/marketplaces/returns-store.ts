/** SQL of the marketplace returns import (tables in migrations/8520_marketplace_returns.sql). */
import type { Selectable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import type { MarketplaceReturnCursorsTable, MarketplaceReturnsTable } from './tables.js';

export type ReturnRow = Selectable<MarketplaceReturnsTable>;
export type CursorRow = Selectable<MarketplaceReturnCursorsTable>;

/** Every active connection gets a cursor on first sight, reading from `since`. */
export async function ensureCursors(ex: Executor, since: Date, now: Date): Promise<void> {
  const missing = await ex
    .selectFrom('marketplace_connections as c')
    .leftJoin('marketplace_return_cursors as r', 'r.connection_id', 'c.id')
    .select('c.id')
    .where('c.active', '=', true)
    .where('r.connection_id', 'is', null)
    .execute();
  if (missing.length === 0) return;
  await ex
    .insertInto('marketplace_return_cursors')
    .values(missing.map((m) => ({ connection_id: m.id, since, due_at: now, last_error: null, updated_at: now })))
    .onConflict((oc) => oc.column('connection_id').doNothing())
    .execute();
}

/** One due cursor of an active connection, leased until `leaseUntil` (skip locked: workers never share one). */
export async function claimDue(ex: Executor, now: Date, leaseUntil: Date): Promise<CursorRow | undefined> {
  const row = await ex
    .selectFrom('marketplace_return_cursors as r')
    .innerJoin('marketplace_connections as c', 'c.id', 'r.connection_id')
    .selectAll('r')
    .where('c.active', '=', true)
    .where('r.due_at', '<=', now)
    .orderBy('r.due_at')
    .limit(1)
    .forUpdate('r')
    .skipLocked()
    .executeTakeFirst();
  if (!row) return undefined;
  await ex
    .updateTable('marketplace_return_cursors')
    .set({ due_at: leaseUntil })
    .where('connection_id', '=', row.connection_id)
    .execute();
  return row;
}

export async function getCursor(ex: Executor, connectionId: string): Promise<CursorRow | undefined> {
  return ex
    .selectFrom('marketplace_return_cursors')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .executeTakeFirst();
}

export async function updateCursor(
  ex: Executor,
  connectionId: string,
  patch: Partial<Omit<CursorRow, 'connection_id'>>,
): Promise<void> {
  await ex.updateTable('marketplace_return_cursors').set(patch).where('connection_id', '=', connectionId).execute();
}

/** Records a reported return once per key; false when it was already known. */
export async function insertReturnIfNew(ex: Executor, row: ReturnRow): Promise<boolean> {
  const r = await ex
    .insertInto('marketplace_returns')
    .values({ ...row, payload: JSON.stringify(row.payload) })
    .onConflict((oc) => oc.columns(['connection_id', 'external_key']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export function returnByKey(
  ex: Executor,
  connectionId: string,
  key: string,
  lock = false,
): Promise<ReturnRow | undefined> {
  const q = ex
    .selectFrom('marketplace_returns')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('external_key', '=', key);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

export function returnByException(ex: Executor, exceptionOrderId: string): Promise<ReturnRow | undefined> {
  return ex
    .selectFrom('marketplace_returns')
    .selectAll()
    .where('exception_order_id', '=', exceptionOrderId)
    .executeTakeFirst();
}

export async function updateReturn(
  ex: Executor,
  id: string,
  patch: Partial<Omit<ReturnRow, 'id' | 'connection_id' | 'external_key' | 'payload'>> & { payload?: unknown },
): Promise<void> {
  const { payload, ...rest } = patch;
  await ex
    .updateTable('marketplace_returns')
    .set({ ...rest, ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}) })
    .where('id', '=', id)
    .execute();
}

/** The oldest return of the connection still on its way back (the cursor may not pass it). */
export async function oldestWaiting(ex: Executor, connectionId: string, notBefore: Date): Promise<Date | null> {
  const r = await ex
    .selectFrom('marketplace_returns')
    .select((eb) => eb.fn.min('requested_at').as('at'))
    .where('connection_id', '=', connectionId)
    .where('status', '=', 'waiting')
    .where('requested_at', '>=', notBefore)
    .executeTakeFirst();
  return r?.at ? new Date(r.at as unknown as string) : null;
}
