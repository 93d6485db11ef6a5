/**
 * The pooling saving: stores that back each other up need less safety stock for the same service
 * level. Safety stock for one location is zσ√T; for the pool it is z·σ_pool·√T with
 * σ_pool² = ΣᵢΣⱼ ρᵢⱼσᵢσⱼ. With n identical independent stores σ_pool = σ√n, so the pool needs
 * zσ√T·√n instead of n·zσ√T — the square-root law (Maister 1976). With perfectly correlated stores
 * (ρ = 1) there is no saving.
 */
import { inverseNormalCdf } from './normal.js';
import type { PoolingInput, PoolingResult, Result } from './types.js';
import { badInt, badNumber, badServiceLevel, fail, firstError, ok } from './validate.js';

export function pooledSd(sds: number[], correlation?: number[][]): number {
  let variance = 0;
  // Independent stores: Σσᵢ², linear (the double loop is n² — 250,000 terms per SKU for 500 stores).
  if (!correlation) return Math.sqrt(sds.reduce((s, x) => s + x * x, 0));
  for (let i = 0; i < sds.length; i++) {
    for (let j = 0; j < sds.length; j++) {
      const rho = i === j ? 1 : (correlation?.[i]?.[j] ?? 0);
      variance += rho * sds[i]! * sds[j]!;
    }
  }
  // A valid correlation matrix keeps this ≥ 0; max() only absorbs float noise around 0.
  return Math.sqrt(Math.max(0, variance));
}

function badCorrelation(n: number, m: number[][] | undefined): string | null {
  if (m === undefined) return null;
  if (m.length !== n || m.some((row) => row.length !== n)) return `correlation must be ${n}×${n}`;
  for (let i = 0; i < n; i++) {
    if (m[i]![i] !== 1) return 'correlation must have 1 on its diagonal';
    for (let j = 0; j < n; j++) {
      const v = m[i]![j]!;
      if (!Number.isFinite(v) || v < -1 || v > 1) return 'correlation entries must be in [-1, 1]';
      if (v !== m[j]![i]) return 'correlation must be symmetric';
    }
  }
  return null;
}

export function poolingSaving(input: PoolingInput): Result<PoolingResult> {
  const bad = firstError<PoolingResult>(
    badServiceLevel('service_level', input.service_level),
    badInt('horizon_days', input.horizon_days, 1, 730),
    ...input.stores.map((s, i) => badNumber(`stores[${i}].sd`, s.sd, 0)),
  );
  if (bad) return bad;
  if (input.stores.length === 0) return fail('stores', 'at least one store is needed');
  const corrErr = badCorrelation(input.stores.length, input.correlation);
  if (corrErr) return fail('correlation', corrErr);
  const k = inverseNormalCdf(input.service_level) * Math.sqrt(input.horizon_days);
  const alone = input.stores.map((s) => k * s.sd);
  const totalAlone = alone.reduce((a, b) => a + b, 0);
  const totalPooled =
    k *
    pooledSd(
      input.stores.map((s) => s.sd),
      input.correlation,
    );
  // Each store keeps the pool's safety stock in proportion to what it would need alone: the
  // allocation that leaves every store the same relative saving.
  const share = totalAlone === 0 ? 0 : totalPooled / totalAlone;
  return ok({
    stores: input.stores.map((s, i) => ({
      id: s.id,
      alone: alone[i]!,
      pooled: alone[i]! * share,
      saving: alone[i]! * (1 - share),
    })),
    total_alone: totalAlone,
    total_pooled: totalPooled,
    saving: totalAlone - totalPooled,
    ratio: totalPooled === 0 ? 1 : totalAlone / totalPooled,
  });
}
