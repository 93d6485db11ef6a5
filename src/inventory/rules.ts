/**
 * Pure inventory rules: available-to-promise, batch allocation, counts, transfer receipts and the
 * reservation state machine. No I/O, no clock. The reservation SQL predicate (store.ts `atpAtLeast`)
 * encodes exactly `atp()` below; a property test (atp-sql.int.test.ts) checks the two agree.
 */
import type { FieldError } from '../platform/http/problems.js';
import type { ProblemType } from '../platform/http/problems.js';
import type { ReservationStatus, TransferStatus } from './types.js';

export const INT4_MAX = 2147483647;

export interface PolicyView {
  /** 'all' pools every active location that can hold stock; otherwise only these ids. */
  locations: 'all' | readonly string[];
  safety_stock: number;
  buffer_pct: number;
}

export interface LevelView {
  on_hand: number;
  reserved: number;
  safety_stock: number;
}

/**
 * What a channel may promise from one location: on_hand − reserved − max(location's, channel's)
 * safety stock; of what remains, buffer_pct percent is held back (rounding the promise down).
 * Never negative.
 */
export function atp(level: LevelView, policy: Pick<PolicyView, 'safety_stock' | 'buffer_pct'>): number {
  const raw = level.on_hand - level.reserved - Math.max(level.safety_stock, policy.safety_stock);
  if (raw <= 0) return 0;
  return Math.floor((raw * (100 - policy.buffer_pct)) / 100);
}

/** Stock a location holds beyond its own safety stock, before any channel policy. */
export function locationAvailable(level: LevelView): number {
  return Math.max(0, level.on_hand - level.reserved - level.safety_stock);
}

/** The location ids that feed a channel, given the ids of active locations able to hold stock. */
export function policyLocations(policy: Pick<PolicyView, 'locations'>, stockHolding: readonly string[]): string[] {
  if (policy.locations === 'all') return [...stockHolding];
  const holding = new Set(stockHolding);
  return policy.locations.filter((id) => holding.has(id));
}

export function policyAllows(policy: Pick<PolicyView, 'locations'>, locationId: string): boolean {
  return policy.locations === 'all' || policy.locations.includes(locationId);
}

export interface LocatedLevel extends LevelView {
  location_id: string;
}

/** The location a single-location line should come from: the one with the most to promise that covers it. */
export function bestLocation(
  levels: readonly LocatedLevel[],
  policy: PolicyView,
  quantity: number,
): string | undefined {
  let best: { id: string; a: number } | undefined;
  for (const l of levels) {
    const a = atp(l, policy);
    if (a >= quantity && (!best || a > best.a || (a === best.a && l.location_id < best.id)))
      best = { id: l.location_id, a };
  }
  return best?.id;
}

/**
 * Grants a batch of coalesced single-line requests FIFO against locked levels, each request
 * all-or-none from one location, re-evaluating the ATP after every grant exactly as the same
 * requests one after another would. Returns per request the location granted or undefined.
 */
export function allocateFifo(
  levels: readonly LocatedLevel[],
  policy: PolicyView,
  requests: readonly { quantity: number; location_id?: string | undefined }[],
) {
  const state = levels.map((l) => ({ ...l }));
  const grants: (string | undefined)[] = [];
  for (const r of requests) {
    const pool = r.location_id ? state.filter((l) => l.location_id === r.location_id) : state;
    const id = bestLocation(pool, policy, r.quantity);
    if (id) state.find((l) => l.location_id === id)!.reserved += r.quantity;
    grants.push(id);
  }
  const added = new Map<string, number>();
  state.forEach((l, i) => {
    const d = l.reserved - levels[i]!.reserved;
    if (d > 0) added.set(l.location_id, d);
  });
  return { grants, added };
}

/** Lines naming the same SKU and location are one line: merged so each row is locked once. */
export function mergeLines<T extends { sku: string; quantity: number; location_id?: string | undefined }>(
  lines: readonly T[],
): { sku: string; quantity: number; location_id?: string | undefined }[] {
  const byKey = new Map<string, { sku: string; quantity: number; location_id?: string | undefined }>();
  for (const l of lines) {
    const key = `${l.sku}\u0000${l.location_id ?? ''}`;
    const prior = byKey.get(key);
    if (prior) prior.quantity += l.quantity;
    else byKey.set(key, { sku: l.sku, quantity: l.quantity, ...(l.location_id ? { location_id: l.location_id } : {}) });
  }
  // Fixed lock order (SKU, then location) so two reservations never wait on each other in a cycle.
  return [...byKey.values()].sort((a, b) =>
    a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : (a.location_id ?? '') < (b.location_id ?? '') ? -1 : 1,
  );
}

export function quantityErrors(lines: readonly { quantity: number }[], field = 'lines'): FieldError[] {
  const errors: FieldError[] = [];
  lines.forEach((l, i) => {
    if (!Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > INT4_MAX)
      errors.push({ field: `${field}/${i}/quantity`, message: `must be a whole number from 1 to ${INT4_MAX}` });
  });
  return errors;
}

/** The signed on-hand change a manual movement makes, given on-hand now. */
export function manualDelta(
  type: 'receipt' | 'adjustment' | 'count' | 'damage',
  quantity: number,
  onHand: number,
): number {
  switch (type) {
    case 'receipt':
      return quantity;
    case 'damage':
      return -quantity;
    case 'adjustment':
      return quantity;
    case 'count':
      return quantity - onHand;
  }
}

export function manualQuantityError(
  type: 'receipt' | 'adjustment' | 'count' | 'damage',
  quantity: number,
): string | undefined {
  if (!Number.isInteger(quantity) || Math.abs(quantity) > INT4_MAX) return 'must be a 32-bit whole number';
  if (type === 'count') return quantity < 0 ? 'a count cannot be negative' : undefined;
  if (type === 'adjustment') return quantity === 0 ? 'an adjustment of zero changes nothing' : undefined;
  return quantity <= 0 ? `a ${type} must be positive` : undefined;
}

/** Which reservation transitions are allowed; the problem to raise when one is not. */
export function transitionError(
  status: ReservationStatus,
  action: 'release' | 'confirm' | 'expire',
): ProblemType | undefined {
  if (status === 'active') return undefined;
  if (action === 'release')
    return status === 'released' || status === 'expired' ? 'already_released' : 'invalid_transition';
  return status === 'released' || status === 'expired' ? 'already_released' : 'invalid_transition';
}

export interface OpenTransferLine {
  sku: string;
  shipped: number;
  received: number;
}

/**
 * A (partial) receipt of a transfer: adds what arrived, refuses more than was shipped, and when the
 * transfer is closed (explicitly or because everything arrived) records shipped − received as the
 * discrepancy and stops expecting the rest.
 */
export function receiveTransfer(
  lines: readonly OpenTransferLine[],
  arrived: readonly { sku: string; quantity: number }[],
  close: boolean,
) {
  const errors: FieldError[] = [];
  const byKey = new Map(lines.map((l) => [l.sku, { ...l, add: 0 }]));
  arrived.forEach((a, i) => {
    const l = byKey.get(a.sku);
    if (!l) errors.push({ field: `lines/${i}/sku`, message: `${a.sku} is not on this transfer` });
    else if (!Number.isInteger(a.quantity) || a.quantity < 0)
      errors.push({ field: `lines/${i}/quantity`, message: 'must be zero or more' });
    else if (l.received + l.add + a.quantity > l.shipped)
      errors.push({
        field: `lines/${i}/quantity`,
        message: `only ${l.shipped - l.received - l.add} more of ${a.sku} can arrive`,
      });
    else l.add += a.quantity;
  });
  const all = [...byKey.values()];
  const complete = all.every((l) => l.received + l.add === l.shipped);
  const closing = close || complete;
  const status: TransferStatus = closing
    ? 'received'
    : all.some((l) => l.received + l.add > 0)
      ? 'partially_received'
      : 'in_transit';
  return {
    errors,
    status,
    lines: all.map((l) => ({
      sku: l.sku,
      received_now: l.add,
      received: l.received + l.add,
      // units no longer expected at the destination: what arrived now, plus the shortfall when closing
      in_transit_release: l.add + (closing ? l.shipped - l.received - l.add : 0),
      discrepancy: closing ? l.shipped - l.received - l.add : null,
    })),
  };
}

/** A coalesced single-line request as the batch allocation sees it. */
export interface BatchAsk {
  quantity: number;
  location_id?: string | undefined;
}
type SkuLevel = LocatedLevel & { sku: string };

/**
 * Where a batch of coalesced requests will reserve, planned on an unlocked read: per SKU the
 * locations the FIFO allocation grants from, as the rows to lock in (SKU, location) order. Only
 * these are locked: locking every candidate row of 64 spread SKUs would write-lock ~20,000 rows.
 */
export function batchLockPlan(
  read: readonly SkuLevel[],
  policy: PolicyView,
  asksBySku: ReadonlyMap<string, readonly BatchAsk[]>,
): { sku: string; location_id: string }[] {
  return [...asksBySku.keys()].sort().flatMap((sku) => {
    const { added } = allocateFifo(
      read.filter((l) => l.sku === sku),
      policy,
      asksBySku.get(sku)!,
    );
    return [...added.keys()].sort().map((location_id) => ({ sku, location_id }));
  });
}

/**
 * The batch's grants for one SKU on its locked rows, request by request: a location (granted),
 * 'retry_alone' (the plan granted it but the locked rows, changed meanwhile, no longer cover it —
 * it is tried in a transaction of its own), or undefined (refused: not enough stock). Also the units
 * added per location and the SKU's levels after the grants (what a refusal reports as available).
 */
export function grantOnLocked<L extends SkuLevel>(
  sku: string,
  read: readonly L[],
  locked: readonly L[],
  policy: PolicyView,
  asks: readonly BatchAsk[],
): { grants: (string | 'retry_alone' | undefined)[]; added: Map<string, number>; after: L[] } {
  const readOfSku = read.filter((l) => l.sku === sku);
  const { grants, added } = allocateFifo(
    locked.filter((l) => l.sku === sku),
    policy,
    asks,
  );
  const plannedFit = allocateFifo(readOfSku, policy, asks).grants;
  const after = readOfSku
    .map((l) => locked.find((x) => x.location_id === l.location_id && x.sku === sku) ?? l)
    .map((l) => ({ ...l, reserved: l.reserved + (added.get(l.location_id) ?? 0) }));
  return { grants: grants.map((g, j) => g ?? (plannedFit[j] ? 'retry_alone' : undefined)), added, after };
}
