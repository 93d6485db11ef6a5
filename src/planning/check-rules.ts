/**
 * The simulation check of a run and the warehouse each store is served from. Pure.
 */
import { roundUp } from './minmax-rules.js';
import type { PairResult, RunParams } from './run-rules.js';
import { simulate } from './simulation-rules.js';

export interface PolicyOutcome {
  /** Review cycles without lost demand, over all stores and SKUs simulated. */
  cycle_service_level: number;
  fill_rate: number;
  /** Units on hand on an average day, summed over the SKUs and stores simulated. */
  average_units: number;
  /** Their value at cost, minor units. */
  average_value: number;
}

export interface SimulationCheck {
  skus: number;
  days: number;
  alone: PolicyOutcome;
  pooled: PolicyOutcome;
}

/** Accumulates per-SKU simulations into chain figures (cycles and demand weight the rates). */
export class CheckAccumulator {
  private skus = 0;
  private days = 0;
  private readonly acc = {
    alone: { cycles: 0, clean: 0, demand: 0, served: 0, units: 0, value: 0 },
    pooled: { cycles: 0, clean: 0, demand: 0, served: 0, units: 0, value: 0 },
  };

  /**
   * Replays one SKU's history (demand[day][store], stores in `results` order) twice: every store
   * alone with its own min/max, and the stores backing each other up (transfers within the promise)
   * with the smaller levels the pooled safety stock gives.
   */
  add(results: PairResult[], demand: number[][], p: RunParams): void {
    if (results.length === 0 || demand.length === 0) return;
    const T = p.review_days + p.lead_days;
    const pooledLevels = results.map((r) => {
      const min = roundUp(r.mean * T + r.safety_pooled);
      const max = p.max_rule === 'order_up_to' ? min : roundUp(r.mean * T + r.safety_pooled + r.mean * p.review_days);
      return { min, max };
    });
    const base = { demand, review_days: p.review_days, lead_days: p.lead_days };
    const alone = simulate({
      ...base,
      stores: results.map((r) => ({
        id: r.location_id,
        min: r.min,
        max: r.max,
        initial_on_hand: r.max,
        unit_cost: r.unit_cost,
      })),
    });
    const pooled = simulate({
      ...base,
      stores: results.map((r, i) => ({
        id: r.location_id,
        ...pooledLevels[i]!,
        initial_on_hand: pooledLevels[i]!.max,
        unit_cost: r.unit_cost,
      })),
      pooling: { transfer_lead_days: p.transfer_lead_days, promise_days: Math.max(1, p.transfer_lead_days) },
    });
    if (!alone.ok || !pooled.ok) return;
    this.skus++;
    this.days = Math.max(this.days, demand.length);
    const cyclesPerStore = Math.ceil(demand.length / p.review_days);
    for (const [key, r] of [
      ['alone', alone.value],
      ['pooled', pooled.value],
    ] as const) {
      const a = this.acc[key];
      const cycles = cyclesPerStore * results.length;
      a.cycles += cycles;
      a.clean += r.cycle_service_level * cycles;
      a.demand += r.demand;
      a.served += r.served;
      a.units += r.average_on_hand;
      a.value += r.average_stock_value;
    }
  }

  result(): SimulationCheck {
    const out = (a: (typeof this.acc)['alone']): PolicyOutcome => ({
      cycle_service_level: a.cycles === 0 ? 1 : a.clean / a.cycles,
      fill_rate: a.demand === 0 ? 1 : a.served / a.demand,
      average_units: a.units,
      average_value: Math.round(a.value),
    });
    return { skus: this.skus, days: this.days, alone: out(this.acc.alone), pooled: out(this.acc.pooled) };
  }
}

/** Builds demand[day][store] from sparse daily rows (a missing day is zero demand). */
export function demandMatrix(
  rows: { location_id: string; day: string; units: number }[],
  stores: string[],
  days: string[],
): number[][] {
  const di = new Map(days.map((d, i) => [d, i]));
  const si = new Map(stores.map((s, i) => [s, i]));
  const m = days.map(() => new Array<number>(stores.length).fill(0));
  for (const r of rows) {
    const d = di.get(r.day);
    const s = si.get(r.location_id);
    if (d !== undefined && s !== undefined) m[d]![s] = r.units;
  }
  return m;
}

/** Days from `from` (inclusive) to `to` (exclusive), YYYY-MM-DD, UTC. */
export function dayRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t < Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** Each store's nearest warehouse (great-circle distance; ties: the lower id). */
export function nearestWarehouse(
  stores: { id: string; lat: number; lng: number }[],
  warehouses: { id: string; lat: number; lng: number }[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of stores) {
    let best: { id: string; d: number } | null = null;
    for (const w of warehouses) {
      const d = haversineKm(s, w);
      if (!best || d < best.d || (d === best.d && w.id < best.id)) best = { id: w.id, d };
    }
    if (best) out.set(s.id, best.id);
  }
  return out;
}

function haversineKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 12_742 * Math.asin(Math.sqrt(h));
}
