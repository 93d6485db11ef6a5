/** Pure shaping of planning results for the console: the min/max grid, the pooling chart, the run form. */

export interface ResultLine {
  sku: string;
  location_id: string;
  size: string | null;
  min_qty: number;
  max_qty: number;
  investment: number;
  censored_days: number;
}

export interface GridRow {
  sku: string;
  size: string | null;
  cells: Record<string, { min: number; max: number; censored: number } | undefined>;
}

export interface Grid {
  stores: { id: string; name: string }[];
  rows: GridRow[];
  /** Investment at cost per store column, over the lines shown. */
  investment: Record<string, number>;
}

/** Lines (store, SKU) → a grid of SKU (size) rows × store columns; stores named, in name order. */
export function buildGrid(lines: ResultLine[], names: Map<string, string>): Grid {
  const storeIds = [...new Set(lines.map((l) => l.location_id))];
  const stores = storeIds
    .map((id) => ({ id, name: names.get(id) ?? id }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const bySku = new Map<string, GridRow>();
  const investment: Record<string, number> = {};
  for (const l of lines) {
    const row = bySku.get(l.sku) ?? { sku: l.sku, size: l.size, cells: {} };
    row.cells[l.location_id] = { min: l.min_qty, max: l.max_qty, censored: l.censored_days };
    bySku.set(l.sku, row);
    investment[l.location_id] = (investment[l.location_id] ?? 0) + l.investment;
  }
  const rows = [...bySku.values()].sort((a, b) => a.sku.localeCompare(b.sku));
  return { stores, rows, investment };
}

export interface StoreFigures {
  location_id: string;
  safety_alone: number;
  safety_pooled: number;
  safety_saving_value: number;
  investment: number;
  /** The store's share of its region's pool; null/absent on runs made before pooling by region. */
  safety_region_pooled?: number | null;
}

export interface SavingBar {
  name: string;
  alone: number;
  pooled: number;
  /** Pooled within the store's region only (null: not computed for the run). */
  region_pooled: number | null;
  saving_value: number;
}

/** The pooling chart's bars: each store's safety stock alone and pooled, largest saving first. */
export function savingBars(stores: StoreFigures[], names: Map<string, string>, top = 20): SavingBar[] {
  return stores
    .map((s) => ({
      name: names.get(s.location_id) ?? s.location_id,
      alone: Math.round(s.safety_alone * 10) / 10,
      pooled: Math.round(s.safety_pooled * 10) / 10,
      region_pooled:
        s.safety_region_pooled === null || s.safety_region_pooled === undefined
          ? null
          : Math.round(s.safety_region_pooled * 10) / 10,
      saving_value: s.safety_saving_value,
    }))
    .sort((a, b) => b.saving_value - a.saving_value || a.name.localeCompare(b.name))
    .slice(0, top);
}

export interface RunForm {
  service_level?: number;
  review_days?: number;
  lead_days?: number;
  history_days?: number;
  max_rule?: 'order_up_to' | 'min_plus_review';
}

/**
 * The run form's fields as the API's body: a service level typed as a percentage (95) is sent as
 * 0.95; an empty field is left out (the API's default); anything else goes as typed, for the API to
 * judge (a bad figure comes back as a field error, never silently fixed here).
 */
export function runBody(f: Record<string, string>): RunForm {
  const out: RunForm = {};
  const n = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : Number(v.replace(',', '.')));
  const sl = n(f.service_level);
  if (sl !== undefined) out.service_level = sl > 1 ? sl / 100 : sl;
  const r = n(f.review_days);
  if (r !== undefined) out.review_days = r;
  const l = n(f.lead_days);
  if (l !== undefined) out.lead_days = l;
  const h = n(f.history_days);
  if (h !== undefined) out.history_days = h;
  if (f.max_rule === 'order_up_to' || f.max_rule === 'min_plus_review') out.max_rule = f.max_rule;
  return out;
}
