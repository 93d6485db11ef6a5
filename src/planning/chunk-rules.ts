/**
 * One chunk of a run (whole SKUs, every store of each) computed in the process from columns: the
 * pure part of the COPY path (chunk-copy.ts). The formulas are run-rules.ts's `planSku` — levels,
 * pooling chain-wide and by region, replenishment by largest remainder — written over typed arrays
 * so that 10 million pairs make no object per pair (planSku makes half a dozen, which cost more than
 * the arithmetic). Replenishment goes through the pure rule itself (a few dozen lines per SKU), and
 * rebalancing is left to the caller from the candidates, as for the SQL path.
 * `chunk-rules.unit.test.ts` proves the same figures as planSku on generated chains. No I/O.
 */
import { roundUp } from './minmax-rules.js';
import { replenishmentProposals } from './replenishment-rules.js';
import type { RunParams } from './run-rules.js';
import type { ReplenishmentProposal } from './types.js';
import type { Candidate, ChunkFigures } from './run-sql.js';

/** A chunk's pairs as read, SKU by SKU: pairs of SKU g are [start[g], start[g + 1]). */
export interface ChunkColumns {
  skus: string[];
  start: Int32Array;
  /** Per pair: the store, an index into `stores`. */
  store: Int32Array;
  observed: Int32Array;
  censored: Int32Array;
  sum: Float64Array;
  sumsq: Float64Array;
  /** Per pair: the SKU's unit cost (minor units; 0 without a variant). */
  cost: Float64Array;
  onHand: Float64Array;
  inTransit: Float64Array;
}

/** The stores a chunk names, by index: ids, delivering warehouse and region (as small numbers). */
export interface ChunkStores {
  ids: string[];
  /** Index into `warehouses`; -1: none (no replenishment). */
  warehouse: Int32Array;
  /** -1: no region (a pool of one). */
  region: Int32Array;
  warehouses: string[];
  /** Each store's place in the byte order of the ids (each SKU's replenishment is numbered in it). */
  rank: Int32Array;
  /** Index of each id. */
  index: Map<string, number>;
}

/**
 * Typed arrays a chunk worker reuses from one chunk to the next, by name: views of buffers kept
 * between chunks (grown as needed). A chunk's arrays are tens of MB; allocated afresh for each of
 * 40 chunks, the collector spent about a tenth of the process's time on them. Without one, every
 * call allocates.
 */
export class Scratch {
  private readonly kept = new Map<string, ArrayBuffer>();

  private bytes(name: string, n: number): ArrayBuffer {
    let b = this.kept.get(name);
    // A tenth more than asked: the next chunk (about the same size) fits without growing again.
    if (!b || b.byteLength < n) this.kept.set(name, (b = new ArrayBuffer(Math.ceil(n * 1.1))));
    return b;
  }

  /** Not zeroed: what the last chunk left. */
  i32(name: string, n: number): Int32Array {
    return new Int32Array(this.bytes(name, n * 4), 0, n);
  }

  f64(name: string, n: number): Float64Array {
    return new Float64Array(this.bytes(name, n * 8), 0, n);
  }

  /** A longer array under the same name, `from`'s values first (the rest not zeroed). */
  grow<T extends Int32Array | Float64Array>(name: string, from: T, n: number): T {
    const b = new ArrayBuffer(n * from.BYTES_PER_ELEMENT);
    this.kept.set(name, b);
    const to = (from instanceof Int32Array ? new Int32Array(b) : new Float64Array(b)) as T;
    to.set(from);
    return to;
  }

  /** Zeroed. */
  u8(name: string, n: number): Uint8Array {
    return new Uint8Array(this.bytes(name, n), 0, n).fill(0);
  }
}

const fresh = {
  i32: (_: string, n: number) => new Int32Array(n),
  f64: (_: string, n: number) => new Float64Array(n),
  u8: (_: string, n: number) => new Uint8Array(n),
};

/** Byte order of two texts (UTF-8, as collate "C" sorts them), without encoding ASCII ones. */
export function byteOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 units order as code points do, except surrogates against U+E000–U+FFFF: encode then.
    if (x >= 0xd800 || y >= 0xd800) return Buffer.compare(Buffer.from(a), Buffer.from(b));
    return x - y;
  }
  return a.length - b.length;
}

/** The ranks and index of `ids` (chunkStores, once per run). */
export function storeOrder(ids: string[]): { rank: Int32Array; index: Map<string, number> } {
  const rank = new Int32Array(ids.length);
  [...ids.keys()].sort((a, b) => byteOrder(ids[a]!, ids[b]!)).forEach((i, r) => (rank[i] = r));
  return { rank, index: new Map(ids.map((id, i) => [id, i])) };
}

export interface ChunkLevelParams extends RunParams {
  z: number;
}

/** Per pair, where `ok` (enough history): the figures written as the pair's result. */
export interface ChunkPlan {
  ok: Uint8Array;
  mean: Float64Array;
  sd: Float64Array;
  safety: Float64Array;
  pooled: Float64Array;
  min: Int32Array;
  max: Int32Array;
  investment: Float64Array;
  /** Warehouse → store, SKUs in byte order and each SKU's stores in byte order (the ids' numbering). */
  replenishment: ReplenishmentProposal[];
  candidates: Candidate[];
  figures: ChunkFigures;
}

/**
 * `warehouseAvailable(sku)`: what each warehouse (by index) can send of the SKU, before max(0, ·).
 */
export function planChunkColumns(
  c: ChunkColumns,
  s: ChunkStores,
  warehouseAvailable: (sku: string) => Map<number, number> | undefined,
  p: ChunkLevelParams,
  scratch: Pick<Scratch, 'i32' | 'f64' | 'u8'> = fresh,
): ChunkPlan {
  const n = c.store.length;
  const T = p.review_days + p.lead_days;
  const sqrtT = Math.sqrt(T);
  const R = p.review_days;
  const k = p.z * Math.sqrt(Math.min(730, T));
  // Only `ok` is read where it was not written (the others are set for every pair it marks).
  const ok = scratch.u8('ok', n);
  const mean = scratch.f64('mean', n);
  const sd = scratch.f64('sd', n);
  const safety = scratch.f64('safety', n);
  const pooled = scratch.f64('pooled', n);
  const min = scratch.i32('min', n);
  const max = scratch.i32('max', n);
  const investment = scratch.f64('investment', n);
  const regionPooled = scratch.f64('regionPooled', n);
  const nStores = s.ids.length;
  // Per store: skus, min, max, investment, safety alone, pooled, saving, region pooled, region saving.
  const acc = new Float64Array(nStores * 9);
  const seen = new Uint8Array(nStores);
  // A SKU's replenishment by store rank: at most one proposal per store, so placed, not sorted.
  const slot: (ReplenishmentProposal | undefined)[] = new Array(nStores);
  // Σ alone and Σ σ² per region for the SKU at hand (regions are small numbers), and the regions it touched.
  const regions = s.region.reduce((m, r) => Math.max(m, r + 1), 0);
  const regionT = new Float64Array(regions);
  const regionV = new Float64Array(regions);
  const touched: number[] = [];
  const figures: ChunkFigures = { stores: [], skus: [], pairs: 0, skipped: 0 };
  const perSku: { sku: string; replenishment: ReplenishmentProposal[] }[] = [];
  const candidates: Candidate[] = [];
  const rebalance = p.transfer_lead_days < T;

  for (let g = 0; g < c.skus.length; g++) {
    const sku = c.skus[g]!;
    const a = c.start[g]!;
    const b = c.start[g + 1]!;
    let t = 0; // Σ alone (kσ), in the pairs' order as poolingSaving sums them
    let v = 0; // Σ σ²
    let pairs = 0;
    let demand = 0;
    for (const rg of touched) regionT[rg] = regionV[rg] = 0;
    touched.length = 0;
    for (let i = a; i < b; i++) {
      const obs = c.observed[i]!;
      if (obs < p.min_observed_days) continue;
      // statsFromSums
      const m = c.sum[i]! / obs;
      const sigma = Math.sqrt(Math.max(0, c.sumsq[i]! - (c.sum[i]! * c.sum[i]!) / obs) / (obs - 1));
      // levels
      const sf = p.z * sigma * sqrtT;
      const rawMin = m * T + sf;
      const lo = roundUp(rawMin);
      ok[i] = 1;
      mean[i] = m;
      sd[i] = sigma;
      safety[i] = sf;
      min[i] = lo;
      max[i] = p.max_rule === 'order_up_to' ? lo : roundUp(rawMin + m * R);
      investment[i] = Math.round((sf + (m * R) / 2) * c.cost[i]!);
      const alone = k * sigma;
      t += alone;
      v += sigma * sigma;
      const rg = s.region[c.store[i]!]!;
      if (rg >= 0) {
        if (regionT[rg] === 0 && regionV[rg] === 0) touched.push(rg);
        regionT[rg] = regionT[rg]! + alone;
        regionV[rg] = regionV[rg]! + sigma * sigma;
      }
      pairs++;
      demand += m;
    }
    figures.pairs += pairs;
    figures.skipped += b - a - pairs;
    figures.skus.push({ sku, demand });
    // poolingSaving: share = k√Σσ² / Σkσ, each store keeping alone × share (chain-wide and per region).
    const share = t === 0 ? 0 : (k * Math.sqrt(v)) / t;
    const lines = [];
    for (let i = a; i < b; i++) {
      if (!ok[i]) continue;
      const st = c.store[i]!;
      const alone = k * sd[i]!;
      pooled[i] = alone * share;
      const rg = s.region[st]!;
      const rt = rg >= 0 ? regionT[rg]! : alone;
      const rv = rg >= 0 ? regionV[rg]! : sd[i]! * sd[i]!;
      regionPooled[i] = alone * (rt === 0 ? 0 : (k * Math.sqrt(rv)) / rt);
      const o = st * 9;
      seen[st] = 1;
      acc[o] = acc[o]! + 1;
      acc[o + 1] = acc[o + 1]! + min[i]!;
      acc[o + 2] = acc[o + 2]! + max[i]!;
      acc[o + 3] = acc[o + 3]! + investment[i]!;
      acc[o + 4] = acc[o + 4]! + safety[i]!;
      acc[o + 5] = acc[o + 5]! + pooled[i]!;
      acc[o + 6] = acc[o + 6]! + (safety[i]! - pooled[i]!) * c.cost[i]!;
      acc[o + 7] = acc[o + 7]! + regionPooled[i]!;
      acc[o + 8] = acc[o + 8]! + (safety[i]! - regionPooled[i]!) * c.cost[i]!;
      const wh = s.warehouse[st]!;
      const onHand = Math.max(0, c.onHand[i]!);
      // Only a store at or below its min gets anything (as planSku filters before the rule).
      if (wh >= 0 && onHand + c.inTransit[i]! <= min[i]!)
        lines.push({
          sku,
          store: s.ids[st]!,
          warehouse: s.warehouses[wh]!,
          min: min[i]!,
          max: max[i]!,
          on_hand: onHand,
          in_transit: c.inTransit[i]!,
        });
    }
    let replenishment: ReplenishmentProposal[] = [];
    if (lines.length > 0) {
      const avail = warehouseAvailable(sku);
      const stock = [...(avail ?? [])].map(([w, x]) => ({
        warehouse: s.warehouses[w]!,
        sku,
        available: Math.max(0, x),
      }));
      const rep = replenishmentProposals(lines, stock);
      replenishment = rep.ok ? rep.value : [];
    }
    if (replenishment.length > 1) {
      const byRank = replenishment.map((x) => s.rank[s.index.get(x.to)!]!);
      for (let j = 0; j < replenishment.length; j++) slot[byRank[j]!] = replenishment[j];
      byRank.sort((x, y) => x - y);
      replenishment = byRank.map((r) => {
        const x = slot[r]!;
        slot[r] = undefined;
        return x;
      });
    }
    perSku.push({ sku, replenishment });
    if (rebalance) candidatesOf(sku, c, s, p, a, b, replenishment, { ok, mean, min, max }, candidates);
  }

  for (let st = 0; st < nStores; st++) {
    if (!seen[st]) continue;
    const o = st * 9;
    figures.stores.push({
      location_id: s.ids[st]!,
      skus: acc[o]!,
      min_units: acc[o + 1]!,
      max_units: acc[o + 2]!,
      investment: acc[o + 3]!,
      safety_alone: acc[o + 4]!,
      safety_pooled: acc[o + 5]!,
      saving_value: acc[o + 6]!,
      safety_region_pooled: acc[o + 7]!,
      region_saving_value: acc[o + 8]!,
    });
  }
  // The SKUs come in the database's order: byte order where its collation is "C" or C.UTF-8.
  let sorted = true;
  for (let g = 1; g < perSku.length && sorted; g++) sorted = byteOrder(perSku[g - 1]!.sku, perSku[g]!.sku) < 0;
  if (!sorted) perSku.sort((x, y) => byteOrder(x.sku, y.sku));
  const replenishment = perSku.flatMap((x) => x.replenishment);
  return { ok, mean, sd, safety, pooled, min, max, investment, replenishment, candidates, figures };
}

/**
 * Donors (a lot or more above max) and receivers (at or below min where the SKU sells, still a lot or
 * more short after the replenishment, counted as in transit) of one SKU, when it has both: the pure
 * rebalancing rule then decides (planSku's filter; the rule itself skips a receiver short of a lot).
 */
function candidatesOf(
  sku: string,
  c: ChunkColumns,
  s: ChunkStores,
  p: ChunkLevelParams,
  a: number,
  b: number,
  replenishment: ReplenishmentProposal[],
  r: { ok: Uint8Array; mean: Float64Array; min: Int32Array; max: Int32Array },
  out: Candidate[],
): void {
  const coming = replenishment.length ? new Map(replenishment.map((x) => [x.to, x.units])) : undefined;
  const found: Candidate[] = [];
  let donors = 0;
  let receivers = 0;
  for (let i = a; i < b; i++) {
    if (!r.ok[i]) continue;
    const onHand = Math.max(0, c.onHand[i]!);
    const store = s.ids[c.store[i]!]!;
    const inTransit = c.inTransit[i]! + (coming?.get(store) ?? 0);
    const donor = onHand - r.max[i]! >= p.min_lot;
    const receiver = r.mean[i]! > 0 && onHand + inTransit <= r.min[i]! && r.max[i]! - (onHand + inTransit) >= p.min_lot;
    if (!donor && !receiver) continue;
    if (donor) donors++;
    if (receiver) receivers++;
    found.push({
      sku,
      store,
      min: r.min[i]!,
      max: r.max[i]!,
      on_hand: onHand,
      in_transit: inTransit,
      mean: r.mean[i]!,
    });
  }
  if (donors > 0 && receivers > 0) out.push(...found);
}
