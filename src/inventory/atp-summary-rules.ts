/**
 * Pure rules of the availability summary (atp-summary-store.ts): a SKU's summary row holds, per
 * location slot, on_hand − reserved ("free") and the location's safety stock. Those two numbers are
 * all `atp()` reads of a stock row, so a channel's promise at a location computed from the summary is
 * the promise computed from the stock row (`summaryAtp`, tested against `atp` for every level).
 */
import { atp, type PolicyView } from './rules.js';

/** What a channel may promise at one location from its summary slot (a missing slot is 0, 0). */
export function summaryAtp(
  free: number | null | undefined,
  safety: number | null | undefined,
  policy: Pick<PolicyView, 'safety_stock' | 'buffer_pct'>,
): number {
  return atp({ on_hand: free ?? 0, reserved: 0, safety_stock: safety ?? 0 }, policy);
}

/** A wanted location and where its values sit in the arrays read (0-based). */
export interface SlotPosition {
  location_id: string;
  index: number;
}

export interface PromiseAt {
  location_id: string;
  available: number;
}

/** The locations of one summary row with something to promise, in the order of `positions`. */
export function promisesOf(
  free: readonly (number | null)[],
  safety: readonly (number | null)[],
  positions: readonly SlotPosition[],
  policy: Pick<PolicyView, 'safety_stock' | 'buffer_pct'>,
): PromiseAt[] {
  const out: PromiseAt[] = [];
  for (const p of positions) {
    const f = free[p.index];
    if (!f) continue; // no row, or nothing free: nothing to promise whatever the safety stock
    const available = summaryAtp(f, safety[p.index], policy);
    if (available > 0) out.push({ location_id: p.location_id, available });
  }
  return out;
}

/**
 * Whether to read whole rows or only the wanted slots: a projection costs the database a subscript
 * per wanted slot and saves shipping and parsing the rest; worth it when most slots are unwanted
 * (a radius, a channel selling from a few locations).
 */
export function shouldProject(wanted: number, slotCount: number): boolean {
  return wanted * 4 < slotCount;
}

/**
 * A summary array as read (`array_to_string(a, ',', '')`, atp-summary-store.ts) back into numbers,
 * an empty field being a NULL slot. An empty string is no slots (a NULL-only array reads the same:
 * a missing slot and a NULL one both mean no stock row).
 */
export function unpack(packed: string): (number | null)[] {
  if (packed === '') return [];
  return packed.split(',').map((x) => (x === '' ? null : Number(x)));
}
