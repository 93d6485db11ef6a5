/**
 * The store associate app's queue (issue 14 point 1), as pure rules: which statuses each tab
 * shows, a task's promise and whether it is late, partial rejection, what a scanned code names,
 * and which action a field belongs to. Pure.
 */
import { shortPick, type Action, type FulfillmentStatus, type Method } from './rules.js';

export const QUEUE_TABS = ['open', 'ready', 'completed'] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];

/**
 * Open: work to do here (accept, pick, pack, ship or ready). Ready: waiting for the customer.
 * Completed: gone from this store's hands — shipped, sent to the collect store, handed over, or
 * refused, cancelled, returned to stock.
 */
export const TAB_STATUSES: Record<QueueTab, readonly FulfillmentStatus[]> = {
  open: ['pending', 'accepted', 'picked', 'packed'],
  ready: ['ready_for_pickup'],
  completed: ['shipped', 'in_transit', 'handed_over', 'rejected', 'cancelled', 'returned_to_stock', 'delivered'],
};

/** The store app's two kinds of work: ship from store (home, pickup point) and click & collect. */
export const QUEUE_KINDS = ['ship', 'collect'] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];
export const KIND_METHODS: Record<QueueKind, readonly Method[]> = {
  ship: ['home', 'pickup_point'],
  collect: ['click_collect'],
};

export function kindOf(method: Method): QueueKind {
  return method === 'click_collect' ? 'collect' : 'ship';
}

/**
 * What the store promised: a pending task must be accepted by its SLA deadline; after that, the
 * order's promised date is the date to ship by (ship from store) or to have it ready to collect by.
 * `late` once the deadline that applies has passed (the app shows it red).
 */
export interface TaskPromise {
  kind: 'accept_by' | 'ship_by' | 'collect_by';
  due: string;
  late: boolean;
}

export function promiseOf(
  task: { status: FulfillmentStatus; method: Method; sla_deadline: string; created_at: string },
  promisedDate: string | null,
  fallbackDays: number,
  now: Date,
): TaskPromise | null {
  if (task.status === 'pending') {
    return { kind: 'accept_by', due: task.sla_deadline, late: now.getTime() > Date.parse(task.sla_deadline) };
  }
  if (!TAB_STATUSES.open.includes(task.status)) return null;
  // A promised instant (a pickup's ready-by time) is kept; a promised day holds until its end (UTC).
  const due = promisedDate
    ? promisedDate.length > 10
      ? new Date(promisedDate)
      : new Date(`${promisedDate.slice(0, 10)}T23:59:59.999Z`)
    : new Date(Date.parse(task.created_at) + fallbackDays * 86_400_000);
  return {
    kind: task.method === 'click_collect' ? 'collect_by' : 'ship_by',
    due: due.toISOString(),
    late: now.getTime() > due.getTime(),
  };
}

type TaskLine = { line_id: string; sku: string; quantity: number };

/**
 * A reject that names lines refuses only those units: `all` when they are every unit of the task
 * (a plain reject), `some` with the units refused and those kept, or refused (unknown SKU, more
 * than the task has, nothing at all).
 */
export type RejectPlan =
  { kind: 'all' } | { kind: 'some'; rejected: TaskLine[]; kept: TaskLine[] } | { kind: 'refused'; reason: string };

export function planReject(
  task: readonly TaskLine[],
  refused: readonly { sku: string; quantity: number }[] | undefined,
): RejectPlan {
  if (!refused) return { kind: 'all' };
  const split = shortPick(task, refused);
  if (!split.ok) return { kind: 'refused', reason: split.reason.replace('picked', 'rejected') };
  const rejected = split.picked.filter((l) => l.quantity > 0);
  if (rejected.length === 0) return { kind: 'refused', reason: 'no units named: name the lines to reject' };
  if (split.missing.length === 0) return { kind: 'all' };
  return { kind: 'some', rejected, kept: split.missing };
}

/** A scanned or typed code: the task line whose SKU or GTIN it is (GTINs compared without leading zeros). */
export function matchCode<L extends { sku: string; gtin: string | null }>(
  lines: readonly L[],
  code: string,
): L | undefined {
  const c = code.trim();
  if (!c) return undefined;
  const digits = /^\d{8,14}$/.test(c) ? c.replace(/^0+/, '') : null;
  return lines.find(
    (l) => l.sku.toLowerCase() === c.toLowerCase() || (digits !== null && l.gtin?.replace(/^0+/, '') === digits),
  );
}

/** The new fields each belong to one action; sent with another they are refused, not ignored. */
const FIELD_ACTION: Record<'parcels' | 'weight_g' | 'carrier', Action> = {
  parcels: 'pack',
  weight_g: 'pack',
  carrier: 'ship',
};

export function misplacedField(
  action: Action,
  input: { parcels?: unknown; weight_g?: unknown; carrier?: unknown },
): { field: string; message: string } | undefined {
  for (const [field, owner] of Object.entries(FIELD_ACTION)) {
    if (input[field as keyof typeof FIELD_ACTION] !== undefined && owner !== action)
      return { field, message: `only with the ${owner} action` };
  }
  return undefined;
}
