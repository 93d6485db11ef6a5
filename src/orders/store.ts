import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import { compiled, compiledRow, compiledRows } from '../platform/db/compiled.js';
import type { OrderHistoryTable, OrderLinesTable, OrdersTable } from './tables.js';
import './tables.js';
import { json } from '../platform/db/json.js';

export type OrderRow = Selectable<OrdersTable>;
export type OrderLineRow = Selectable<OrderLinesTable>;

// The checkout's statements, built and compiled once (platform/db/compiled.ts). The new order's
// insert is one statement of its own: place-statement.ts.
const orderById = compiled((db, p: { id: string }) => db.selectFrom('orders').selectAll().where('id', '=', p.id));
const orderByIdLocked = compiled((db, p: { id: string }) =>
  db.selectFrom('orders').selectAll().where('id', '=', p.id).forUpdate(),
);
const updateOrderStmt = compiledRow((db, row: Updateable<OrdersTable>, p: { id: string }) =>
  db.updateTable('orders').set(row).where('id', '=', p.id),
);
const appendHistoryStmt = compiledRows((db, rows: Insertable<OrderHistoryTable>[]) =>
  db.insertInto('order_history').values(rows),
);

export function getOrder(db: Executor, id: string, lock = false): Promise<OrderRow | undefined> {
  return (lock ? orderByIdLocked : orderById).first(db, { id });
}
/**
 * The order and its lines in one statement (a lateral json_agg): `get` is called by several event
 * consumers per checkout, and the lines' separate round trip was one statement each. JSON turns the
 * numeric columns into numbers, which the service converts with Number() as it does the driver's strings.
 */
function ordersWithLines(db: Executor) {
  return db
    .selectFrom('orders as o')
    .selectAll('o')
    .select(
      sql<unknown>`coalesce((select json_agg(l order by l.position) from order_lines l where l.order_id = o.id), '[]'::json)`.as(
        'lines_json',
      ),
    );
}
function withLines({ lines_json, ...row }: { lines_json: unknown }): { row: OrderRow; lines: OrderLineRow[] } {
  return { row: row as OrderRow, lines: json<OrderLineRow[]>(lines_json) };
}
export async function getOrderWithLines(
  db: Executor,
  id: string,
): Promise<{ row: OrderRow; lines: OrderLineRow[] } | undefined> {
  const r = await ordersWithLines(db).where('o.id', '=', id).executeTakeFirst();
  return r && withLines(r);
}
/** Several orders with their lines, one statement (getOrderWithLines for a batch); unknown ids are left out. */
export async function getOrdersWithLines(
  db: Executor,
  ids: readonly string[],
): Promise<{ row: OrderRow; lines: OrderLineRow[] }[]> {
  if (ids.length === 0) return [];
  const rows = await ordersWithLines(db)
    .where('o.id', 'in', [...ids])
    .orderBy('o.id')
    .execute();
  return rows.map(withLines);
}
/** Only the status (fulfillment asks whether an order was cancelled before it sources it). */
const orderStatusStmt = compiled((db, p: { id: string }) =>
  db.selectFrom('orders').select('status').where('id', '=', p.id),
);
export async function orderStatus(db: Executor, id: string): Promise<string | undefined> {
  return (await orderStatusStmt.first(db, { id }))?.status;
}
export function orderByGiftReceipt(db: Executor, code: string): Promise<{ id: string } | undefined> {
  return db.selectFrom('orders').select('id').where('gift_receipt_code', '=', code).executeTakeFirst();
}
export function orderByCart(db: Executor, cartId: string): Promise<OrderRow | undefined> {
  return db
    .selectFrom('orders')
    .selectAll()
    .where('cart_id', '=', cartId)
    .orderBy(sql`status = 'cancelled'`)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}
export function linesOf(db: Executor, orderIds: string[]): Promise<OrderLineRow[]> {
  if (orderIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('order_lines')
    .selectAll()
    .where('order_id', 'in', orderIds)
    .orderBy('order_id')
    .orderBy('position')
    .execute();
}
export function listOrders(
  db: Executor,
  f: {
    customer_id?: string | undefined;
    channel_id?: string | undefined;
    location_id?: string | undefined;
    status?: string | undefined;
    at_location_id?: string | undefined;
    placed_from?: Date | undefined;
    placed_to?: Date | undefined;
    after?: string | undefined;
    limit: number;
  },
): Promise<OrderRow[]> {
  let q = db.selectFrom('orders').selectAll();
  if (f.location_id) q = q.where('location_id', '=', f.location_id);
  const at = f.at_location_id;
  // Placed at the store's tills, or collected there (orders_pickup_location indexes the second).
  if (at) q = q.where((eb) => eb.or([eb('location_id', '=', at), eb(sql`delivery ->> 'location_id'`, '=', at)]));
  if (f.placed_from) q = q.where('placed_at', '>=', f.placed_from);
  if (f.placed_to) q = q.where('placed_at', '<', f.placed_to);
  if (f.customer_id) q = q.where('customer_id', '=', f.customer_id);
  if (f.channel_id) q = q.where('channel_id', '=', f.channel_id);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.after) q = q.where('id', '>', f.after);
  return q.orderBy('id').limit(f.limit).execute();
}
/**
 * The counter's search, newest first: an order number, or orders placed with an e-mail or by any
 * profile of one person. The list scope's filters (channel, store, customer) still apply.
 */
export function searchOrders(db: Executor, f: SearchFilter): Promise<OrderRow[]> {
  const q = searchOrdersQuery(db, f);
  return q ? q.execute() : Promise.resolve([]);
}
interface SearchFilter {
  id?: string | undefined;
  email?: string | undefined;
  customer_ids?: readonly string[] | undefined;
  customer_id?: string | undefined;
  channel_id?: string | undefined;
  location_id?: string | undefined;
  status?: string | undefined;
  before?: string | undefined;
  limit: number;
}
/** The search as a query (tests EXPLAIN it); undefined when it names nothing to look for. */
export function searchOrdersQuery(db: Executor, f: SearchFilter) {
  let q = db.selectFrom('orders').selectAll();
  if (f.id !== undefined) q = q.where('id', '=', f.id);
  const people = f.customer_ids ?? [];
  if (f.email !== undefined || people.length) {
    q = q.where((eb) =>
      eb.or([
        ...(f.email !== undefined ? [eb(sql`lower(email)`, '=', f.email)] : []),
        ...(people.length ? [eb('customer_id', 'in', people)] : []),
      ]),
    );
  } else if (f.id === undefined) return undefined;
  if (f.customer_id) q = q.where('customer_id', '=', f.customer_id);
  if (f.channel_id) q = q.where('channel_id', '=', f.channel_id);
  if (f.location_id) q = q.where('location_id', '=', f.location_id);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.before) q = q.where('id', '<', f.before);
  return q.orderBy('id', 'desc').limit(f.limit);
}
export async function updateOrder(db: Executor, id: string, patch: Updateable<OrdersTable>): Promise<void> {
  await updateOrderStmt.run(db, { row: patch, id });
}
export async function setFulfilled(db: Executor, lines: { id: string; fulfilled_quantity: number }[]): Promise<void> {
  for (const l of lines)
    await db
      .updateTable('order_lines')
      .set({ fulfilled_quantity: l.fulfilled_quantity })
      .where('id', '=', l.id)
      .execute();
}
export async function updateLine(
  db: Executor,
  id: string,
  patch: { quantity: number; cancelled_quantity: number; discount: number; total: number; tax_amount: number },
): Promise<void> {
  await db.updateTable('order_lines').set(patch).where('id', '=', id).execute();
}
export async function appendHistory(
  db: Executor,
  row: Insertable<OrderHistoryTable> | Insertable<OrderHistoryTable>[],
): Promise<void> {
  if (Array.isArray(row) && row.length === 0) return;
  await appendHistoryStmt.run(db, { rows: Array.isArray(row) ? row : [row] });
}
/** Locks these orders in id order (the one order every multi-order lock takes) and reads them. */
export function lockOrders(db: Executor, ids: readonly string[]): Promise<OrderRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('orders')
    .selectAll()
    .where('id', 'in', [...ids])
    .orderBy('id')
    .forUpdate()
    .execute();
}
/** One status (and hold) for several orders, one statement. */
export async function setStatusOf(
  db: Executor,
  ids: readonly string[],
  patch: { status: string; hold_reason: string | null; updated_at: Date },
): Promise<void> {
  if (ids.length)
    await db
      .updateTable('orders')
      .set(patch)
      .where('id', 'in', [...ids])
      .execute();
}
export function historyOf(db: Executor, orderId: string) {
  return db
    .selectFrom('order_history')
    .select(['from_status', 'to_status', 'hold_reason', 'note', 'at'])
    .where('order_id', '=', orderId)
    .orderBy('seq')
    .execute();
}
/** Guest orders (no customer) placed with this address become the customer's; returns them. */
export function claimGuestOrders(db: Executor, email: string, customerId: string): Promise<OrderRow[]> {
  return db
    .updateTable('orders')
    .set({ customer_id: customerId })
    .where('customer_id', 'is', null)
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .where('anonymised_at', 'is', null)
    .where('status', 'not in', ['payment_pending', 'cancelled'])
    .returningAll()
    .execute();
}
/** Erasure: personal data goes, the order (and its figures) stays. */
export async function anonymiseCustomerOrders(db: Executor, customerId: string, at: Date): Promise<number> {
  const res = await db
    .updateTable('orders')
    .set({
      email: null,
      delivery: sql`delivery - 'address' || jsonb_build_object('address', null)`,
      // A gift message names people; the gift receipt code stays (the recipient may still return the gift).
      gift_message: null,
      gift_recipient_email: null,
      gift_recipient_name: null,
      anonymised_at: at,
    })
    .where('customer_id', '=', customerId)
    .where('anonymised_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
/** Click & collect orders promised to each store on a day (the store's capacity is per day). */
export async function pickupLoad(
  db: Executor,
  locationIds: string[],
  from: Date,
  to: Date,
): Promise<Map<string, number>> {
  if (locationIds.length === 0) return new Map();
  const rows = await pickupLoadStmt.rows(db, { locationIds, from, to });
  return new Map(rows.map((r) => [r.location_id, Number(r.n)]));
}
/** pickupLoad's statement, built and compiled once (platform/db/compiled.ts): every delivery-options answer runs it. */
const pickupLoadStmt = compiled((db, p: { locationIds: string[]; from: Date; to: Date }) =>
  db
    .selectFrom('orders')
    .select([sql<string>`delivery ->> 'location_id'`.as('location_id'), sql<string>`count(*)`.as('n')])
    // The method as a literal and the stores as one array: one text for any number of stores, whose
    // generic plan can use the partial index `orders_pickup_location` (its predicate needs the
    // literal). With a parameter and an `in` list the plan cache planned anew at every call.
    .where(sql`delivery ->> 'method'`, '=', sql.lit('click_collect'))
    .where(sql`delivery ->> 'location_id'`, '=', sql<string>`any(${p.locationIds}::text[])`)
    .where('placed_at', '>=', p.from)
    .where('placed_at', '<', p.to)
    .where('status', '!=', 'cancelled')
    .groupBy(sql`delivery ->> 'location_id'`),
);

/** Doctor: an order still waiting for fulfilment must hold a reservation. */
export function openOrdersWithoutReservation(db: Executor) {
  return db
    .selectFrom('orders')
    .select(['id', 'status'])
    .where('status', 'in', ['placed', 'confirmed'])
    .where('reservation_id', 'is', null)
    .limit(20)
    .execute();
}

/**
 * Serialises first orders of one customer (a transaction-scoped advisory lock), then says whether
 * the customer already has an order that is not cancelled.
 */
export async function lockAndHasLiveOrder(db: Executor, customerId: string): Promise<boolean> {
  await sql`select pg_advisory_xact_lock(hashtext(${`orders:first:${customerId}`}))`.execute(db);
  const r = await db
    .selectFrom('orders')
    .select('id')
    .where('customer_id', '=', customerId)
    .where('status', '!=', 'cancelled')
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}
