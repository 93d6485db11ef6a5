/**
 * The store queue's pure parts: tabs and kinds, what a task's promise looks like, which actions a
 * task offers, the pick list grouped by size, pick progress from scans, the pick and reject
 * bodies, the packing slip's lines. Pure (no React, no fetch): unit-tested next to it.
 */

export const TABS = ['open', 'ready', 'completed'] as const;
export type Tab = (typeof TABS)[number];
export const KINDS = ['all', 'ship', 'collect'] as const;
export type Kind = (typeof KINDS)[number];

export function tabOf(v: string | null): Tab {
  return (TABS as readonly string[]).includes(v ?? '') ? (v as Tab) : 'open';
}
export function kindOf(v: string | null): Kind {
  return (KINDS as readonly string[]).includes(v ?? '') ? (v as Kind) : 'all';
}

export interface TaskLine {
  line_id: string;
  sku: string;
  quantity: number;
}
export interface SheetLine extends TaskLine {
  product_name: string | null;
  gtin: string | null;
  size: string | null;
  colour: string | null;
  unit_price: number | null;
}
export interface TaskLike {
  id: string;
  status: string;
  method: 'home' | 'click_collect' | 'pickup_point';
  destination_location_id: string | null;
  location_id: string;
}

export type TaskAction = 'accept' | 'reject' | 'pick' | 'pack' | 'ready' | 'ship' | 'handover' | 'resend';

/**
 * What the associate at `here` may do next (the server decides again: this only hides what
 * cannot apply). The source accepts, picks, packs and ships; the collect location readies (a
 * pickup point, once shipped to it) and hands over.
 */
export function actionsFor(task: TaskLike, here: string | null): TaskAction[] {
  const atSource = here === null || here === task.location_id;
  const atDestination = here === null || here === (task.destination_location_id ?? task.location_id);
  const collectHere = task.method === 'click_collect' && task.destination_location_id === null;
  switch (task.status) {
    case 'pending':
      return atSource ? ['accept', 'reject'] : [];
    case 'accepted':
      return atSource ? ['pick', 'reject'] : [];
    case 'picked':
      return atSource ? ['pack'] : [];
    case 'packed':
      return atSource ? [collectHere ? 'ready' : 'ship'] : [];
    case 'shipped':
      return task.method === 'pickup_point' && atDestination ? ['ready'] : [];
    case 'ready_for_pickup':
      return atDestination ? ['handover', 'resend'] : [];
    default:
      return [];
  }
}

/** Whether a packing slip makes sense: the goods are picked and not yet gone. */
export function slipAvailable(status: string): boolean {
  return ['picked', 'packed', 'ready_for_pickup', 'shipped'].includes(status);
}

/** The pick list: lines grouped by size (one shelf walk per size), sizes in a natural order. */
export function groupBySize<L extends SheetLine>(lines: readonly L[]): { size: string | null; lines: L[] }[] {
  const groups = new Map<string | null, L[]>();
  for (const l of lines) {
    const g = groups.get(l.size) ?? [];
    g.push(l);
    groups.set(l.size, g);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => sizeRank(a) - sizeRank(b) || String(a).localeCompare(String(b), undefined, { numeric: true }))
    .map(([size, ls]) => ({ size, lines: ls }));
}

const LETTER_SIZES = ['XXS', 'XS', 'S', 'M', 'L', 'XL', 'XXL', 'XXXL'];
function sizeRank(size: string | null): number {
  if (size === null) return 10_000; // no size last
  const i = LETTER_SIZES.indexOf(size.toUpperCase());
  if (i >= 0) return i;
  const n = Number.parseFloat(size);
  return Number.isFinite(n) ? 100 + n : 5_000;
}

/** Units found per line id so far. */
export type PickProgress = Record<string, number>;

/** The line a scanned or typed code is (SKU any case, GTIN with or without leading zeros), if any. */
export function matchLine<L extends { sku: string; gtin: string | null }>(
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

export type ScanResult = { ok: true; progress: PickProgress; line: TaskLine } | { ok: false; reason: 'done' };

/** Counts one scanned unit against its line; a line already complete refuses more. */
export function applyScan(progress: PickProgress, lines: readonly TaskLine[], sku: string): ScanResult {
  // Several lines may share a SKU: fill the first one not yet complete.
  const line = lines.find((l) => l.sku === sku && (progress[l.line_id] ?? 0) < l.quantity);
  if (!line) return { ok: false, reason: 'done' };
  return { ok: true, line, progress: { ...progress, [line.line_id]: (progress[line.line_id] ?? 0) + 1 } };
}

export function pickedUnits(progress: PickProgress): number {
  return Object.values(progress).reduce((a, n) => a + n, 0);
}
export function totalUnits(lines: readonly TaskLine[]): number {
  return lines.reduce((a, l) => a + l.quantity, 0);
}

/**
 * The pick action's body: everything found → a plain pick; fewer → a short pick naming the units
 * found (the rest is sourced elsewhere); nothing found → null (reject instead).
 */
export function pickBody(
  lines: readonly TaskLine[],
  progress: PickProgress,
): { action: 'pick'; lines?: { sku: string; quantity: number }[] } | null {
  const found = pickedUnits(progress);
  if (found === 0) return null;
  if (found >= totalUnits(lines)) return { action: 'pick' };
  const bySku = new Map<string, number>();
  for (const l of lines) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + Math.min(progress[l.line_id] ?? 0, l.quantity));
  return { action: 'pick', lines: [...bySku.entries()].map(([sku, quantity]) => ({ sku, quantity })) };
}

/**
 * The reject action's body: units chosen per line id; none chosen or every unit → the whole task.
 * Returns null when the reason is missing (a reject always says why).
 */
export function rejectBody(
  lines: readonly TaskLine[],
  chosen: Record<string, number>,
  reason: string,
): { action: 'reject'; reason: string; lines?: { sku: string; quantity: number }[] } | null {
  const why = reason.trim();
  if (!why) return null;
  const bySku = new Map<string, number>();
  for (const l of lines) {
    const q = Math.max(0, Math.min(chosen[l.line_id] ?? 0, l.quantity));
    if (q > 0) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + q);
  }
  const units = [...bySku.values()].reduce((a, n) => a + n, 0);
  if (units === 0 || units >= totalUnits(lines)) return { action: 'reject', reason: why };
  return { action: 'reject', reason: why, lines: [...bySku.entries()].map(([sku, quantity]) => ({ sku, quantity })) };
}

/** A positive whole number typed in a form field, or undefined (empty) or NaN (not one). */
export function wholeNumber(text: string): number | undefined {
  const t = text.trim();
  if (!t) return undefined;
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

/** The packing slip's lines: prices only when the order is not a gift (and the price is known). */
export function slipLines(lines: readonly SheetLine[], gift: boolean | null) {
  return lines.map((l) => ({
    sku: l.sku,
    name: l.product_name ?? l.sku,
    size: l.size,
    colour: l.colour,
    quantity: l.quantity,
    unit_price: gift ? null : l.unit_price,
  }));
}

/** The CSS class of a promise: red once late. */
export function promiseClass(promise: { late: boolean } | null): string {
  return promise?.late ? 'promise late' : 'promise';
}
