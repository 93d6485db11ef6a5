/**
 * The fulfillment task lifecycle as ONE transition table, checked in one place (`decide`). Pure.
 *
 *   pending ─accept─▶ accepted ─pick─▶ picked ─pack─▶ packed ─ship─▶ shipped ─(carrier)deliver─▶ delivered (home)
 *                                                       │      └ship─▶ shipped ─ready─▶ ready_for_pickup ─handover─▶ handed_over (pickup point)
 *                                                       ├ready─▶ ready_for_pickup ─handover─▶ handed_over        (collect where the stock is)
 *                                                       └ship─▶ in_transit ─(transfer received)─▶ ready_for_pickup (collect elsewhere)
 *   pending|accepted ─reject─▶ rejected (the lines are sourced again elsewhere)
 *   pending ─timeout─▶ rejected;  ready_for_pickup ─expire─▶ returned_to_stock;  any open ─cancel─▶ cancelled
 *
 * Each transition names who may act (the source location, or the destination: the collect store or
 * pickup point) and the stock effect the service must carry out in the same transaction.
 */
import type { FulfillmentEventType } from './events.js';

export const FULFILLMENT_STATUSES = [
  'pending',
  'accepted',
  'picked',
  'packed',
  'shipped',
  'in_transit',
  'ready_for_pickup',
  'handed_over',
  'rejected',
  'cancelled',
  'returned_to_stock',
  /** A home delivery the carrier reported delivered (carriers module, tracking). */
  'delivered',
] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

export const ACTIONS = ['accept', 'reject', 'pick', 'pack', 'ready', 'handover', 'ship'] as const;
export type Action = (typeof ACTIONS)[number];
/** Transitions the system makes (jobs, events), never a person. */
export type SystemAction = 'timeout' | 'transfer_received' | 'expire' | 'cancel' | 'deliver';

export const METHODS = ['home', 'click_collect', 'pickup_point'] as const;
/** The delivery methods fulfillment sources into tasks (an in-store sale is done at the till). */
export type Method = (typeof METHODS)[number];

export interface TaskState {
  status: FulfillmentStatus;
  method: Method;
  /** Collect at the location that holds the stock (no transfer, no carrier). */
  collectHere: boolean;
}

/** What the service must do to stock and to the order when the transition is taken. */
export type Effect =
  | 'confirm_sale' // the reservation becomes a sale (stock leaves on-hand)
  | 'release' // the reservation is released
  | 'create_transfer' // release, then move the units to the collect store (in transit)
  | 'reserve_at_destination' // the transferred units are held for the customer at the collect store
  | 'restock_at_source' // uncollected goods already sold go back into stock (return movement)
  | 'resource' // source the lines again elsewhere
  | 'mark_fulfilled' // tell the order these lines are done
  | 'emit_ready';

export type Actor = 'source' | 'destination' | 'system';

interface Rule {
  from: readonly FulfillmentStatus[];
  to: FulfillmentStatus;
  actor: Actor;
  effects: readonly Effect[];
  when?: (s: TaskState) => boolean;
}

const OPEN: readonly FulfillmentStatus[] = ['pending', 'accepted', 'picked', 'packed'];

/** The table. Several rules per action are tried in order; the first whose `from` and `when` match wins. */
export const TRANSITIONS: Record<Action | SystemAction, readonly Rule[]> = {
  accept: [{ from: ['pending'], to: 'accepted', actor: 'source', effects: [] }],
  reject: [{ from: ['pending', 'accepted'], to: 'rejected', actor: 'source', effects: ['release', 'resource'] }],
  timeout: [{ from: ['pending'], to: 'rejected', actor: 'system', effects: ['release', 'resource'] }],
  // Stock leaves at pick, unless it must travel to the collect store first (then it leaves by transfer at ship).
  pick: [
    {
      from: ['accepted'],
      to: 'picked',
      actor: 'source',
      effects: [],
      when: (s) => s.method === 'click_collect' && !s.collectHere,
    },
    { from: ['accepted'], to: 'picked', actor: 'source', effects: ['confirm_sale'] },
  ],
  pack: [{ from: ['picked'], to: 'packed', actor: 'source', effects: [] }],
  ship: [
    { from: ['packed'], to: 'shipped', actor: 'source', effects: ['mark_fulfilled'], when: (s) => s.method === 'home' },
    { from: ['packed'], to: 'shipped', actor: 'source', effects: [], when: (s) => s.method === 'pickup_point' },
    {
      from: ['packed'],
      to: 'in_transit',
      actor: 'source',
      effects: ['create_transfer'],
      when: (s) => s.method === 'click_collect' && !s.collectHere,
    },
  ],
  transfer_received: [
    {
      from: ['in_transit'],
      to: 'ready_for_pickup',
      actor: 'system',
      effects: ['reserve_at_destination', 'emit_ready'],
    },
  ],
  ready: [
    {
      from: ['packed'],
      to: 'ready_for_pickup',
      actor: 'source',
      effects: ['emit_ready'],
      when: (s) => s.method === 'click_collect' && s.collectHere,
    },
    {
      from: ['shipped'],
      to: 'ready_for_pickup',
      actor: 'destination',
      effects: ['emit_ready'],
      when: (s) => s.method === 'pickup_point',
    },
  ],
  handover: [
    {
      from: ['ready_for_pickup'],
      to: 'handed_over',
      actor: 'destination',
      effects: ['confirm_sale', 'mark_fulfilled'],
      when: (s) => s.method === 'click_collect' && !s.collectHere,
    },
    { from: ['ready_for_pickup'], to: 'handed_over', actor: 'destination', effects: ['mark_fulfilled'] },
  ],
  // The carrier's tracking says the parcel reached the door (the lines were fulfilled at ship).
  deliver: [{ from: ['shipped'], to: 'delivered', actor: 'system', effects: [], when: (s) => s.method === 'home' }],
  expire: [
    {
      from: ['ready_for_pickup'],
      to: 'returned_to_stock',
      actor: 'system',
      effects: ['release'],
      when: (s) => s.method === 'click_collect' && !s.collectHere,
    },
    { from: ['ready_for_pickup'], to: 'returned_to_stock', actor: 'system', effects: ['restock_at_source'] },
  ],
  cancel: [
    { from: ['pending', 'accepted'], to: 'cancelled', actor: 'system', effects: ['release'] },
    {
      from: ['picked', 'packed'],
      to: 'cancelled',
      actor: 'system',
      effects: ['release'],
      when: (s) => s.method === 'click_collect' && !s.collectHere,
    },
    { from: ['picked', 'packed'], to: 'cancelled', actor: 'system', effects: ['restock_at_source'] },
  ],
};

export type Decision =
  { ok: true; to: FulfillmentStatus; actor: Actor; effects: readonly Effect[] } | { ok: false; reason: string };

export function decide(state: TaskState, action: Action | SystemAction): Decision {
  const rules = TRANSITIONS[action];
  const fromOk = rules.filter((r) => r.from.includes(state.status));
  if (fromOk.length === 0) return { ok: false, reason: `a ${state.status} fulfillment cannot ${action}` };
  const rule = fromOk.find((r) => !r.when || r.when(state));
  if (!rule)
    return {
      ok: false,
      reason: `${action} does not apply to a ${state.method.replace('_', ' ')} fulfillment that is ${state.status}`,
    };
  return { ok: true, to: rule.to, actor: rule.actor, effects: rule.effects };
}

export const isOpen = (s: FulfillmentStatus): boolean =>
  OPEN.includes(s) || s === 'shipped' || s === 'in_transit' || s === 'ready_for_pickup';

/** Statuses after which a task needs nothing more: its order is done once every task is in one of them. */
const FINISHED: readonly FulfillmentStatus[] = [
  'delivered',
  'handed_over',
  'rejected',
  'cancelled',
  'returned_to_stock',
];

/**
 * Whether a carrier's delivery finishes the order: every task of it is finished and at least one
 * reached the customer (an order whose tasks were all refused is not "delivered", it is re-sourced).
 */
export function orderDelivered(statuses: readonly FulfillmentStatus[]): boolean {
  return (
    statuses.length > 0 &&
    statuses.every((s) => FINISHED.includes(s)) &&
    statuses.some((s) => s === 'delivered' || s === 'handed_over')
  );
}

/** Handover checks the code the customer shows; constant-time-ish comparison is not needed for 6 digits shown in person. */
export function codeMatches(expected: string | null, given: string | undefined): boolean {
  return expected !== null && given !== undefined && given.trim() === expected;
}

/** When a task must be accepted by: its creation plus the location type's SLA. */
export function slaDeadline(createdAt: Date, slaMinutes: number): Date {
  return new Date(createdAt.getTime() + slaMinutes * 60_000);
}

/** Midnight UTC of `now`'s day: a location's daily capacity counts the packages taken on since. */
export function dayStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** Ready-for-pickup tasks older than the collection window go back to stock. */
export function uncollectedBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}

/**
 * What a pick reports against the task: never more than reserved (refused), possibly less (a short
 * pick: the missing units are sourced elsewhere). Returns the refusal or the split.
 */
export function shortPick(
  task: readonly { line_id: string; sku: string; quantity: number }[],
  found: readonly { sku: string; quantity: number }[],
):
  | {
      ok: true;
      picked: { line_id: string; sku: string; quantity: number }[];
      missing: { line_id: string; sku: string; quantity: number }[];
    }
  | { ok: false; reason: string } {
  const want = new Map<string, number>();
  for (const f of found) want.set(f.sku, (want.get(f.sku) ?? 0) + f.quantity);
  for (const [sku, q] of want) {
    const has = task.filter((l) => l.sku === sku).reduce((a, l) => a + l.quantity, 0);
    if (has === 0) return { ok: false, reason: `${sku} is not in this task` };
    if (q > has) return { ok: false, reason: `picked ${q} × ${sku} but only ${has} are reserved for this task` };
  }
  const picked: { line_id: string; sku: string; quantity: number }[] = [];
  const missing: { line_id: string; sku: string; quantity: number }[] = [];
  for (const l of task) {
    const left = want.get(l.sku) ?? 0;
    const take = Math.min(left, l.quantity);
    want.set(l.sku, left - take);
    picked.push({ ...l, quantity: take });
    if (take < l.quantity) missing.push({ ...l, quantity: l.quantity - take });
  }
  return { ok: true, picked, missing };
}

/** The event each transition emits (ready_for_pickup is emitted with the pickup code by its effect). */
const EVENT_OF: Partial<Record<Action | SystemAction, FulfillmentEventType>> = {
  accept: 'fulfillment.accepted',
  reject: 'fulfillment.rejected',
  timeout: 'fulfillment.rejected',
  pick: 'fulfillment.picked',
  pack: 'fulfillment.packed',
  ship: 'fulfillment.shipped',
  handover: 'fulfillment.handed_over',
  expire: 'fulfillment.returned_to_stock',
  cancel: 'fulfillment.cancelled',
  deliver: 'fulfillment.delivered',
};

/** The event a transition emits, if any: a shipment to the collect store is `in_transit`, not `shipped`. */
export function eventOf(action: Action | SystemAction, to: FulfillmentStatus): FulfillmentEventType | undefined {
  return action === 'ship' && to === 'in_transit' ? 'fulfillment.in_transit' : EVENT_OF[action];
}

/** Why a task was refused: the SLA job's own words, or the location's (blank means the default). */
export function rejectReasonOf(action: Action | SystemAction, given: string | undefined): string | undefined {
  if (action === 'timeout') return 'not accepted within the SLA';
  if (action === 'reject') return given?.trim() || 'rejected by the location';
  return undefined;
}

type TaskLine = { line_id: string; sku: string; quantity: number };

/**
 * What a pick report does to the task's stock. No report, or everything found: nothing special
 * (`whole`). Fewer found (a short pick): the task keeps only the found units, the missing ones are
 * sourced elsewhere, and the reservation is settled by where the stock goes next:
 * - `sell_found` — the pick sells (stock leaves here): the found units are sold, the rest released;
 * - `hold_found_at_source` — the units travel to a collect store first: release everything and hold
 *   only the found units at the source until they ship;
 * - `none` — the task holds no reservation: nothing to settle.
 */
export type PickPlan =
  | { kind: 'whole' }
  | { kind: 'refused'; reason: string }
  | {
      kind: 'short';
      picked: TaskLine[];
      missing: TaskLine[];
      stock: 'sell_found' | 'hold_found_at_source' | 'none';
    };

export function planPick(
  task: readonly TaskLine[],
  found: readonly { sku: string; quantity: number }[] | undefined,
  opts: { sellsAtPick: boolean; holdsReservation: boolean },
): PickPlan {
  if (!found) return { kind: 'whole' };
  const split = shortPick(task, found);
  if (!split.ok) return { kind: 'refused', reason: split.reason };
  if (split.missing.length === 0) return { kind: 'whole' };
  const picked = split.picked.filter((l) => l.quantity > 0);
  if (picked.length === 0) return { kind: 'refused', reason: 'nothing picked: reject the task instead' };
  const stock = !opts.holdsReservation ? 'none' : opts.sellsAtPick ? 'sell_found' : 'hold_found_at_source';
  return { kind: 'short', picked, missing: split.missing, stock };
}

/**
 * Wrong pickup codes a task takes before its handover locks. Six digits and five tries: a guesser
 * at the counter has a 1 in 200,000 chance before a manager must look at it.
 */
export const PICKUP_MAX_TRIES = 5;

/**
 * Handover's pickup-code check. A locked task refuses every code, the right one too (whoever tried
 * five wrong ones may hold a leaked code); otherwise the code matches or the try counts.
 */
export function checkPickupCode(
  task: { code: string | null; locked: boolean },
  given: string | undefined,
): 'ok' | 'locked' | 'wrong' {
  if (task.locked) return 'locked';
  return codeMatches(task.code, given) ? 'ok' : 'wrong';
}

/** After a wrong try has been counted (`failures` includes it): whether the task is now locked, and the tries left. */
export function afterWrongTry(failures: number): { locked: boolean; attempts_left: number } {
  const left = Math.max(0, PICKUP_MAX_TRIES - failures);
  return { locked: left === 0, attempts_left: left };
}
