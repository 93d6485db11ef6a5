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

/** Why the winner won, as the API's code and figures (translated by the page); null for older decisions. */
export interface ReasonCode {
  code: string;
  locations: string[];
  cost: number | null;
  rival: string | null;
  rival_cost: number | null;
  unsourced: number;
}

export interface Explained {
  candidates: CandidateRow[];
  excluded: { reason: string; count: number }[];
  /** The server's English sentence: shown only when there is no code (decisions made before codes). */
  reason: string;
  why: ReasonCode | null;
}

export const REASON_CODES = ['no_candidate', 'single_cheapest', 'single_only', 'split_cheaper', 'split_no_single'];

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
  const p = e.reason_params && typeof e.reason_params === 'object' ? (e.reason_params as Record<string, unknown>) : {};
  const why =
    typeof e.reason_code === 'string' && REASON_CODES.includes(e.reason_code)
      ? {
          code: e.reason_code,
          locations: Array.isArray(p.locations) ? p.locations.map(String) : [],
          cost: num(p.cost),
          rival: typeof p.rival_location_id === 'string' ? p.rival_location_id : null,
          rival_cost: num(p.rival_cost),
          unsourced: num(p.unsourced) ?? 0,
        }
      : null;
  return { candidates, excluded, reason: typeof e.reason === 'string' ? e.reason : '', why };
}
