/**
 * A new order in ONE statement: the order, its lines, its first history row, its events (the
 * outbox insert as the statement's tail, platform/events/outbox.ts `outboxInsert`) and whatever the
 * caller writes with it (checkout: the pending payment and the completed cart), as data-modifying
 * CTEs. One round trip where there were six (order, lines, history, outbox, payment, cart), and all
 * or nothing as one statement is: a failure of any part (a second order for the cart, a constraint)
 * writes none of them.
 *
 * The rows go as JSON documents (jsonb_populate_record[set]) rather than one parameter per column:
 * the text is the same whatever the number of lines, and its parameters stay few (an order's 31
 * columns, the lines' 15 and the callers' parts would pass prepared.ts's MAX_PARAMS, and the
 * statement would be parsed and planned on every checkout). The column lists are fixed and the
 * documents carry every column (newOrderRows writes each, defaults included): a key left out would be
 * null, not the column's default.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import { outboxInsert, type DomainEvent } from '../platform/events/outbox.js';
import { newOrderRows, placedEvent } from './mapping.js';
import type { PlaceOrderInput } from './types.js';

const ORDER_COLUMNS = [
  'id',
  'channel_id',
  'channel_type',
  'customer_id',
  'cart_id',
  'location_id',
  'status',
  'hold_reason',
  'currency',
  'subtotal',
  'discount_total',
  'shipping_amount',
  'shipping_discount',
  'tax_total',
  'total',
  'tax_breakdown',
  'coupons',
  'delivery',
  'email',
  'reservation_id',
  'payment_id',
  'placed_at',
  'updated_at',
  'anonymised_at',
  'cancelled_amount',
  'gift',
  'gift_message',
  'gift_receipt_code',
  'gift_recipient_email',
  'gift_recipient_name',
] as const;
const LINE_COLUMNS = [
  'id',
  'order_id',
  'position',
  'sku',
  'product_id',
  'quantity',
  'unit_price',
  'discount',
  'total',
  'tax_rate',
  'tax_amount',
  'applied',
  'location_id',
  'fulfilled_quantity',
  'cancelled_quantity',
] as const;
export type OrderDoc = Record<(typeof ORDER_COLUMNS)[number], unknown>;
export type LineDoc = Record<(typeof LINE_COLUMNS)[number], unknown>;

const orderCols = sql.raw(ORDER_COLUMNS.join(', '));
const lineCols = sql.raw(LINE_COLUMNS.join(', '));

/**
 * `place`'s writes: the rows newOrderRows made, the first history row, `order.status_changed` (and
 * `order.placed` for an order placed at once) and the caller's statements, in one statement.
 */
export async function writeNewOrder(
  trx: Executor,
  input: PlaceOrderInput,
  { row, lines }: ReturnType<typeof newOrderRows>,
  now: Date,
  also: readonly RawBuilder<unknown>[] | undefined,
): Promise<void> {
  const changed: DomainEvent = {
    type: 'order.status_changed',
    aggregateId: row.id,
    payload: { order_id: row.id, from: null, to: row.status, hold_reason: null },
  };
  const events = row.status === 'placed' ? [placedEvent(row, lines, now), changed] : [changed];
  // The documents carry the jsonb columns as values (JSON text would be stored as a JSON string); an
  // absent list takes the column's default ('[]'), as the insert that left the column out did.
  const order: OrderDoc = {
    ...row,
    tax_breakdown: input.tax_breakdown ?? [],
    coupons: input.coupons ?? [],
    delivery: input.delivery,
  };
  const docLines: LineDoc[] = lines.map((l, i) => ({ ...l, applied: input.lines[i]!.applied ?? [] }));
  await insertPlacedOrder(trx, {
    docs: { order: JSON.stringify(order), lines: JSON.stringify(docLines) },
    history: { order_id: row.id, to_status: row.status, at: now },
    events: outboxInsert(events, now)!,
    also,
  });
}

export async function insertPlacedOrder(
  db: Executor,
  p: {
    docs: { order: string; lines: string };
    history: { order_id: string; to_status: string; at: Date };
    /** The events' outbox insert (`outboxInsert`): the statement's tail. */
    events: RawBuilder<unknown>;
    /** The caller's own writes (insert or update statements), run in the same statement. */
    also?: readonly RawBuilder<unknown>[] | undefined;
  },
): Promise<void> {
  const also = (p.also ?? []).map((s, i) => sql`, ${sql.raw(`w${i}`)} as (${s})`);
  await sql`
    with o as (
      insert into orders (${orderCols})
      select ${orderCols} from jsonb_populate_record(null::orders, ${p.docs.order}::jsonb)
    ), l as (
      insert into order_lines (${lineCols})
      select ${lineCols} from jsonb_populate_recordset(null::order_lines, ${p.docs.lines}::jsonb)
    ), h as (
      insert into order_history (order_id, from_status, to_status, hold_reason, note, at)
      values (${p.history.order_id}, null, ${p.history.to_status}, null, null, ${p.history.at}::timestamptz)
    )${sql.join(also, sql``)}
    ${p.events}`.execute(db);
}
