/**
 * Cancelling units of one order line (the customer changed their mind about one size): only units
 * in tasks nobody has picked yet (pending or accepted) can go. A task left with nothing is cancelled
 * through the transition table (its reservation released); a task keeping other units holds only
 * those again, like a partial reject. Runs in the order's transaction, so a refusal writes nothing.
 */
import type { Tx } from '../platform/db/schema.js';
import { AppError } from '../platform/http/problems.js';
import * as store from './store.js';
import type { FulfillmentLine } from './types.js';
import type { FulfillmentInventoryPort } from './ports.js';

/** Statuses whose units are still on the shelf: nothing picked, packed or shipped yet. */
export const UNSTARTED = ['pending', 'accepted'] as const;

export interface CancelTask {
  id: string;
  status: string;
  lines: FulfillmentLine[];
}

/** Pure: which tasks lose how many units of the line; `short` > 0 when the unstarted units do not cover it. */
export function planCancelUnits(
  tasks: readonly CancelTask[],
  lineId: string,
  quantity: number,
): { changes: { id: string; lines: FulfillmentLine[] }[]; short: number } {
  let left = quantity;
  const changes: { id: string; lines: FulfillmentLine[] }[] = [];
  // Pending before accepted: a store that has not started yet loses the units first.
  const ordered = [...tasks]
    .filter((t) => (UNSTARTED as readonly string[]).includes(t.status))
    .sort((a, b) => UNSTARTED.indexOf(a.status as 'pending') - UNSTARTED.indexOf(b.status as 'pending'));
  for (const t of ordered) {
    if (left === 0) break;
    const line = t.lines.find((l) => l.line_id === lineId);
    if (!line) continue;
    const take = Math.min(line.quantity, left);
    left -= take;
    changes.push({
      id: t.id,
      lines: t.lines.map((l) => (l === line ? { ...l, quantity: l.quantity - take } : l)).filter((l) => l.quantity > 0),
    });
  }
  return { changes, short: left };
}

export interface CancelUnitsDeps {
  inventory: FulfillmentInventoryPort;
  hold(trx: Tx, row: store.FulfillmentRow, lines: FulfillmentLine[], locationId: string): Promise<string>;
  cancelTask(trx: Tx, row: store.FulfillmentRow): Promise<void>;
}

export async function cancelUnits(
  deps: CancelUnitsDeps,
  trx: Tx,
  orderId: string,
  lineId: string,
  quantity: number,
  now: Date,
): Promise<void> {
  const rows = await store.byOrder(trx, orderId);
  const locked: store.FulfillmentRow[] = [];
  for (const r of rows) locked.push((await store.getFulfillment(trx, r.id, true))!);
  if (locked.length === 0)
    throw new AppError('conflict', `order ${orderId} is not sourced yet: its lines can be cancelled in a moment`);
  const tasks = locked.map((r) => ({
    id: r.id,
    status: r.status,
    lines: (typeof r.lines === 'string' ? JSON.parse(r.lines) : r.lines) as FulfillmentLine[],
  }));
  const plan = planCancelUnits(tasks, lineId, quantity);
  if (plan.short > 0)
    throw new AppError(
      'conflict',
      `only ${quantity - plan.short} unit(s) of line ${lineId} are not yet picked; the others are on their way (return them instead)`,
      { cancellable_quantity: quantity - plan.short },
    );
  for (const change of plan.changes) {
    const row = locked.find((r) => r.id === change.id)!;
    if (change.lines.length === 0) {
      await deps.cancelTask(trx, row);
      continue;
    }
    let reservationId = row.reservation_id;
    if (reservationId) {
      const r = await deps.inventory.getReservation(reservationId, { trx });
      if (r.status === 'active') await deps.inventory.release(reservationId, { trx });
      reservationId = await deps.hold(trx, row, change.lines, row.location_id);
    }
    await store.updateFulfillment(trx, row.id, {
      lines: JSON.stringify(change.lines),
      reservation_id: reservationId,
      updated_at: now,
    });
  }
}
