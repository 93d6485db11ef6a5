/**
 * A deterministic replay of a demand history under min/max, with and without store-to-store backup,
 * to check the service level a policy actually reaches and the stock it ties up.
 *
 * Each day t, for every store: (1) deliveries due on t arrive; (2) on a review day (t % R = 0) a store
 * whose inventory position (on hand + on order) is at or below min orders up to max, arriving on day
 * t + L (L = 0: the same morning); (3) demand is served from stock on hand; unserved demand is lost
 * (a shopper does not wait for a shelf). With pooling, and when the transfer reaches the shopper
 * within the promise (transfer_lead_days ≤ promise_days), the remaining shortfall is served from the
 * other stores' stock left after their own demand that day, taking from the store with most left
 * first (ties: lower index). A review cycle "serves" when it has no lost demand.
 */
import type { Result, SimulationInput, SimulationResult, SimulationStoreResult } from './types.js';
import { badInt, fail, firstError, ok } from './validate.js';

function validate(input: SimulationInput): Result<SimulationResult> | null {
  const n = input.stores.length;
  if (n === 0) return fail('stores', 'at least one store is needed');
  if (input.demand.length === 0) return fail('demand', 'at least one day of demand is needed');
  const bad = firstError<SimulationResult>(
    badInt('review_days', input.review_days, 1, 365),
    badInt('lead_days', input.lead_days, 0, 365),
    badInt('pooling.transfer_lead_days', input.pooling?.transfer_lead_days ?? 0, 0, 365),
    badInt('pooling.promise_days', input.pooling?.promise_days ?? 0, 0, 365),
    ...input.stores.flatMap((s, i) => [
      badInt(`stores[${i}].min`, s.min, 0),
      badInt(`stores[${i}].max`, s.max, s.min),
      badInt(`stores[${i}].initial_on_hand`, s.initial_on_hand, 0),
      badInt(`stores[${i}].unit_cost`, s.unit_cost, 0),
    ]),
  );
  if (bad) return bad;
  for (const [t, row] of input.demand.entries()) {
    if (row.length !== n) return fail(`demand[${t}]`, `each day needs one figure per store (${n})`);
    const e = firstError<SimulationResult>(...row.map((u, i) => badInt(`demand[${t}][${i}]`, u, 0)));
    if (e) return e;
  }
  return null;
}

export function simulate(input: SimulationInput): Result<SimulationResult> {
  const invalid = validate(input);
  if (invalid) return invalid;
  const { stores, demand, review_days: R, lead_days: L } = input;
  const n = stores.length;
  const days = demand.length;
  const pooling = input.pooling !== undefined && input.pooling.transfer_lead_days <= input.pooling.promise_days;
  const onHand = stores.map((s) => s.initial_on_hand);
  const arrivals = new Map<number, number[]>(); // day → units arriving per store
  const onOrder = new Array<number>(n).fill(0);
  const acc = stores.map(() => ({ demand: 0, served: 0, byTransfer: 0, stockSum: 0, cycles: 0, cleanCycles: 0 }));
  const cycleLost = new Array<number>(n).fill(0);
  let transfers = 0;

  for (let t = 0; t < days; t++) {
    const due = arrivals.get(t);
    if (due) {
      for (let i = 0; i < n; i++) {
        onHand[i]! += due[i]!;
        onOrder[i]! -= due[i]!;
      }
      arrivals.delete(t);
    }
    if (t % R === 0) {
      for (let i = 0; i < n; i++) {
        if (t > 0) closeCycle(i);
        const position = onHand[i]! + onOrder[i]!;
        if (position <= stores[i]!.min) {
          const q = stores[i]!.max - position;
          if (q > 0) {
            onOrder[i]! += q;
            const row = arrivals.get(t + L) ?? new Array<number>(n).fill(0);
            row[i]! += q;
            if (L === 0) {
              onHand[i]! += q;
              onOrder[i]! -= q;
            } else arrivals.set(t + L, row);
          }
        }
      }
    }
    const short = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      const d = demand[t]![i]!;
      const served = Math.min(d, onHand[i]!);
      onHand[i]! -= served;
      acc[i]!.demand += d;
      acc[i]!.served += served;
      short[i] = d - served;
    }
    if (pooling) {
      for (let i = 0; i < n; i++) {
        while (short[i]! > 0) {
          const donor = richestOther(onHand, i);
          if (donor < 0) break;
          const moved = Math.min(short[i]!, onHand[donor]!);
          onHand[donor]! -= moved;
          short[i]! -= moved;
          acc[i]!.served += moved;
          acc[i]!.byTransfer += moved;
          transfers++;
        }
      }
    }
    for (let i = 0; i < n; i++) {
      cycleLost[i]! += short[i]!;
      acc[i]!.stockSum += onHand[i]!;
    }
  }
  for (let i = 0; i < n; i++) closeCycle(i);

  function closeCycle(i: number): void {
    acc[i]!.cycles++;
    if (cycleLost[i] === 0) acc[i]!.cleanCycles++;
    cycleLost[i] = 0;
  }

  const perStore: SimulationStoreResult[] = stores.map((s, i) => {
    const a = acc[i]!;
    const avg = a.stockSum / days;
    return {
      id: s.id,
      demand: a.demand,
      served: a.served,
      served_by_transfer: a.byTransfer,
      fill_rate: a.demand === 0 ? 1 : a.served / a.demand,
      cycle_service_level: a.cleanCycles / a.cycles,
      average_on_hand: avg,
      average_stock_value: Math.round(avg * s.unit_cost),
    };
  });
  const totalDemand = perStore.reduce((x, s) => x + s.demand, 0);
  const totalServed = perStore.reduce((x, s) => x + s.served, 0);
  const cycles = acc.reduce((x, a) => x + a.cycles, 0);
  const clean = acc.reduce((x, a) => x + a.cleanCycles, 0);
  return ok({
    stores: perStore,
    demand: totalDemand,
    served: totalServed,
    fill_rate: totalDemand === 0 ? 1 : totalServed / totalDemand,
    cycle_service_level: clean / cycles,
    average_on_hand: perStore.reduce((x, s) => x + s.average_on_hand, 0),
    average_stock_value: perStore.reduce((x, s) => x + s.average_stock_value, 0),
    transfers,
  });
}

function richestOther(onHand: number[], self: number): number {
  let best = -1;
  for (let j = 0; j < onHand.length; j++) {
    if (j !== self && onHand[j]! > 0 && (best < 0 || onHand[j]! > onHand[best]!)) best = j;
  }
  return best;
}
