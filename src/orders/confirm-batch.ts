/**
 * `order.placed` → confirmed for a whole delivery batch of orders (issue 17 point 2): one lock of the
 * batch's orders in id order, one update, one history insert and one outbox insert, where one
 * transition per order cost four statements each. Each order is still decided by the one transition
 * table (`rules.decide`) and recorded by the one builder `apply` uses (`mapping.transitionRecord`), so
 * the rows and events are those of a confirm applied alone.
 *
 * Redelivery-safe as before: an order no longer `placed`, or held, is left as it is (and an order id
 * seen twice in one batch is confirmed once). Locks are taken in id order, so two batches (two workers)
 * wait for each other instead of deadlocking; a single-order transaction (settle, cancel) locks one.
 */
import type { Tx } from '../platform/db/schema.js';
import { emit, type DomainEvent } from '../platform/events/outbox.js';
import * as store from './store.js';
import { decide, type OrderStatus } from './rules.js';
import { transitionRecord } from './mapping.js';

/** Confirms the placed, unheld orders among `ids`; returns how many it confirmed. */
export async function confirmPlacedIn(trx: Tx, ids: readonly string[], now: Date): Promise<number> {
  const rows = await store.lockOrders(trx, [...new Set(ids)]);
  const confirmed: string[] = [];
  const history: ReturnType<typeof transitionRecord>['history'][] = [];
  const events: DomainEvent[] = [];
  for (const row of rows) {
    if (row.status !== 'placed' || row.hold_reason !== null) continue;
    // A confirm decides on the status and hold alone (rules.LINE_COMMANDS): no lines are read.
    const d = decide(
      { status: row.status as OrderStatus, hold_reason: row.hold_reason, lines: [] },
      { type: 'confirm' },
    );
    if (!d.ok || d.next.status !== 'confirmed' || d.next.hold_reason !== null) continue;
    const record = transitionRecord(row, d.next, null, now);
    confirmed.push(row.id);
    history.push(record.history);
    events.push(...record.events);
  }
  if (confirmed.length === 0) return 0;
  await store.setStatusOf(trx, confirmed, { status: 'confirmed', hold_reason: null, updated_at: now });
  await store.appendHistory(trx, history);
  await emit(trx, events, now);
  return confirmed.length;
}
