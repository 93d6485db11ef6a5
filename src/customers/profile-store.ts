/**
 * SQL the customer 360, recommendations and segments read, and the writes of consents, orders and
 * erasure. Reads take the member row ids of one or more people (a person = a root and the rows
 * merged into it) and return rows tagged with customer_id, so one query serves one person or a page
 * of a segment scan.
 */
import { sql } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import './tables.js';

export function touches(db: Executor, ids: string[]) {
  return db
    .selectFrom('customer_daily')
    .select([
      'customer_id',
      sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'),
      'channel',
      'channel_kind',
      'first_at',
      'last_at',
    ])
    .where('customer_id', 'in', ids)
    .execute();
}
export function orders(db: Executor, ids: string[]) {
  return db
    .selectFrom('customer_orders')
    .selectAll()
    .where('customer_id', 'in', ids)
    .orderBy('placed_at', 'desc')
    .execute();
}
export function views(db: Executor, ids: string[]) {
  return db.selectFrom('customer_product_views').selectAll().where('customer_id', 'in', ids).execute();
}
export function affinities(db: Executor, ids: string[]) {
  return db.selectFrom('customer_affinities').selectAll().where('customer_id', 'in', ids).execute();
}
export function consents(db: Executor, ids: string[]) {
  return db.selectFrom('customer_consents').selectAll().where('customer_id', 'in', ids).execute();
}
/** Products a person bought (not cancelled orders), with the SKUs they bought. */
export function purchases(db: Executor, ids: string[]) {
  return db
    .selectFrom('customer_order_lines as l')
    .innerJoin('customer_orders as o', 'o.order_id', 'l.order_id')
    .select(['o.customer_id', 'l.product_id', 'l.sku'])
    .where('o.customer_id', 'in', ids)
    .where('o.status', '<>', 'cancelled')
    .execute();
}

export async function upsertConsents(
  db: Executor,
  rows: { customer_id: string; purpose: string; granted: boolean; source: string; updated_at: Date }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('customer_consents')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['customer_id', 'purpose']).doUpdateSet((eb) => ({
        granted: eb.ref('excluded.granted'),
        source: eb.ref('excluded.source'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** Products bought together with `productIds`, strongest first, excluding the ones given. */
export async function pairsFor(
  db: Executor,
  productIds: string[],
  limit: number,
): Promise<{ other_id: string; score: number }[]> {
  if (productIds.length === 0) return [];
  const res = await sql<{ other_id: string; score: number }>`
    select other_id, sum(orders)::int as score from product_pairs
    where product_id = any(${productIds}::text[]) and not (other_id = any(${productIds}::text[]))
    group by other_id order by score desc, other_id limit ${limit}`.execute(db);
  return res.rows;
}
export function skusOf(db: Executor, productIds: string[]) {
  if (productIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('product_skus').selectAll().where('product_id', 'in', productIds).orderBy('sku').execute();
}

// ---- orders fed by other modules' events ----

/** Records an order once (by id); returns false when it was already recorded. */
export interface CustomerOrderRow {
  order_id: string;
  customer_id: string;
  channel: string;
  channel_kind: string;
  location_id: string | null;
  placed_at: Date;
  amount: number;
  currency: string;
  lines: { sku: string; product_id: string; quantity: number; amount: number }[];
}

/**
 * Records orders (two statements for any number); returns the ids recorded now, so an order seen
 * before is skipped by the caller's roll-ups. Orders are inserted in id order so concurrent batches
 * take their row locks in one order.
 */
export async function insertOrders(db: Executor, orders: CustomerOrderRow[]): Promise<string[]> {
  if (orders.length === 0) return [];
  const sorted = [...orders].sort((a, b) => (a.order_id < b.order_id ? -1 : 1));
  const rows = await db
    .insertInto('customer_orders')
    .values(sorted.map(({ lines: _l, ...o }) => ({ ...o, status: 'placed' as const, refunded: 0, returns_count: 0 })))
    .onConflict((oc) => oc.column('order_id').doNothing())
    .returning('order_id')
    .execute();
  const fresh = new Set(rows.map((r) => r.order_id));
  const lines = sorted
    .filter((o) => fresh.has(o.order_id))
    .flatMap((o) => o.lines.map((l, i) => ({ order_id: o.order_id, line_no: i + 1, ...l })));
  if (lines.length) await db.insertInto('customer_order_lines').values(lines).execute();
  return [...fresh];
}

/** Adds one per occurrence to each (a, b) pair (a pair may repeat across a batch's orders); sorted so concurrent batches lock in one order. */
export async function bumpPairs(db: Executor, pairs: [string, string][]): Promise<void> {
  if (pairs.length === 0) return;
  const counts = new Map<string, { product_id: string; other_id: string; orders: number }>();
  for (const [a, b] of pairs) {
    const k = `${a}\u0000${b}`;
    const prior = counts.get(k);
    if (prior) prior.orders += 1;
    else counts.set(k, { product_id: a, other_id: b, orders: 1 });
  }
  const sorted = [...counts.values()].sort((x, y) =>
    x.product_id === y.product_id ? (x.other_id < y.other_id ? -1 : 1) : x.product_id < y.product_id ? -1 : 1,
  );
  await db
    .insertInto('product_pairs')
    .values(sorted)
    .onConflict((oc) =>
      oc.columns(['product_id', 'other_id']).doUpdateSet({ orders: sql`product_pairs.orders + excluded.orders` }),
    )
    .execute();
}
export async function upsertSkus(
  db: Executor,
  rows: { product_id: string; sku: string; size: string | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  const unique = [...new Map(rows.map((r) => [`${r.product_id}|${r.sku}`, r])).values()].sort((a, b) =>
    a.product_id + a.sku < b.product_id + b.sku ? -1 : 1,
  );
  await db
    .insertInto('product_skus')
    .values(unique)
    .onConflict((oc) =>
      oc.columns(['product_id', 'sku']).doUpdateSet({ size: sql`coalesce(excluded.size, product_skus.size)` }),
    )
    .execute();
}
export async function bumpAffinities(
  db: Executor,
  rows: { customer_id: string; kind: string; value: string; weight: number }[],
): Promise<void> {
  if (rows.length === 0) return;
  const merged = new Map<string, { customer_id: string; kind: string; value: string; weight: number }>();
  for (const r of rows) {
    const k = `${r.customer_id}|${r.kind}|${r.value}`;
    const prior = merged.get(k);
    merged.set(k, prior ? { ...prior, weight: prior.weight + r.weight } : { ...r });
  }
  const values = [...merged.values()].sort((a, b) =>
    `${a.customer_id}|${a.kind}|${a.value}` < `${b.customer_id}|${b.kind}|${b.value}` ? -1 : 1,
  );
  await db
    .insertInto('customer_affinities')
    .values(values)
    .onConflict((oc) =>
      oc
        .columns(['customer_id', 'kind', 'value'])
        .doUpdateSet({ weight: sql`customer_affinities.weight + excluded.weight` }),
    )
    .execute();
}
export async function setOrderStatus(db: Executor, orderId: string, status: 'cancelled'): Promise<boolean> {
  const r = await db
    .updateTable('customer_orders')
    .set({ status })
    .where('order_id', '=', orderId)
    .where('status', '<>', status)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
/** Counts a return (refunded 0) or a refund once per delivering event. */
export async function addReturn(db: Executor, eventId: string, orderId: string, refunded: number): Promise<void> {
  const first = await db
    .insertInto('customer_order_returns')
    .values({ event_id: eventId, order_id: orderId, refunded })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .returning('event_id')
    .executeTakeFirst();
  if (!first) return;
  await db
    .updateTable('customer_orders')
    .set({ returns_count: sql`returns_count + ${refunded > 0 ? 0 : 1}`, refunded: sql`refunded + ${refunded}` })
    .where('order_id', '=', orderId)
    .execute();
}

// ---- erasure ----

/** Deletes a person's behavioural and personal rows; orders stay (their customer id is a bare id). */
export async function erase(db: Executor, ids: string[], at: Date): Promise<void> {
  await db.deleteFrom('customer_identifiers').where('customer_id', 'in', ids).execute();
  await db.deleteFrom('customer_consents').where('customer_id', 'in', ids).execute();
  await db.deleteFrom('customer_events').where('customer_id', 'in', ids).execute();
  await db.deleteFrom('customer_daily').where('customer_id', 'in', ids).execute();
  await db.deleteFrom('customer_product_views').where('customer_id', 'in', ids).execute();
  await db.deleteFrom('customer_affinities').where('customer_id', 'in', ids).execute();
  // agents' notes may name the person or quote them (migration 4100)
  await db.deleteFrom('customer_notes').where('customer_id', 'in', ids).execute();
  await db
    .updateTable('customers')
    .set({
      status: 'erased',
      merged_into: null,
      first_name: null,
      last_name: null,
      password_hash: null,
      analytics_denied: true,
      erased_at: at,
      updated_at: at,
    })
    .where('id', 'in', ids)
    .execute();
}

// ---- segments ----

export function activeRootsPage(db: Executor, after: string | undefined, limit: number) {
  let q = db.selectFrom('customers').select('id').where('status', '=', 'active').orderBy('id').limit(limit);
  if (after !== undefined) q = q.where('id', '>', after);
  return q.execute().then((rows) => rows.map((r) => r.id));
}
export async function insertSegment(
  db: Executor,
  row: { id: string; name: string; definition: unknown; at: Date },
): Promise<void> {
  await db
    .insertInto('customer_segments')
    .values({
      id: row.id,
      name: row.name,
      definition: JSON.stringify(row.definition),
      created_at: row.at,
      updated_at: row.at,
    })
    .execute();
}
export function getSegment(db: Executor, id: string) {
  return db.selectFrom('customer_segments').selectAll().where('id', '=', id).executeTakeFirst();
}
export function listSegments(db: Executor) {
  return db.selectFrom('customer_segments').selectAll().orderBy('id').execute();
}
export async function deleteSegment(db: Executor, id: string): Promise<boolean> {
  const r = await db.deleteFrom('customer_segments').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
