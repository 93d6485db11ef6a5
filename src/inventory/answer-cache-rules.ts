/**
 * Pure rules of the availability answers built from cached summary rows (answer-cache.ts): a
 * channel's view of the network (its locations, their slots and JSON fragments), a SKU's promises
 * from a summary row, their order, and the answer's JSON — the full one, or the total one
 * (`fields=total`: the sum and the count of the locations the full one lists, without the list).
 * The JSON is byte for byte what the route's response schemas (schemas.ts AvailabilitySchema,
 * AvailabilityTotalSchema) make of the objects, so the public answer does not change
 * (answer-cache-rules.unit.test.ts compares with fast-json-stringify). Nothing here reads the
 * database or the clock.
 */
import type { PolicyView } from './rules.js';
import type { Availability } from './types.js';

/** A channel's locations as answers list them, fixed for one network snapshot and slot map. */
export interface AnswerView {
  /** The channel's code, JSON-quoted. */
  channel: string;
  /** The channel's locations, in the service's order (its policy's, or the snapshot's). */
  ids: readonly string[];
  /** Per location: its index in a summary row's arrays (slot − 1). */
  index: Int32Array;
  /** The largest index + 1: how long a row holding every location's slot is. */
  width: number;
  /** Per location: its rank by id (equal promises are listed by id). */
  rank: Int32Array;
  /** Per location: `{"location_id":"…","available":`. */
  heads: readonly string[];
  policy: Pick<PolicyView, 'safety_stock' | 'buffer_pct'>;
}

export function answerView(
  channelCode: string,
  ids: readonly string[],
  slotOf: (id: string) => number,
  policy: Pick<PolicyView, 'safety_stock' | 'buffer_pct'>,
): AnswerView {
  const index = new Int32Array(ids.length);
  const rank = new Int32Array(ids.length);
  const byId = ids.map((id, i) => i).sort((a, b) => cmp(ids[a]!, ids[b]!));
  byId.forEach((i, r) => (rank[i] = r));
  ids.forEach((id, i) => (index[i] = slotOf(id) - 1));
  return {
    channel: JSON.stringify(channelCode),
    ids,
    index,
    width: index.reduce((m, x) => Math.max(m, x + 1), 0),
    rank,
    heads: ids.map((id) => `{"location_id":${JSON.stringify(id)},"available":`),
    policy: { safety_stock: policy.safety_stock, buffer_pct: policy.buffer_pct },
  };
}

/** The view's locations near a point, nearest first (ties by id), with their distances as answered. */
export interface PointOrder {
  /** view positions, in answer order */
  at: Int32Array;
  /** per entry of `at`: the distance rounded to 0.01 km */
  km: Float64Array;
  /** per entry of `at`: `,"distance_km":12.34}` */
  tails: readonly string[];
}

/** `dist[i]`: the exact distance of the view's location i; `radius`: keep only those within it. */
export function pointOrder(view: AnswerView, dist: Float64Array, radius: number | undefined): PointOrder {
  const keep: number[] = [];
  for (let i = 0; i < view.ids.length; i++) if (radius === undefined || dist[i]! <= radius) keep.push(i);
  const km = (i: number) => Math.round(dist[i]! * 100) / 100;
  keep.sort((a, b) => km(a) - km(b) || cmp(view.ids[a]!, view.ids[b]!));
  return {
    at: Int32Array.from(keep),
    km: Float64Array.from(keep, km),
    tails: keep.map((i) => `,"distance_km":${JSON.stringify(km(i))}}`),
  };
}

/**
 * What the channel may promise from one slot: `summaryAtp(free, safety, policy)` (rules.ts `atp` on
 * on_hand − reserved and the safety stock), inlined to make no object per location.
 */
function promise(free: number, safety: number, safetyStock: number, keep: number): number {
  const raw = free - (safety > safetyStock ? safety : safetyStock);
  return raw <= 0 ? 0 : Math.floor((raw * keep) / 100);
}

/** One SKU's promises in answer order: `n` locations (view positions `at`, amounts `available`). */
export interface Promised {
  sum: number;
  n: number;
  at: Int32Array;
  available: Int32Array;
}

/**
 * From a summary row (`free`, `safety` indexed by slot − 1; a missing or zero free slot promises
 * nothing, as `promisesOf`): every location of the view with something to promise, most first, equal
 * ones by id — or, with `point`, in the point's order.
 */
export function promised(view: AnswerView, free: Int32Array, safety: Int32Array, point?: PointOrder): Promised {
  const { safety_stock, buffer_pct } = view.policy;
  const keep = 100 - buffer_pct;
  const len = point ? point.at.length : view.ids.length;
  const at = new Int32Array(len);
  const available = new Int32Array(len);
  let n = 0;
  let sum = 0;
  for (let k = 0; k < len; k++) {
    const i = point ? point.at[k]! : k;
    const s = view.index[i]!;
    const f = s < free.length ? free[s]! : 0;
    if (f === 0) continue;
    const a = promise(f, s < safety.length ? safety[s]! : 0, safety_stock, keep);
    if (a <= 0) continue;
    at[n] = point ? k : i; // with a point: the entry of its order (for the distance)
    available[n++] = a;
    sum += a;
  }
  if (!point && n > 1) {
    // Most first, then by id: one numeric key per location, sorted natively (no comparator, no objects).
    const size = view.ids.length;
    const keys = new Float64Array(n);
    for (let k = 0; k < n; k++) keys[k] = (2 ** 31 - available[k]!) * size + view.rank[at[k]!]!;
    keys.sort();
    const byRank = new Int32Array(size);
    for (let i = 0; i < size; i++) byRank[view.rank[i]!] = i;
    for (let k = 0; k < n; k++) {
      const key = keys[k]!;
      const r = key % size;
      at[k] = byRank[r]!;
      available[k] = 2 ** 31 - (key - r) / size;
    }
  }
  return { sum, n, at, available };
}

/** A SKU's total answer (`fields=total`): the full answer without `locations`, and how many it lists. */
export interface AvailabilityTotal {
  sku: string;
  channel: string;
  available: number;
  location_count: number;
}

/**
 * `promised`'s sum and count without the list: the same locations (the view's, or the point's within
 * its radius) and the same `promise` per slot, but no arrays and no order, since a sum and a count do
 * not depend on either.
 */
export function promisedTotal(
  view: AnswerView,
  free: Int32Array,
  safety: Int32Array,
  point?: PointOrder,
): { sum: number; n: number } {
  const { safety_stock, buffer_pct } = view.policy;
  const keep = 100 - buffer_pct;
  const len = point ? point.at.length : view.ids.length;
  let n = 0;
  let sum = 0;
  for (let k = 0; k < len; k++) {
    const s = view.index[point ? point.at[k]! : k]!;
    const f = s < free.length ? free[s]! : 0;
    if (f === 0) continue;
    const a = promise(f, s < safety.length ? safety[s]! : 0, safety_stock, keep);
    if (a <= 0) continue;
    n++;
    sum += a;
  }
  return { sum, n };
}

/** The total answer of one SKU as JSON (AvailabilityTotalSchema's order and formatting). */
export function totalJson(sku: string, view: AnswerView, t: { sum: number; n: number }): string {
  return `{"sku":${JSON.stringify(sku)},"channel":${view.channel},"available":${t.sum},"location_count":${t.n}}`;
}

/** The total answer of a full one (the paths that read no held row make full answers). */
export function totalOf(a: Availability): AvailabilityTotal {
  return { sku: a.sku, channel: a.channel, available: a.available, location_count: a.locations.length };
}

/** The answer of one SKU as JSON (AvailabilitySchema's order and formatting). */
export function answerJson(sku: string, view: AnswerView, p: Promised, point?: PointOrder): string {
  let out = `{"sku":${JSON.stringify(sku)},"channel":${view.channel},"available":${p.sum},"locations":[`;
  for (let k = 0; k < p.n; k++) {
    const e = p.at[k]!;
    out += `${k ? ',' : ''}${view.heads[point ? point.at[e]! : e]}${p.available[k]}`;
    out += point ? point.tails[e] : ',"distance_km":null}';
  }
  return `${out}]}`;
}

/** The same answer as objects, for callers in the process (carts, feeds, the lookup). */
export function answerObject(
  sku: string,
  channelCode: string,
  view: AnswerView,
  p: Promised,
  point?: PointOrder,
): Availability {
  const locations = [];
  for (let k = 0; k < p.n; k++) {
    const e = p.at[k]!;
    locations.push({
      location_id: view.ids[point ? point.at[e]! : e]!,
      available: p.available[k]!,
      distance_km: point ? point.km[e]! : null,
    });
  }
  return { sku, channel: channelCode, available: p.sum, locations };
}

/**
 * A summary array as shipped (`array_to_string(a, ',', '')`) into integers, an empty field (a NULL
 * slot: no stock row) read as 0, which promises nothing either. No intermediate strings.
 */
export function unpackInts(packed: string): Int32Array {
  if (packed === '') return new Int32Array(0);
  let count = 1;
  for (let i = 0; i < packed.length; i++) if (packed.charCodeAt(i) === 44) count++;
  const out = new Int32Array(count);
  let k = 0;
  let v = 0;
  let neg = false;
  for (let i = 0; i <= packed.length; i++) {
    const c = i < packed.length ? packed.charCodeAt(i) : 44;
    if (c === 44) {
      out[k++] = neg ? -v : v;
      v = 0;
      neg = false;
    } else if (c === 45) neg = true;
    else v = v * 10 + (c - 48);
  }
  return out;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
