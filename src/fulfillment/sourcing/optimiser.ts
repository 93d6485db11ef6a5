/**
 * The sourcing optimiser: chooses, for every order of a batch, which candidate locations supply which
 * lines, minimising the batch cost of model.ts under shared stock and daily capacity.
 *
 * 1. Per order, an exact search over whole-line assignments given the batch's residual stock and
 *    capacity: the cheapest single location for every subset of lines, then the cheapest partition of
 *    the lines into packages (subset DP, 3^L; L ≤ MAX_DP_LINES). Lines no single location can supply
 *    are split unit by unit over the cheapest locations; larger orders use a greedy cover.
 * 2. Batch: orders are inserted most-constrained first (fewest candidates), then improved by passes
 *    of ruin-and-recreate (take one order out, re-plan it against the rest) and by ejections: when an
 *    order's capacity-free best plan needs a location that is full, one order holding that location is
 *    moved elsewhere if the pair gets cheaper. This is what closes most of the gap to the MIP optimum
 *    when store capacity binds (measured in bench/sourcing.ts against HiGHS).
 * Deterministic: same model, same plans.
 */
import { slotCost, type BatchModel, type ModelOrder, type OrderPlan, type PlanPart } from './model.js';

export const MAX_DP_LINES = 8;

export interface SolveOptions {
  /** Improvement passes over the batch after the first insertion (0 = greedy only). */
  passes?: number;
  /** Orders holding a full location tried per ejection. */
  ejectionTries?: number;
}

export interface BatchSolution {
  plans: OrderPlan[];
  /** Per order: the cost of its plan when it was last (re)planned, marginal to the rest of the batch. */
  orderCost: Float64Array;
  cost: number;
}

class State {
  readonly taken: Int32Array;
  readonly used: Int32Array;
  constructor(readonly model: BatchModel) {
    this.taken = new Int32Array(model.slotStock.length);
    this.used = new Int32Array(model.locIds.length);
  }
  hasRoom(loc: number): boolean {
    const cap = this.model.capacity[loc]!;
    return cap < 0 || this.used[loc]! < cap;
  }
  left(s: number): number {
    return this.model.slotStock[s]! - this.taken[s]!;
  }
  /** Adds (+1) or removes (-1) a plan; returns the cost change of the batch. */
  apply(o: ModelOrder, plan: Plan, sign: 1 | -1): number {
    const L = o.lines.length;
    let cost = 0;
    for (const part of plan.parts) {
      const c = part.cand;
      this.used[part.loc]! += sign;
      cost += sign * o.fixed[c]!;
      for (const [l, q] of part.take) {
        const s = o.slot[c * L + l]!;
        if (sign > 0) {
          cost += slotCost(this.model, s, this.taken[s]!, q);
          this.taken[s]! += q;
        } else {
          this.taken[s]! -= q;
          cost -= slotCost(this.model, s, this.taken[s]!, q);
        }
      }
    }
    for (const [, q] of plan.unsourced) cost += sign * this.model.params.unsourcedPenalty * q;
    return cost;
  }
}

interface Part extends PlanPart {
  cand: number;
}
interface Plan extends OrderPlan {
  parts: Part[];
}

const EMPTY: Plan = { parts: [], unsourced: [] };

/** Scratch buffers reused across orders (the hot path allocates only the plans it returns). */
const MAXS = 1 << MAX_DP_LINES;
const best = new Float64Array(MAXS);
const bestCand = new Int32Array(MAXS);
const sub = new Float64Array(MAXS);
const f = new Float64Array(MAXS);
const fPart = new Int32Array(MAXS);
const marg = new Float64Array(MAX_DP_LINES);

/**
 * The cheapest plan for one order against the current state. With `ignoreCapacity` (the wish, for
 * ejections), full locations and stock held by other orders count as free: the plan says which
 * location the order would want if another order moved away.
 */
function planOrder(state: State, o: ModelOrder, ignoreCapacity = false, skip?: ReadonlySet<number>): Plan {
  const L = o.lines.length;
  if (L === 0) return EMPTY;
  if (L > MAX_DP_LINES) return greedyPlan(state, o, ignoreCapacity);
  const model = state.model;
  const full = (1 << L) - 1;
  best.fill(Infinity, 0, full + 1);
  const pen = model.params.unsourcedPenalty;
  for (let l = 0; l < L; l++) {
    best[1 << l] = pen * o.lines[l]!.qty;
    bestCand[1 << l] = -1;
  }
  const nc = o.cands.length;
  for (let c = 0; c < nc; c++) {
    if (!ignoreCapacity && !state.hasRoom(o.cands[c]!)) continue;
    if (skip?.has(o.cands[c]!)) continue;
    let mask = 0;
    for (let l = 0; l < L; l++) {
      const s = o.slot[c * L + l]!;
      const q = o.lines[l]!.qty;
      if (s >= 0 && (ignoreCapacity ? model.slotStock[s]! : state.left(s)) >= q) {
        mask |= 1 << l;
        marg[l] = slotCost(model, s, Math.min(state.taken[s]!, model.slotStock[s]! - q), q);
      }
    }
    if (mask === 0) continue;
    const fx = o.fixed[c]!;
    sub[0] = fx;
    for (let S = 1; S <= full; S++) {
      if (S & ~mask) continue;
      const low = S & -S;
      const v = sub[S ^ low]! + marg[31 - Math.clz32(low)]!;
      sub[S] = v;
      if (v < best[S]!) {
        best[S] = v;
        bestCand[S] = c;
      }
    }
  }
  // Partition DP: f[S] = min over T ⊆ S containing S's lowest line of best[T] + f[S \ T].
  f[0] = 0;
  for (let S = 1; S <= full; S++) {
    const low = S & -S;
    const rest = S ^ low;
    let bv = Infinity;
    let bt = 0;
    for (let R = rest; ; R = (R - 1) & rest) {
      const T = R | low;
      const v = best[T]! + f[S ^ T]!;
      if (v < bv) {
        bv = v;
        bt = T;
      }
      if (R === 0) break;
    }
    f[S] = bv;
    fPart[S] = bt;
  }
  const plan: Plan = { parts: [], unsourced: [] };
  for (let S = full; S;) {
    const T = fPart[S]!;
    const c = bestCand[T]!;
    if (c < 0) {
      const l = 31 - Math.clz32(T);
      plan.unsourced.push([l, o.lines[l]!.qty]);
    } else {
      const take: [number, number][] = [];
      for (let l = 0; l < L; l++) if (T & (1 << l)) take.push([l, o.lines[l]!.qty]);
      plan.parts.push({ loc: o.cands[c]!, cand: c, take });
    }
    S ^= T;
  }
  if (plan.unsourced.length) splitUnsourced(state, o, plan, ignoreCapacity);
  return plan;
}

/** Lines no single location could supply whole: fill them unit by unit from the cheapest locations. */
function splitUnsourced(state: State, o: ModelOrder, plan: Plan, ignoreCapacity: boolean): void {
  const L = o.lines.length;
  const model = state.model;
  const still: [number, number][] = [];
  for (const [l, qty] of plan.unsourced) {
    let need = qty;
    const extra = new Map<number, number>(); // slot → units taken here (for marginal costs)
    while (need > 0) {
      let bc = -1,
        bv = Infinity;
      for (let c = 0; c < o.cands.length; c++) {
        const s = o.slot[c * L + l]!;
        if (s < 0 || state.left(s) - (extra.get(s) ?? 0) <= 0) continue;
        const inPlan = plan.parts.some((p) => p.cand === c);
        if (!inPlan && !ignoreCapacity && !state.hasRoom(o.cands[c]!)) continue;
        const v = (inPlan ? 0 : o.fixed[c]!) + slotCost(model, s, state.taken[s]! + (extra.get(s) ?? 0), 1);
        if (v < bv) {
          bv = v;
          bc = c;
        }
      }
      if (bc < 0) break;
      const s = o.slot[bc * L + l]!;
      const q = Math.min(need, state.left(s) - (extra.get(s) ?? 0));
      extra.set(s, (extra.get(s) ?? 0) + q);
      let part = plan.parts.find((p) => p.cand === bc);
      if (!part) plan.parts.push((part = { loc: o.cands[bc]!, cand: bc, take: [] }));
      part.take.push([l, q]);
      need -= q;
    }
    if (need > 0) still.push([l, need]);
  }
  plan.unsourced = still;
}

/** Orders with more lines than the DP handles: repeatedly add the location with the lowest cost per line covered. */
function greedyPlan(state: State, o: ModelOrder, ignoreCapacity: boolean): Plan {
  const L = o.lines.length;
  const model = state.model;
  const open = new Set(o.lines.map((_, l) => l));
  const plan: Plan = { parts: [], unsourced: [] };
  for (;;) {
    let bc = -1,
      bv = Infinity,
      bTake: [number, number][] = [];
    for (let c = 0; c < o.cands.length; c++) {
      if (plan.parts.some((p) => p.cand === c)) continue;
      if (!ignoreCapacity && !state.hasRoom(o.cands[c]!)) continue;
      let cost = o.fixed[c]!;
      const take: [number, number][] = [];
      for (const l of open) {
        const s = o.slot[c * L + l]!;
        const q = o.lines[l]!.qty;
        if (s >= 0 && state.left(s) >= q) {
          cost += slotCost(model, s, state.taken[s]!, q);
          take.push([l, q]);
        }
      }
      if (take.length && cost / take.length < bv) {
        bv = cost / take.length;
        bc = c;
        bTake = take;
      }
    }
    if (bc < 0) break;
    plan.parts.push({ loc: o.cands[bc]!, cand: bc, take: bTake });
    for (const [l] of bTake) open.delete(l);
    if (!open.size) break;
  }
  for (const l of open) plan.unsourced.push([l, o.lines[l]!.qty]);
  if (plan.unsourced.length) splitUnsourced(state, o, plan, ignoreCapacity);
  return plan;
}

/** Solves a batch. Returns feasible plans (stock and capacity respected) for every order. */
export function solveBatch(model: BatchModel, opts: SolveOptions = {}): BatchSolution {
  const passes = opts.passes ?? 2;
  const ejectionTries = opts.ejectionTries ?? 6;
  const n = model.orders.length;
  const state = new State(model);
  const plans: Plan[] = new Array<Plan>(n);
  const orderCost = new Float64Array(n);
  const holders: Set<number>[] = model.locIds.map(() => new Set<number>());
  const place = (i: number, plan: Plan): number => {
    plans[i] = plan;
    for (const p of plan.parts) holders[p.loc]!.add(i);
    const c = state.apply(model.orders[i]!, plan, 1);
    orderCost[i] = c;
    return c;
  };
  const remove = (i: number): number => {
    const plan = plans[i]!;
    for (const p of plan.parts) holders[p.loc]!.delete(i);
    return -state.apply(model.orders[i]!, plan, -1);
  };

  // Most constrained first: fewer candidates means fewer ways out when capacity runs short.
  const order = [...model.orders.keys()].sort(
    (a, b) => model.orders[a]!.cands.length - model.orders[b]!.cands.length || a - b,
  );
  for (const i of order) place(i, planOrder(state, model.orders[i]!));

  for (let pass = 0; pass < passes; pass++) {
    let improved = 0;
    for (const i of order) {
      const o = model.orders[i]!;
      const old = plans[i]!;
      const oldCost = remove(i);
      const plan = planOrder(state, o);
      const newCost = place(i, plan);
      if (newCost > oldCost + 1e-9) {
        remove(i);
        place(i, old);
      } else if (newCost < oldCost - 1e-9) improved++;
      if (ejectionTries > 0 && tryEjection(i)) improved++;
    }
    if (!improved) break;
  }

  /**
   * If order i would be cheaper with a location that is full, try moving one order that holds it.
   * Accepts only a strict improvement of the pair; otherwise everything is put back as it was.
   */
  function tryEjection(i: number): boolean {
    const o = model.orders[i]!;
    const curCost = remove(i);
    const cur = plans[i]!;
    const L = o.lines.length;
    // Wishes in turn: when freeing a wished location fails, wish again without it (a few rounds).
    const skip = new Set<number>();
    for (let round = 0; round < 3; round++) {
      const wish = planOrder(state, o, true, skip);
      const blocked = [
        ...new Set(
          wish.parts
            .filter((p) => !state.hasRoom(p.loc) || p.take.some(([l, q]) => state.left(o.slot[p.cand * L + l]!) < q))
            .map((p) => p.loc),
        ),
      ];
      if (blocked.length === 0 || blocked.length > 2 || wishCost(o, wish) >= curCost - 1e-9) break;
      if (ejectFor(i, o, curCost, blocked)) return true;
      blocked.forEach((j) => skip.add(j));
    }
    place(i, cur);
    return false;
  }

  /** Moves one holder out of each blocked location, re-plans i then the moved; keeps it only if cheaper. */
  function ejectFor(i: number, o: ModelOrder, curCost: number, blocked: number[]): boolean {
    const evicted: { k: number; old: Plan; oldCost: number }[] = [];
    const evict = (b: number): boolean => {
      if (b === blocked.length) {
        let newCost = place(i, planOrder(state, o));
        for (const e of evicted) newCost += place(e.k, planOrder(state, model.orders[e.k]!));
        if (newCost < curCost + evicted.reduce((a, e) => a + e.oldCost, 0) - 1e-9) return true;
        for (const e of [...evicted].reverse()) remove(e.k);
        remove(i);
        return false;
      }
      let tries = 0;
      for (const k of [...holders[blocked[b]!]!]) {
        if (k === i || evicted.some((e) => e.k === k)) continue;
        if (tries++ >= (b === 0 ? ejectionTries : 3)) break;
        const old = plans[k]!;
        evicted.push({ k, old, oldCost: remove(k) });
        if (evict(b + 1)) return true;
        evicted.pop();
        place(k, old);
      }
      return false;
    };
    return evict(0);
  }

  /** What a wished plan would cost at the current state (a lower bound: it ignores who must move). */
  function wishCost(o: ModelOrder, plan: Plan): number {
    const L = o.lines.length;
    let c = 0;
    for (const p of plan.parts) {
      c += o.fixed[p.cand]!;
      for (const [l, q] of p.take) {
        const s = o.slot[p.cand * L + l]!;
        c += slotCost(model, s, Math.min(state.taken[s]!, model.slotStock[s]! - q), q);
      }
    }
    for (const [, q] of plan.unsourced) c += model.params.unsourcedPenalty * q;
    return c;
  }

  let cost = -model.params.splitPenalty * n;
  // The batch cost is order-independent: recompute it from scratch rather than trusting the increments.
  const fresh = new State(model);
  model.orders.forEach((o, i) => (cost += fresh.apply(o, plans[i]!, 1)));
  return { plans, orderCost, cost };
}
