/** The sourcing explanation as rows for a table. Pure; tolerant of older decisions' shapes. */

export interface CandidateRow {
  location_id: string;
  distance_km: number | null;
  days: number | null;
  package_cost: number | null;
  covers: number | null;
  whole_order_cost: number | null;
  chosen: boolean;
}

export interface Explained {
  candidates: CandidateRow[];
  excluded: { reason: string; count: number }[];
  reason: string;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function explainDecision(decision: {
  explanation: Record<string, unknown>;
  allocations: Record<string, unknown>[];
}): Explained {
  const chosen = new Set(decision.allocations.map((a) => String(a.location_id)));
  const e = decision.explanation;
  const cands = Array.isArray(e.candidates) ? (e.candidates as Record<string, unknown>[]) : [];
  const candidates = cands.map((c) => ({
    location_id: String(c.location_id),
    distance_km: num(c.distance_km),
    days: num(c.days),
    package_cost: num(c.package_cost),
    covers: num(c.covers),
    whole_order_cost: num(c.whole_order_cost),
    chosen: chosen.has(String(c.location_id)),
  }));
  // Winners first, then the cheapest whole-order options; a location that cannot supply it all last.
  candidates.sort(
    (a, b) =>
      Number(b.chosen) - Number(a.chosen) ||
      (a.whole_order_cost ?? Infinity) - (b.whole_order_cost ?? Infinity) ||
      (a.distance_km ?? Infinity) - (b.distance_km ?? Infinity),
  );
  const ex = e.excluded && typeof e.excluded === 'object' ? (e.excluded as Record<string, unknown>) : {};
  const excluded = Object.entries(ex)
    .map(([reason, count]) => ({ reason, count: num(count) ?? 0 }))
    .filter((x) => x.count > 0);
  return { candidates, excluded, reason: typeof e.reason === 'string' ? e.reason : '' };
}
