/** The reviews table's SQL. Functions take an Executor (the pool or a transaction). */
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import type { ReviewsTable } from './tables.js';
import './tables.js';

export type ReviewRow = Selectable<ReviewsTable>;

export async function insert(ex: Executor, row: ReviewRow): Promise<void> {
  await ex.insertInto('reviews').values(row).execute();
}

export function get(ex: Executor, id: string, lock = false): Promise<ReviewRow | undefined> {
  const q = ex.selectFrom('reviews').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

/** The person's review of a product, whichever of their profile rows wrote it. */
export function byPersonAndProduct(ex: Executor, customerIds: string[], productId: string) {
  return ex
    .selectFrom('reviews')
    .select(['id'])
    .where('product_id', '=', productId)
    .where('customer_id', 'in', customerIds)
    .executeTakeFirst();
}

/** A page of one status, by id (newest first for a product page, oldest first for the queue). */
export function page(
  ex: Executor,
  f: { productId?: string; status: string; after?: string | undefined; limit: number; order: 'asc' | 'desc' },
): Promise<ReviewRow[]> {
  let q = ex.selectFrom('reviews').selectAll().where('status', '=', f.status);
  if (f.productId) q = q.where('product_id', '=', f.productId);
  if (f.after) q = q.where('id', f.order === 'asc' ? '>' : '<', f.after);
  return q.orderBy('id', f.order).limit(f.limit).execute();
}

/** Counts of a product's approved reviews per (rating, size feedback): the summary's input. */
export async function summaryGroups(ex: Executor, productId: string) {
  const rows = await ex
    .selectFrom('reviews')
    .select(['rating', 'size_feedback', sql<number>`count(*)::int`.as('n')])
    .where('product_id', '=', productId)
    .where('status', '=', 'approved')
    .groupBy(['rating', 'size_feedback'])
    .execute();
  return rows.map((r) => ({ rating: Number(r.rating), size_feedback: r.size_feedback, n: Number(r.n) }));
}

export function ofCustomers(ex: Executor, customerIds: string[]): Promise<ReviewRow[]> {
  if (customerIds.length === 0) return Promise.resolve([]);
  return ex.selectFrom('reviews').selectAll().where('customer_id', 'in', customerIds).orderBy('id', 'desc').execute();
}

export async function moderate(
  ex: Executor,
  id: string,
  set: { status: string; reject_reason: string | null; moderated_by: string; at: Date },
): Promise<void> {
  await ex
    .updateTable('reviews')
    .set({
      status: set.status,
      reject_reason: set.reject_reason,
      moderated_by: set.moderated_by,
      moderated_at: set.at,
      updated_at: set.at,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Erasure: the words and the link to the person go; the stars and the size answer stay, anonymous, so
 * the product's figures do not change because someone left. Returns the products touched.
 */
export async function erase(ex: Executor, customerIds: string[], at: Date): Promise<string[]> {
  if (customerIds.length === 0) return [];
  const rows = await ex
    .updateTable('reviews')
    .set({ customer_id: null, author_name: null, title: null, body: null, erased_at: at, updated_at: at })
    .where('customer_id', 'in', customerIds)
    .returning(['product_id'])
    .execute();
  return [...new Set(rows.map((r) => r.product_id))];
}
