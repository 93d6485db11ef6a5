import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import type { ReturnLinesTable, ReturnsTable, StoreCreditsTable } from './tables.js';
import type { ReturnFilter } from './types.js';
import './tables.js';

export type ReturnRow = Selectable<ReturnsTable>;
export type ReturnLineRow = Selectable<ReturnLinesTable>;

/**
 * Serialises returns of one order (two tills returning the same units at once): a transaction-scoped
 * advisory lock on the order id, since the orders table belongs to another module.
 */
export async function lockOrderReturns(db: Executor, orderId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`returns:${orderId}`}))`.execute(db);
}

/** Units already returned per order line. */
export async function returnedByLine(db: Executor, orderId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('return_lines')
    .innerJoin('returns', 'returns.id', 'return_lines.return_id')
    .select(['return_lines.line_id', (eb) => eb.fn.sum<string>('return_lines.quantity').as('n')])
    .where('returns.order_id', '=', orderId)
    .groupBy('return_lines.line_id')
    .execute();
  return new Map(rows.map((r) => [r.line_id, Number(r.n)]));
}

export async function insertReturn(
  db: Executor,
  row: Insertable<ReturnsTable>,
  lines: Insertable<ReturnLinesTable>[],
): Promise<void> {
  await db.insertInto('returns').values(row).execute();
  await db.insertInto('return_lines').values(lines).execute();
}
export function byCode(db: Executor, code: string, lock = false): Promise<ReturnRow | undefined> {
  let q = db.selectFrom('returns').selectAll().where('return_code', '=', code);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}
export async function markReceived(
  db: Executor,
  id: string,
  patch: { status: string; location_id: string; received_at: Date; store_credit_account_id: string | null },
  lines: { line_id: string; condition: string; restock: string; restock_location_id: string }[],
): Promise<void> {
  await db
    .updateTable('returns')
    .set({ ...patch, updated_at: patch.received_at })
    .where('id', '=', id)
    .execute();
  for (const l of lines)
    await db
      .updateTable('return_lines')
      .set({ condition: l.condition, restock: l.restock, restock_location_id: l.restock_location_id })
      .where('return_id', '=', id)
      .where('line_id', '=', l.line_id)
      .execute();
}
export async function setCreditAccount(db: Executor, id: string, accountId: string): Promise<void> {
  await db.updateTable('returns').set({ store_credit_account_id: accountId }).where('id', '=', id).execute();
}
export async function setExchange(
  db: Executor,
  id: string,
  patch: { exchange_reservation_id?: string | null; exchange_fulfillment_id?: string | null },
): Promise<void> {
  await db.updateTable('returns').set(patch).where('id', '=', id).execute();
}
export async function insertStoreCredit(db: Executor, row: Insertable<StoreCreditsTable>): Promise<void> {
  await db.insertInto('store_credits').values(row).execute();
}
export function getReturn(db: Executor, id: string): Promise<ReturnRow | undefined> {
  return db.selectFrom('returns').selectAll().where('id', '=', id).executeTakeFirst();
}
export function linesOf(db: Executor, ids: string[]): Promise<ReturnLineRow[]> {
  if (!ids.length) return Promise.resolve([]);
  return db
    .selectFrom('return_lines')
    .selectAll()
    .where('return_id', 'in', ids)
    .orderBy('return_id')
    .orderBy('line_id')
    .execute();
}
export function list(db: Executor, q: ReturnFilter): Promise<ReturnRow[]> {
  let s = db.selectFrom('returns').selectAll();
  if (q.channel_id) s = s.where('channel_id', '=', q.channel_id);
  if (q.location_id) s = s.where('location_id', '=', q.location_id);
  if (q.order_id) s = s.where('order_id', '=', q.order_id);
  if (q.customer_id) s = s.where('customer_id', '=', q.customer_id);
  if (q.return_code) s = s.where('return_code', '=', q.return_code);
  if (q.after) s = s.where('id', '>', q.after);
  return s.orderBy('id').limit(q.limit).execute();
}
export async function storeCreditBalance(db: Executor, customerId: string): Promise<number> {
  const r = await db
    .selectFrom('store_credits')
    .select((eb) => eb.fn.sum<string>('amount').as('n'))
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Doctor: returns refunded as store credit whose credit rows do not add up to the refund. */
export async function creditMismatches(
  db: Executor,
): Promise<{ id: string; refund_amount: string; credited: string }[]> {
  const r = await sql<{ id: string; refund_amount: string; credited: string }>`
    select r.id, r.refund_amount::text, coalesce(sum(c.amount), 0)::text as credited
    from returns r left join store_credits c on c.return_id = r.id
    where r.refund_method = 'store_credit'
    group by r.id, r.refund_amount
    having coalesce(sum(c.amount), 0) <> r.refund_amount
    limit 20`.execute(db);
  return r.rows;
}
/** Doctor: a return line's refund never exceeds its return's total, and lines add up to it. */
export async function refundSumMismatches(db: Executor): Promise<{ id: string }[]> {
  const r = await sql<{ id: string }>`
    select r.id from returns r join return_lines l on l.return_id = r.id
    group by r.id, r.refund_amount having sum(l.refund_amount) <> r.refund_amount limit 20`.execute(db);
  return r.rows;
}
