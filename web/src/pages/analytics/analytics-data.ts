/**
 * Pure shaping of the analytics reports for the pages and their charts: default window, stacked
 * shares over time, the band chart with the break-even threshold, the store × size heat map.
 */

export const SEGMENTS = ['online_only', 'store_only', 'omnichannel'] as const;
export type SegmentKey = (typeof SEGMENTS)[number];

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The reports' default window: the last 183 days up to today included ([from, to) with to = tomorrow). */
export function defaultWindow(nowMs: number): { from: string; to: string } {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  return { from: iso(today + DAY_MS - 183 * DAY_MS), to: iso(today + DAY_MS) };
}

export interface GroupLite {
  key: string;
  name: string;
  customers: number;
  segments: Record<SegmentKey, { share: number; customers: number }>;
}

/** Stacked shares: one category per group, one series per segment (shares in %, one decimal). */
export function stackedShares(groups: GroupLite[]): {
  categories: string[];
  series: { segment: SegmentKey; data: number[] }[];
} {
  return {
    categories: groups.map((g) => g.name),
    series: SEGMENTS.map((segment) => ({
      segment,
      data: groups.map((g) => Math.round(g.segments[segment].share * 1000) / 10),
    })),
  };
}

/** "2500-4999" → [2500, 4999]; "15000+" → [15000, null]. */
export function bandBounds(band: string): [number, number | null] {
  if (band.endsWith('+')) return [Number(band.slice(0, -1)), null];
  const [lo, hi] = band.split('-');
  return [Number(lo), Number(hi)];
}

/** The index of the band holding `threshold` (the break-even mark on a band axis); -1 when none. */
export function bandOf(bands: string[], threshold: number | null): number {
  if (threshold === null) return -1;
  return bands.findIndex((b) => {
    const [lo, hi] = bandBounds(b);
    return threshold >= lo && (hi === null || threshold <= hi);
  });
}

/** A band's label in money: "€25.00–€49.99", "€150.00+" (the formatter decides the currency's look). */
export function bandLabel(band: string, money: (minor: number) => string): string {
  const [lo, hi] = bandBounds(band);
  return hi === null ? `${money(lo)}+` : `${money(lo)}–${money(hi)}`;
}

/** Sizes in the order a shop floor reads them: letters by the alpha curve, then numbers, then the rest. */
const ALPHA = ['XXS', 'XS', 'S', 'M', 'L', 'XL', 'XXL', 'XXXL'];
export function sizeOrder(a: string, b: string): number {
  const rank = (s: string): [number, number, string] => {
    const i = ALPHA.indexOf(s.toUpperCase());
    if (i >= 0) return [0, i, s];
    const n = parseFloat(s);
    return Number.isFinite(n) ? [1, n, s] : [2, 0, s];
  };
  const [ga, na, sa] = rank(a);
  const [gb, nb, sb] = rank(b);
  return ga - gb || na - nb || sa.localeCompare(sb);
}

export interface GridCell {
  location_id: string;
  name: string;
  size: string;
  units: number;
  value: number;
}

/**
 * The heat map's axes and cells: stores by lost value (largest first, at most `maxStores`), sizes in
 * shop order; each cell [size index, store index, value]. Stores past the cut are summed in no row.
 */
export function heatGrid(
  grid: GridCell[],
  maxStores = 25,
): { stores: string[]; sizes: string[]; cells: [number, number, number][]; max: number } {
  const byStore = new Map<string, { name: string; value: number }>();
  for (const c of grid) {
    const s = byStore.get(c.location_id) ?? { name: c.name, value: 0 };
    s.value += c.value;
    byStore.set(c.location_id, s);
  }
  const stores = [...byStore.entries()]
    .sort((a, b) => b[1].value - a[1].value || a[1].name.localeCompare(b[1].name))
    .slice(0, maxStores);
  const storeIndex = new Map(stores.map(([id], i) => [id, i]));
  const sizes = [...new Set(grid.map((c) => c.size))].sort(sizeOrder);
  const sizeIndex = new Map(sizes.map((s, i) => [s, i]));
  const cells: [number, number, number][] = [];
  let max = 0;
  for (const c of grid) {
    const y = storeIndex.get(c.location_id);
    if (y === undefined) continue;
    cells.push([sizeIndex.get(c.size)!, y, c.value]);
    max = Math.max(max, c.value);
  }
  return { stores: stores.map(([, s]) => s.name), sizes, cells, max };
}

/** Percent input ("55", "55,5") → number, or null when it is not one (the API judges the range). */
export function parsePercent(raw: string): number | null {
  const s = raw.trim().replace(',', '.');
  return /^\d+(\.\d+)?$/.test(s) ? Number(s) : null;
}

/** Money input in major units ("50", "49,95") → minor units, or null when it is not an amount. */
export function parseMajor(raw: string, digits = 2): number | null {
  const s = raw.trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(s)) return null;
  const [int, frac = ''] = s.split('.');
  if (frac.length > digits) return null;
  return Number(int) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
}
