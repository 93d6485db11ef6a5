/**
 * The reports' pure shaping around the rules: the query window, grouping a channel mix by month,
 * region or store, lost sales by channel, store, product, size and the store × size grid, and CSV.
 */
import type { LostSaleClass, OrderFact, Result } from './types.js';
import { dayString, epochDay, fail, ok } from './validate.js';

/** The longest window a report reads: three years (the retention comparison reads one more). */
export const MAX_WINDOW_DAYS = 3 * 366;

export interface Window {
  from: string;
  to: string;
  days: number;
}

/**
 * A report window [from, to): `to` defaults to the day after `today` (today included), `from` to
 * 183 days before `to` (about six months). Refuses non-dates, an empty or reversed window and one
 * longer than MAX_WINDOW_DAYS — never clamps.
 */
export function reportWindow(from: string | undefined, to: string | undefined, today: string): Result<Window> {
  const t = to === undefined ? epochDay(today)! + 1 : epochDay(to);
  if (t === null) return fail('to', `not a YYYY-MM-DD day: ${to}`);
  const f = from === undefined ? t - 183 : epochDay(from);
  if (f === null) return fail('from', `not a YYYY-MM-DD day: ${from}`);
  if (t <= f) return fail('to', `must be after from (${dayString(f)})`);
  if (t - f > MAX_WINDOW_DAYS) return fail('from', `the window is at most ${MAX_WINDOW_DAYS} days, got ${t - f}`);
  return ok({ from: dayString(f), to: dayString(t), days: t - f });
}

/** Calendar months overlapping [from, to), each cut to the window: key YYYY-MM. */
export function monthWindows(from: string, to: string): { key: string; from: string; to: string }[] {
  const out: { key: string; from: string; to: string }[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  for (;;) {
    const start = `${y}-${String(m).padStart(2, '0')}-01`;
    if (start >= to) break;
    const ny = m === 12 ? y + 1 : y;
    const nm = m === 12 ? 1 : m + 1;
    const next = `${ny}-${String(nm).padStart(2, '0')}-01`;
    out.push({ key: start.slice(0, 7), from: start < from ? from : start, to: next > to ? to : next });
    y = ny;
    m = nm;
  }
  return out;
}

/**
 * Each customer's home store in [from, to): the store of most of their till sales and collections
 * (ties: the smaller id); null for a customer who never bought at or collected in a store.
 */
export function homeStores(orders: OrderFact[], from: string, to: string): Map<string, string | null> {
  const counts = new Map<string, Map<string, number>>();
  const home = new Map<string, string | null>();
  for (const o of orders) {
    if (o.placed_on < from || o.placed_on >= to) continue;
    if (!home.has(o.customer_id)) home.set(o.customer_id, null);
    const store = o.location_id ?? o.collected_at;
    if (!store) continue;
    const m = counts.get(o.customer_id) ?? new Map<string, number>();
    m.set(store, (m.get(store) ?? 0) + 1);
    counts.set(o.customer_id, m);
  }
  for (const [customer, m] of counts) {
    let best: string | null = null;
    let n = 0;
    for (const [store, c] of m) if (c > n || (c === n && best !== null && store < best)) [best, n] = [store, c];
    home.set(customer, best);
  }
  return home;
}

export interface LostAggregate {
  units: number;
  value: number;
  sourceable_units: number;
  sourceable_value: number;
  unsourceable_units: number;
  unsourceable_value: number;
}
const emptyAgg = (): LostAggregate => ({
  units: 0,
  value: 0,
  sourceable_units: 0,
  sourceable_value: 0,
  unsourceable_units: 0,
  unsourceable_value: 0,
});

/** Adds up classified lost sales by a key (null keys are skipped), largest value first. */
export function aggregateLost<T extends LostSaleClass>(
  lines: T[],
  keyOf: (l: T) => string | null,
): { key: string; agg: LostAggregate }[] {
  const by = new Map<string, LostAggregate>();
  for (const l of lines) {
    const k = keyOf(l);
    if (k === null) continue;
    const a = by.get(k) ?? emptyAgg();
    a.units += l.units;
    a.value += l.units * l.unit_price;
    a.sourceable_units += l.sourceable;
    a.sourceable_value += l.sourceable * l.unit_price;
    a.unsourceable_units += l.unsourceable;
    a.unsourceable_value += l.unsourceable * l.unit_price;
    by.set(k, a);
  }
  return [...by.entries()]
    .map(([key, agg]) => ({ key, agg }))
    .sort((a, b) => b.agg.value - a.agg.value || (a.key < b.key ? -1 : 1));
}

/**
 * RFC 4180 CSV (CRLF, header first). A text cell a spreadsheet would run as a formula (=, +, -, @,
 * tab) is prefixed with an apostrophe: product and store names come from users.
 */
export function toCsv(header: string[], rows: (string | number | boolean | null)[][]): string {
  const cell = (v: string | number | boolean | null): string => {
    if (v === null) return '';
    if (typeof v !== 'string') return String(v);
    const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
