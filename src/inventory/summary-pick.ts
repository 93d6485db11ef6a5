/**
 * The hot-SKU batcher's candidates picked from availability-summary rows in the process (pure).
 *
 * The batcher plans a batch on, per SKU, the `limit` allowed locations with the most to promise
 * (promise = free − max(safety, channel safety) > 0, ties by location id: the order `topCandidates`
 * reads stock rows in). That pick used to run in PostgreSQL: `unnest` of the row's two 500-slot
 * arrays through a tuplestore, a filter and a sort per SKU — the largest statement of a spread
 * batch (docs/scaling.md, "Spread reservations, sixth session"). Shipping the two arrays as text
 * (`array_to_string`, the availability reads' form) costs PostgreSQL an output call per slot and no
 * executor row; this scans both strings once, in step, without building the arrays.
 */

/** A location's values in a summary row: `free` is on_hand − reserved. */
export interface SlotCandidate {
  location_id: string;
  free: number;
  safety: number;
}

/**
 * Per field of a packed array as read (0-based), the location it holds when the channel may sell
 * from there; undefined for a slot the channel may not use (or no location).
 */
export type FieldLocations = readonly (string | undefined)[];

/** Best first: more to promise, then the smaller location id. */
function better(p: number, loc: string, q: number, other: string): boolean {
  return p > q || (p === q && loc < other);
}

/**
 * The `limit` best candidates of one summary row, best first. `free` and `safety` are the row's
 * arrays packed as `array_to_string(a, ',', '')` (an empty field: no value); a missing free value
 * is no stock row, a missing safety value counts as 0 (SQL `greatest` ignores NULL).
 */
export function pickBest(
  free: string,
  safety: string,
  at: FieldLocations,
  channelSafety: number,
  limit: number,
): SlotCandidate[] {
  if (limit <= 0 || free === '') return [];
  const top: SlotCandidate[] = [];
  const promise: number[] = [];
  // a small limit (the spread case: 1) keeps a sorted list; a large one (a hot SKU) sorts once
  const insertion = limit <= 16;
  const fl = free.length;
  const sl = safety.length;
  let fi = 0;
  let si = 0;
  for (let k = 0; fi <= fl; k++) {
    // one field of each string
    let f = 0;
    let fneg = false;
    const f0 = fi;
    for (let c: number; fi < fl && (c = free.charCodeAt(fi)) !== 44; fi++) {
      if (c === 45) fneg = true;
      else f = f * 10 + (c - 48);
    }
    const fnull = fi === f0;
    fi++;
    let s = 0;
    let sneg = false;
    for (let c: number; si < sl && (c = safety.charCodeAt(si)) !== 44; si++) {
      if (c === 45) sneg = true;
      else s = s * 10 + (c - 48);
    }
    si++;
    const loc = at[k];
    if (fnull || loc === undefined) continue;
    if (fneg) f = -f;
    if (sneg) s = -s;
    const p = f - Math.max(s, channelSafety);
    if (p <= 0) continue;
    if (!insertion) {
      top.push({ location_id: loc, free: f, safety: s });
      promise.push(p);
      continue;
    }
    const n = top.length;
    if (n === limit && !better(p, loc, promise[n - 1]!, top[n - 1]!.location_id)) continue;
    let j = n === limit ? n - 1 : n;
    while (j > 0 && better(p, loc, promise[j - 1]!, top[j - 1]!.location_id)) {
      top[j] = top[j - 1]!;
      promise[j] = promise[j - 1]!;
      j--;
    }
    top[j] = { location_id: loc, free: f, safety: s };
    promise[j] = p;
  }
  if (insertion) return top;
  const ranked = top.map((c, i) => ({ c, p: promise[i]! }));
  ranked.sort((a, b) => b.p - a.p || (a.c.location_id < b.c.location_id ? -1 : 1));
  return ranked.slice(0, limit).map((r) => r.c);
}
