/**
 * Availability answers read through the stock summary as before the answer cache (answer-cache.ts):
 * inside a transaction (its reads may see its own uncommitted rows, so nothing is held), or while a
 * location of the channel has no slot yet. Full answers; a total answer is made from them (totalOf).
 */
import type { Executor } from '../platform/db/schema.js';
import type { ReadRouter } from '../platform/db/replica.js';
import { distanceKm, type Channel, type NetworkSnapshot } from '../network/index.js';
import type { AtpSummaryReader } from './atp-summary.js';
import { policyOf, stockHolding, type SkuCheck } from './shared.js';
import type { Availability, AvailabilityQuery } from './types.js';

export interface UncachedDeps {
  skus: SkuCheck;
  atp: AtpSummaryReader;
  reads: () => ReadRouter | undefined;
}

/** The summary read as before, nothing held. */
export async function uncachedAnswers(
  deps: UncachedDeps,
  channel: Channel,
  snap: NetworkSnapshot,
  q: AvailabilityQuery,
  skus: string[],
  opts: { trx?: Executor | undefined; lagOk?: { key?: string | undefined; writtenAt?: Date | undefined } | undefined },
): Promise<Availability[]> {
  const policy = policyOf(channel);
  let locs =
    policy.locations === 'all'
      ? stockHolding(snap)
      : policy.locations.filter((id) => snap.locationById.get(id)?.active);
  const near = q.lat !== undefined && q.lng !== undefined;
  const dist = new Map<string, number>();
  if (near) {
    for (const id of locs) {
      const l = snap.locationById.get(id)!;
      dist.set(id, distanceKm(q.lat!, q.lng!, l.lat, l.lng));
    }
    if (q.radius_km !== undefined) locs = locs.filter((id) => dist.get(id)! <= q.radius_km!);
  }
  const router = !opts.trx && opts.lagOk ? deps.reads() : undefined;
  const read = locs.length
    ? await deps.atp.promises(skus, locs, policy, opts.trx, router ? await router.reader(opts.lagOk) : undefined)
    : { found: new Set<string>(), bySku: new Map<string, { location_id: string; available: number }[]>() };
  const missing = skus.filter((s) => !read.found.has(s));
  if (missing.length) await deps.skus.require(missing, opts.trx);
  return skus.map((sku) => {
    const locations = (read.bySku.get(sku) ?? [])
      .map((l) => ({
        location_id: l.location_id,
        available: l.available,
        distance_km: near ? Math.round(dist.get(l.location_id)! * 100) / 100 : null,
      }))
      .sort(
        (a, b) =>
          (near ? a.distance_km! - b.distance_km! : b.available - a.available) ||
          (a.location_id < b.location_id ? -1 : 1),
      );
    return { sku, channel: channel.code, available: locations.reduce((s, l) => s + l.available, 0), locations };
  });
}
