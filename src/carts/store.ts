import { sql, type Insertable, type RawBuilder, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import { compiled, compiledRow } from '../platform/db/compiled.js';
import { json } from '../platform/db/json.js';
import type { CartHandoffsTable, CartLinesTable, CartsTable } from './tables.js';
import './tables.js';

export type CartRow = Selectable<CartsTable>;
export type CartLineRow = Selectable<CartLinesTable>;
export type HandoffRow = Selectable<CartHandoffsTable>;

/**
 * A new cart and its events (outbox.ts outboxInsert) in one statement, which is its own transaction:
 * the row as stored. One round trip where a transaction, two inserts and a read were five.
 */
export async function insertCartWithEvents(
  db: Executor,
  row: Insertable<CartsTable>,
  events: RawBuilder<unknown>,
): Promise<CartRow> {
  const r = await sql<CartRow>`with c as (${db.insertInto('carts').values(row).returningAll()}), e as (${events})
    select * from c`.execute(db);
  return r.rows[0]!;
}
// The checkout's statements, built and compiled once (platform/db/compiled.ts).
const cartById = compiled((db, p: { id: string }) => db.selectFrom('carts').selectAll().where('id', '=', p.id));
const cartByIdLocked = compiled((db, p: { id: string }) =>
  db.selectFrom('carts').selectAll().where('id', '=', p.id).forUpdate(),
);
export function getCart(db: Executor, id: string, lock = false): Promise<CartRow | undefined> {
  return (lock ? cartByIdLocked : cartById).first(db, { id });
}

/** The cart's lines as one JSON column of its row (ordered as linesOf), so row and lines are one statement. */
const linesJsonSql = sql<unknown>`coalesce((select json_agg(l order by l.id) from cart_lines l where l.cart_id = carts.id), '[]'::json)`;
/** The lines of linesJsonSql as linesOf returns them (the driver's Date for the timestamp). */
function linesFromJson(v: unknown): CartLineRow[] {
  return json<(Omit<CartLineRow, 'added_at'> & { added_at: string })[]>(v).map((l) => ({
    ...l,
    added_at: new Date(l.added_at),
  }));
}
const cartWithLines = compiled((db, p: { id: string }) =>
  db.selectFrom('carts').selectAll('carts').select(linesJsonSql.as('lines_')).where('id', '=', p.id),
);
/** The cart and its lines in one statement (getCart and linesOf). */
export async function getCartWithLines(
  db: Executor,
  id: string,
): Promise<{ row: CartRow; lines: CartLineRow[] } | undefined> {
  const r = await cartWithLines.first(db, { id });
  if (!r) return undefined;
  const { lines_, ...row } = r;
  return { row, lines: linesFromJson(lines_) };
}
/**
 * Locks the cart and counts a change (version + 1, updated_at) in one statement, returning the row as
 * it now is: a change's first statement (CartsService.mutate), where a lock and a later update were two.
 */
const touchCartStmt = compiled((db, p: { id: string; now: Date }) =>
  db
    .updateTable('carts')
    .set({ version: sql`version + 1`, updated_at: p.now })
    .where('id', '=', p.id)
    .returningAll(),
);
export function touchCart(db: Executor, id: string, now: Date): Promise<CartRow | undefined> {
  return touchCartStmt.first(db, { id, now });
}
/** Sets columns of a cart its change already counted (touchCart): no second version bump. */
export async function patchCart(db: Executor, id: string, patch: Updateable<CartsTable>): Promise<void> {
  await db.updateTable('carts').set(patch).where('id', '=', id).execute();
}
/**
 * The pricing version (migration 9800) as quote reuse compares it: the counter and the transaction
 * that last moved it, so a number a rolled-back writer once saw can never pass for a later commit's.
 */
const pricingVersionSql = sql<string>`(select v.version::text || ':' || v.xmin::text from pricing_version v where v.id = 1)`;

/**
 * A cart about to be priced (CartsService.reprice), in one statement: the row, its lines, the pricing version
 * (read before the quote's own catalog reads, so a price written in between can only make the stored
 * version older than the prices used, never newer) and the first start or end of a sale window after
 * `at` among the price entries of the cart's SKUs in its currency (any channel: coarser is safe).
 */
const cartForPricing = compiled((db, p: { id: string; at: Date }) =>
  db
    .selectFrom('carts')
    .selectAll('carts')
    .select(linesJsonSql.as('lines_'))
    .select(pricingVersionSql.as('pricing_version_'))
    .select(
      sql<Date | null>`(select least(min(p.valid_from) filter (where p.valid_from > ${p.at}),
        min(p.valid_to) filter (where p.valid_to > ${p.at}))
        from cart_lines l join prices p on p.sku = l.sku and p.currency = carts.currency
        where l.cart_id = carts.id)`.as('prices_valid_until_'),
    )
    .where('id', '=', p.id),
);
export async function getCartForPricing(
  db: Executor,
  id: string,
  at: Date,
): Promise<{ row: CartRow; lines: CartLineRow[]; pricingVersion: string; pricesValidUntil: Date | null } | undefined> {
  const r = await cartForPricing.first(db, { id, at });
  if (!r) return undefined;
  const { pricing_version_: pricingVersion, prices_valid_until_: until, lines_, ...row } = r;
  return {
    row,
    lines: linesFromJson(lines_),
    pricingVersion: String(pricingVersion),
    pricesValidUntil: until == null ? null : new Date(until),
  };
}
export function openCartOf(db: Executor, customerId: string, lock = false): Promise<CartRow | undefined> {
  let q = db.selectFrom('carts').selectAll().where('customer_id', '=', customerId).where('status', '=', 'open');
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}
const linesOfCart = compiled((db, p: { cartId: string }) =>
  db.selectFrom('cart_lines').selectAll().where('cart_id', '=', p.cartId).orderBy('id'),
);
export function linesOf(db: Executor, cartId: string): Promise<CartLineRow[]> {
  return linesOfCart.rows(db, { cartId });
}
const updateCartStmt = compiledRow((db, row: Updateable<CartsTable>, p: { id: string }) =>
  db
    .updateTable('carts')
    .set({ ...row, version: sql`version + 1` })
    .where('id', '=', p.id),
);
/** Bumps the version on every change: checkout compares it to spot a cart changed under it. */
export async function updateCart(db: Executor, id: string, patch: Updateable<CartsTable>): Promise<void> {
  await updateCartStmt.run(db, { row: patch, id });
}
/**
 * Checkout's completion of the cart (as `updateCart` with this patch) as a statement not yet run: the
 * order's statement runs it (orders' place-statement.ts), one round trip less.
 */
export function completeCartSql(
  id: string,
  p: { order_id: string; customer_id: string | null; updated_at: Date },
): RawBuilder<unknown> {
  return sql`update carts set status = 'completed', order_id = ${p.order_id}, customer_id = ${p.customer_id},
    updated_at = ${p.updated_at}::timestamptz, version = version + 1 where id = ${id}`;
}
/** Adds to the line of that SKU (or creates it); refuses, via the int4 check, a sum that overflows. */
/**
 * Stores the quote of a cart version with what it was made from (`basis`, src/carts/quote-reuse.ts;
 * null: never reused), in one statement; a newer change (version moved on) prices itself.
 */
export async function setPriced(
  db: Executor,
  id: string,
  version: number,
  priced: string | null,
  basis: string | null,
): Promise<boolean> {
  const r = await setPricedStmt.run(db, { id, version, priced, basis });
  return Number(r.numAffectedRows ?? 0) > 0;
}
// A change's statements, built and compiled once (platform/db/compiled.ts): every added line runs both.
const setPricedStmt = compiled((db, p: { id: string; version: number; priced: string | null; basis: string | null }) =>
  db
    .updateTable('carts')
    .set({ priced: p.priced, priced_basis: p.basis })
    .where('id', '=', p.id)
    .where('version', '=', p.version),
);
const addToLineStmt = compiled((db, p: { id: string; cartId: string; sku: string; quantity: number; addedAt: Date }) =>
  db
    .insertInto('cart_lines')
    .values({ id: p.id, cart_id: p.cartId, sku: p.sku, quantity: p.quantity, added_at: p.addedAt })
    .onConflict((oc) =>
      oc.columns(['cart_id', 'sku']).doUpdateSet({ quantity: sql`cart_lines.quantity + excluded.quantity` }),
    )
    .returningAll(),
);
export async function addToLine(
  db: Executor,
  row: { id: string; cart_id: string; sku: string; quantity: number; added_at: Date },
): Promise<CartLineRow> {
  const r = await addToLineStmt.first(db, {
    id: row.id,
    cartId: row.cart_id,
    sku: row.sku,
    quantity: row.quantity,
    addedAt: row.added_at,
  });
  if (!r) throw new Error(`cart line ${row.id} was not written`);
  return r;
}
export async function setLineQuantity(
  db: Executor,
  cartId: string,
  lineId: string,
  quantity: number,
): Promise<boolean> {
  const r = await db
    .updateTable('cart_lines')
    .set({ quantity })
    .where('cart_id', '=', cartId)
    .where('id', '=', lineId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
export async function deleteLine(db: Executor, cartId: string, lineId: string): Promise<boolean> {
  const r = await db.deleteFrom('cart_lines').where('cart_id', '=', cartId).where('id', '=', lineId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
export async function upsertLineQuantity(db: Executor, row: Insertable<CartLinesTable>): Promise<void> {
  await db
    .insertInto('cart_lines')
    .values(row)
    .onConflict((oc) => oc.columns(['cart_id', 'sku']).doUpdateSet({ quantity: sql`excluded.quantity` }))
    .execute();
}
export async function insertHandoff(db: Executor, row: Insertable<CartHandoffsTable>): Promise<void> {
  await db.insertInto('cart_handoffs').values(row).execute();
}
/** Single claim: only an unclaimed, unexpired code is taken, by exactly one caller. */
export function claimHandoff(
  db: Executor,
  code: string,
  now: Date,
  by: string,
  channelId: string | null,
): Promise<HandoffRow | undefined> {
  return db
    .updateTable('cart_handoffs')
    .set({ claimed_at: now, claimed_by: by, claimed_channel_id: channelId })
    .where('code', '=', code)
    .where('claimed_at', 'is', null)
    .where('expires_at', '>', now)
    .returningAll()
    .executeTakeFirst();
}
export function getHandoff(db: Executor, code: string): Promise<HandoffRow | undefined> {
  return db.selectFrom('cart_handoffs').selectAll().where('code', '=', code).executeTakeFirst();
}
export function handoffsOf(db: Executor, cartId: string): Promise<HandoffRow[]> {
  return db.selectFrom('cart_handoffs').selectAll().where('cart_id', '=', cartId).orderBy('created_at').execute();
}
export function allLeadTimes(db: Executor) {
  return db.selectFrom('location_lead_times').selectAll().execute();
}
export async function upsertLeadTime(db: Executor, from: string, to: string, days: number): Promise<void> {
  await db
    .insertInto('location_lead_times')
    .values({ from_location_id: from, to_location_id: to, days })
    .onConflict((oc) => oc.columns(['from_location_id', 'to_location_id']).doUpdateSet({ days }))
    .execute();
}
export function allRates(db: Executor) {
  return db.selectFrom('shipping_rates').selectAll().execute();
}

/** Open carts of customers, with lines, unchanged since `before` (oldest first). */
export async function idleCustomerCarts(db: Executor, before: Date, limit: number) {
  const carts = await db
    .selectFrom('carts')
    .select(['id', 'customer_id', 'channel_id', 'updated_at'])
    .where('status', '=', 'open')
    .where('customer_id', 'is not', null)
    .where('updated_at', '<', before)
    .where((eb) => eb.exists(eb.selectFrom('cart_lines as l').select('l.id').whereRef('l.cart_id', '=', 'carts.id')))
    .orderBy('updated_at')
    .limit(limit)
    .execute();
  if (carts.length === 0) return [];
  const lines = await db
    .selectFrom('cart_lines')
    .select(['cart_id', 'sku', 'quantity'])
    .where(
      'cart_id',
      'in',
      carts.map((c) => c.id),
    )
    .orderBy('added_at')
    .execute();
  return carts.map((c) => ({
    id: c.id,
    customer_id: c.customer_id!,
    channel_id: c.channel_id,
    updated_at: c.updated_at,
    lines: lines.filter((l) => l.cart_id === c.id).map((l) => ({ sku: l.sku, quantity: l.quantity })),
  }));
}
