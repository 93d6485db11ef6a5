/**
 * Turns the optimiser's plans into decisions keyed by the caller's ids, each with its explanation:
 * the candidates (distance, delivery days, package cost, what they could cover and what the whole
 * order would cost there), how many locations each rule excluded, and why the winner won.
 */
import {
  buildModel,
  type ExclusionReason,
  type SourcingLocation,
  type SourcingOrderInput,
  type StockLevel,
} from './candidates.js';
import { slotCost, type BatchModel, type CostParams, type ModelOrder, type OrderPlan } from './model.js';
import { solveBatch, type SolveOptions } from './optimiser.js';

export interface Allocation {
  location_id: string;
  /** Input line index and units. */
  lines: { line_index: number; sku: string; quantity: number }[];
  package_cost: number;
  distance_km: number;
  days: number;
}

export interface CandidateExplanation {
  location_id: string;
  distance_km: number;
  days: number;
  package_cost: number;
  /** Lines this location could supply whole. */
  covers: number;
  /** Cost of the whole order from this location alone, null when it cannot supply it all. */
  whole_order_cost: number | null;
}

export interface SourcingDecision {
  order_id: string;
  allocations: Allocation[];
  unsourced: { line_index: number; sku: string; quantity: number }[];
  /** The plan's cost, marginal to the rest of its batch (minor units). */
  cost: number;
  explanation: {
    candidates: CandidateExplanation[];
    excluded: Partial<Record<ExclusionReason, number>>;
    /** English sentence, kept for clients that show it; `reason_code` and `reason_params` say the same. */
    reason: string;
    reason_code?: ReasonCode;
    reason_params?: Reason['params'];
  };
}

const SHOWN_CANDIDATES = 8;

function wholeOrderCost(model: BatchModel, o: ModelOrder, c: number): { covers: number; cost: number | null } {
  const L = o.lines.length;
  let covers = 0;
  let cost = o.fixed[c]! - model.params.splitPenalty;
  for (let l = 0; l < L; l++) {
    const s = o.slot[c * L + l]!;
    if (s >= 0 && model.slotStock[s]! >= o.lines[l]!.qty) {
      covers++;
      cost += slotCost(model, s, 0, o.lines[l]!.qty);
    }
  }
  return { covers, cost: covers === L ? cost : null };
}

/**
 * Why the winner won, as a stable code with its figures (the console translates it; an API client
 * can too) and, for clients that read it already, the same in an English sentence.
 */
export type ReasonCode = 'no_candidate' | 'single_cheapest' | 'single_only' | 'split_cheaper' | 'split_no_single';

export interface Reason {
  code: ReasonCode;
  params: {
    locations: string[];
    cost: number;
    rival_location_id?: string;
    rival_cost?: number;
    /** Lines that could not be sourced anywhere. */
    unsourced: number;
  };
  text: string;
}

export function reasonOf(model: BatchModel, plan: OrderPlan, cands: CandidateExplanation[], cost: number): Reason {
  const unsourced = plan.unsourced.length;
  if (plan.parts.length === 0)
    return {
      code: 'no_candidate',
      params: { locations: [], cost, unsourced },
      text: 'no candidate location has the stock within the promise and the channel policy',
    };
  const chosen = plan.parts.map((p) => model.locIds[p.loc]!);
  const rival = cands.find(
    (c) => c.whole_order_cost !== null && !(plan.parts.length === 1 && c.location_id === chosen[0]),
  );
  const rivalParams = rival ? { rival_location_id: rival.location_id, rival_cost: rival.whole_order_cost! } : {};
  const params = { locations: chosen, cost, unsourced, ...rivalParams };
  const short = unsourced ? `; ${unsourced} line(s) could not be sourced anywhere` : '';
  if (plan.parts.length === 1) {
    const vs = rival
      ? `; next single-location option ${rival.location_id} costs ${rival.whole_order_cost}`
      : '; no other location could supply it all';
    return {
      code: rival ? 'single_cheapest' : 'single_only',
      params,
      text: `${chosen[0]} supplies the order at the lowest cost (${cost})${vs}${short}`,
    };
  }
  const vs = rival
    ? `the best single location ${rival.location_id} would cost ${rival.whole_order_cost} (or lacks capacity or stock once the batch is shared)`
    : 'no single location had every line';
  return {
    code: rival ? 'split_cheaper' : 'split_no_single',
    params,
    text: `split over ${chosen.join(', ')} at ${cost}: ${vs}${short}`,
  };
}

export interface SourceResult {
  decisions: SourcingDecision[];
  /** Total batch cost (the objective). */
  cost: number;
  model: BatchModel;
}

/** Narrow, optimise and explain one batch of orders. Pure. */
export function sourceBatch(
  params: CostParams,
  locations: readonly SourcingLocation[],
  stock: readonly StockLevel[],
  orders: readonly SourcingOrderInput[],
  opts: SolveOptions & { explain?: boolean } = {},
): SourceResult {
  const { model, narrowing } = buildModel(params, locations, stock, orders);
  const sol = solveBatch(model, opts);
  const decisions = model.orders.map((o, i): SourcingDecision => {
    const plan = sol.plans[i]!;
    const nar = narrowing[i]!;
    const input = orders[i]!;
    // A model line may stand for several input lines of the same SKU: hand its units back in order.
    const spread = (l: number, qty: number) => {
      const out: { line_index: number; sku: string; quantity: number }[] = [];
      const idxs = nar.lineMap[l]!;
      let left = qty;
      for (const li of idxs) {
        if (left <= 0) break;
        const q = idxs.length === 1 ? left : Math.min(left, input.lines[li]!.quantity);
        out.push({ line_index: li, sku: input.lines[li]!.sku, quantity: q });
        left -= q;
      }
      return out;
    };
    const allocations = plan.parts.map((p) => {
      const c = o.cands.indexOf(p.loc);
      return {
        location_id: model.locIds[p.loc]!,
        lines: p.take.flatMap(([l, q]) => spread(l, q)),
        package_cost: o.fixed[c]!,
        distance_km: Math.round(nar.distanceKm[c]! * 10) / 10,
        days: nar.days[c]!,
      };
    });
    let candidates: CandidateExplanation[] = [];
    if (opts.explain !== false) {
      candidates = [...o.cands].map((j, c) => {
        const w = wholeOrderCost(model, o, c);
        return {
          location_id: model.locIds[j]!,
          distance_km: Math.round(nar.distanceKm[c]! * 10) / 10,
          days: nar.days[c]!,
          package_cost: o.fixed[c]!,
          covers: w.covers,
          whole_order_cost: w.cost,
        };
      });
      candidates.sort(
        (a, b) =>
          b.covers - a.covers || (a.whole_order_cost ?? a.package_cost) - (b.whole_order_cost ?? b.package_cost),
      );
      candidates = candidates.slice(0, SHOWN_CANDIDATES);
    }
    const cost = Math.round(sol.orderCost[i]! - params.splitPenalty);
    const why = opts.explain === false ? null : reasonOf(model, plan, candidates, cost);
    return {
      order_id: o.id,
      allocations,
      unsourced: plan.unsourced.flatMap(([l, q]) => spread(l, q)),
      cost,
      explanation: {
        candidates,
        excluded: nar.excluded,
        reason: why?.text ?? '',
        ...(why ? { reason_code: why.code, reason_params: why.params } : {}),
      },
    };
  });
  return { decisions, cost: sol.cost, model };
}
