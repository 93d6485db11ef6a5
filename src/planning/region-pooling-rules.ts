/**
 * The pooling saving per region: stores back each other up only within their region (a transfer
 * there arrives within 24 hours; across the chain it may not), so each region is a pool of its own
 * and the square-root law applies region by region. A chain of m regions of n identical independent
 * stores needs m·zσ√(nT) of safety stock pooled by region: between the stores alone (m·n·zσ√T) and
 * the whole chain pooled (zσ√(m·n·T)). A store without a region is a pool of one: no saving is
 * claimed for a backup nobody declared.
 */
import { poolingSaving } from './pooling-rules.js';
import type { PoolingStore, Result } from './types.js';
import { fail, ok } from './validate.js';

export interface RegionPoolingInput {
  stores: (PoolingStore & { region: string | null })[];
  service_level: number;
  /** Protection horizon in days (R + L). */
  horizon_days: number;
}

export interface RegionFigures {
  /** null: the stores without a region (each a pool of one), together. */
  region: string | null;
  stores: number;
  /** Σ zσᵢ√T of the region's stores. */
  alone: number;
  /** Σ over its pools of z·√(Σσᵢ²)·√T. */
  pooled: number;
  saving: number;
  /** alone / pooled: √n for n identical independent stores; 1 without a saving. */
  ratio: number;
}

export interface RegionPoolingResult {
  /** Per store (input order): alone and its share of its region's pooled safety stock. */
  stores: { id: string; region: string | null; alone: number; pooled: number }[];
  /** Per region, in order of first appearance. */
  regions: RegionFigures[];
}

export function regionPooling(input: RegionPoolingInput): Result<RegionPoolingResult> {
  if (input.stores.length === 0) return fail('stores', 'at least one store is needed');
  for (const [i, s] of input.stores.entries())
    if (s.region !== null && (typeof s.region !== 'string' || s.region.length === 0))
      return fail(`stores[${i}].region`, 'a region is a non-empty name or null');
  // A pool per region; a store without one is its own pool (keyed apart from any region's name).
  const pools = new Map<string, number[]>();
  input.stores.forEach((s, i) => {
    const key = s.region === null ? `\u0000${i}` : `r${s.region}`;
    pools.set(key, [...(pools.get(key) ?? []), i]);
  });
  const stores = input.stores.map((s) => ({ id: s.id, region: s.region, alone: 0, pooled: 0 }));
  for (const idx of pools.values()) {
    const r = poolingSaving({
      stores: idx.map((i) => input.stores[i]!),
      service_level: input.service_level,
      horizon_days: input.horizon_days,
    });
    if (!r.ok) {
      // poolingSaving names the store by its place in the pool: name it by its place in the input.
      const m = /^stores\[(\d+)\](.*)$/.exec(r.error.field);
      const field = m ? `stores[${idx[Number(m[1])]}]${m[2]}` : r.error.field;
      return { ok: false, error: { ...r.error, field } };
    }
    r.value.stores.forEach((x, j) => {
      stores[idx[j]!]!.alone = x.alone;
      stores[idx[j]!]!.pooled = x.pooled;
    });
  }
  const regions = new Map<string | null, RegionFigures>();
  for (const s of stores) {
    const g = regions.get(s.region) ?? { region: s.region, stores: 0, alone: 0, pooled: 0, saving: 0, ratio: 1 };
    g.stores += 1;
    g.alone += s.alone;
    g.pooled += s.pooled;
    regions.set(s.region, g);
  }
  for (const g of regions.values()) {
    g.saving = g.alone - g.pooled;
    g.ratio = g.pooled === 0 ? 1 : g.alone / g.pooled;
  }
  return ok({ stores, regions: [...regions.values()] });
}
