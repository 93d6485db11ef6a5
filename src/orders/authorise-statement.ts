/**
 * payment_pending → placed in one statement: the order's conditional update and its history row,
 * returning the updated order (checkout's settlement). Where the order was locked and read
 * (`select … for update`), then updated, then its history written: three round trips.
 *
 * The transition is still decided by the one table (rules.ts `decide`) in the service, for the state
 * this statement requires — `payment_pending`, no hold — and the update applies it only to an order
 * in that state (the row is locked by the update itself). No row back: the order is not there or not
 * in that state, and the service takes the general path (lock, read, decide) to answer as before.
 */
import { sql } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import { compiled } from '../platform/db/compiled.js';
import { emit, type DomainEvent } from '../platform/events/outbox.js';
import * as store from './store.js';
import { decide, type OrderState } from './rules.js';
import { lineRow, placedEvent, transitionRecord } from './mapping.js';
import type { OrderLine } from './types.js';

type OrderRow = store.OrderRow;

const authoriseStmt = compiled(
  (
    _db,
    p: {
      id: string;
      from: string;
      to: string;
      hold_reason: string | null;
      note: string | null;
      at: Date;
    },
  ) => sql<OrderRow>`
    with o as (
      update orders set status = ${p.to}, hold_reason = ${p.hold_reason}, updated_at = ${p.at}::timestamptz
      where id = ${p.id} and status = ${p.from} and hold_reason is null
      returning *
    ), h as (
      insert into order_history (order_id, from_status, to_status, hold_reason, note, at)
      select o.id, ${p.from}, o.status, o.hold_reason, ${p.note}, ${p.at}::timestamptz from o
    )
    select * from o`,
);

/** The order moved from `from` (and no hold) to `to`, with its history row; undefined when it was not in that state. */
export function moveUnheld(
  db: Executor,
  p: { id: string; from: string; to: string; hold_reason: string | null; note: string | null; at: Date },
): Promise<OrderRow | undefined> {
  return authoriseStmt.first(db, p);
}

/**
 * payment_pending → placed when the order waits for its payment with no hold: the statement above,
 * then its events after `first` (the caller's, e.g. `payment.authorized`) in one outbox insert.
 * Undefined when the order is not in that state: nothing is written (not even `first`), and the
 * caller takes the general path.
 */
export async function placeIfWaiting(
  trx: Executor,
  id: string,
  now: Date,
  /** The order's lines as `place` returned them (checkout has them); read when absent. */
  known: readonly OrderLine[] | undefined,
  first: readonly DomainEvent[],
): Promise<{ row: OrderRow; lines: store.OrderLineRow[] } | undefined> {
  // Decided by the one transition table for the state the statement requires.
  const waiting: OrderState = { status: 'payment_pending', hold_reason: null, lines: [] };
  const d = decide(waiting, { type: 'authorise' });
  if (!d.ok) return undefined;
  const row = await moveUnheld(trx, {
    id,
    from: waiting.status,
    to: d.next.status,
    hold_reason: d.next.hold_reason,
    note: null,
    at: now,
  });
  if (!row) return undefined;
  const lines = known ? known.map((l, i) => lineRow(id, i, l)) : await store.linesOf(trx, [id]);
  const before = { ...row, status: waiting.status, hold_reason: waiting.hold_reason };
  const record = transitionRecord(before, d.next, null, now);
  await emit(trx, [...first, placedEvent(row, lines, now), ...record.events], now);
  return { row, lines };
}
