/**
 * The sourcing model: the data the optimiser (and, in tests and benchmarks, the HiGHS MIP) works on.
 * Built by `buildModel` (candidates.ts) from orders, locations and stock after the rules have narrowed
 * the candidates; everything is indexed (locations 0..nLoc-1, stock slots 0..nSlot-1) so the optimiser's
 * inner loops touch typed arrays only.
 *
 * Cost of a plan (the stated objective, minor units):
 *   Σ packages (fixed cost of the package: shipping by distance or transfer + handling per location type
 *               + split penalty)                                   − splitPenalty per order (first package free)
 * + Σ units    (handling per unit at the location)
 * + Σ slots    lastUnitsPenalty × units taken beyond the slot's `free` units (a store's last units)
 *              − overMaxReward × units taken out of the slot's `over` units (stock above the store's max)
 * + unsourcedPenalty × units no candidate can supply.
 * Subject to: slot stock, location capacity (packages per day, shared by the batch), candidates only.
 */

export interface CostParams {
  /** Shipping per package: base + perKm × distance (home delivery, pickup points). */
  shipBase: number;
  shipPerKmMilli: number;
  /** Click & collect from another location: a transfer leg, cheaper than a parcel (consolidated). */
  transferBase: number;
  transferPerKmMilli: number;
  handlingPerPackage: { store: number; warehouse: number; pickup_point: number };
  handlingPerUnit: { store: number; warehouse: number; pickup_point: number };
  /** Per package beyond the first: a split costs the customer two deliveries. */
  splitPenalty: number;
  /** Per unit that takes a store below `protectUnits` of a SKU (keeps walk-in sales possible). */
  lastUnitsPenalty: number;
  protectUnits: number;
  /** Per unit taken from stock above the store's max (relieves overstock). */
  overMaxReward: number;
  /** Per unit no location can supply now (kept large: sourcing something always wins). */
  unsourcedPenalty: number;
  /** Delivery promise: processing days by location type + one day per `kmPerTransitDay` started. */
  processingDays: { store: number; warehouse: number; pickup_point: number };
  kmPerTransitDay: number;
  /** Stores ship only to destinations within this radius (carrier contracts, store workload). */
  storeShipRadiusKm: number;
}

export const DEFAULT_COSTS: CostParams = {
  shipBase: 390,
  shipPerKmMilli: 1500,
  transferBase: 150,
  transferPerKmMilli: 600,
  handlingPerPackage: { warehouse: 120, store: 350, pickup_point: 0 },
  handlingPerUnit: { warehouse: 25, store: 80, pickup_point: 0 },
  splitPenalty: 450,
  lastUnitsPenalty: 300,
  protectUnits: 1,
  overMaxReward: 150,
  unsourcedPenalty: 100_000,
  processingDays: { warehouse: 1, store: 1, pickup_point: 0 },
  kmPerTransitDay: 400,
  storeShipRadiusKm: 250,
};

export interface ModelLine {
  /** Index into `skus`. Lines of one order have distinct SKUs (buildModel merges duplicates). */
  sku: number;
  qty: number;
}

export interface ModelOrder {
  id: string;
  lines: ModelLine[];
  /** Candidate locations (indices), their package cost (incl. split penalty), and per candidate × line the stock slot or -1. */
  cands: Int32Array;
  fixed: Int32Array;
  /** slot[c * lines.length + l] */
  slot: Int32Array;
}

export interface BatchModel {
  params: CostParams;
  locIds: string[];
  /** Packages the location may still take today; -1 = no limit. */
  capacity: Int32Array;
  unitCost: Int32Array;
  skus: string[];
  /** Per slot (a SKU at a location): units available to this batch, `free` before the last-units penalty, `over` above max. */
  slotLoc: Int32Array;
  slotSku: Int32Array;
  slotStock: Int32Array;
  slotFree: Int32Array;
  slotOver: Int32Array;
  orders: ModelOrder[];
}

/** One package of a plan: units per line (index in the order) from one location. */
export interface PlanPart {
  loc: number;
  /** [lineIndex, qty][] */
  take: [number, number][];
}

export interface OrderPlan {
  parts: PlanPart[];
  /** [lineIndex, qty][] that nothing could supply. */
  unsourced: [number, number][];
}

/** Marginal cost of taking `q` more units from a slot that has already given `t` (convex in t). */
export function slotCost(model: BatchModel, s: number, t: number, q: number): number {
  const p = model.params;
  let c = model.unitCost[model.slotLoc[s]!]! * q;
  const free = model.slotFree[s]!;
  const over = model.slotOver[s]!;
  const end = t + q;
  if (end > free) c += p.lastUnitsPenalty * (end - Math.max(t, free));
  if (t < over) c -= p.overMaxReward * (Math.min(end, over) - t);
  return c;
}

/** The stated objective of a full batch plan (the same function the MIP minimises). */
export function batchCost(model: BatchModel, plans: OrderPlan[]): number {
  const taken = new Int32Array(model.slotStock.length);
  let cost = 0;
  model.orders.forEach((o, i) => {
    const plan = plans[i]!;
    cost -= model.params.splitPenalty;
    for (const part of plan.parts) {
      const c = candIndex(o, part.loc);
      cost += o.fixed[c]!;
      for (const [l, q] of part.take) {
        const s = o.slot[c * o.lines.length + l]!;
        cost += slotCost(model, s, taken[s]!, q);
        taken[s]! += q;
      }
    }
    for (const [, q] of plan.unsourced) cost += model.params.unsourcedPenalty * q;
  });
  return cost;
}

export function candIndex(o: ModelOrder, loc: number): number {
  for (let c = 0; c < o.cands.length; c++) if (o.cands[c] === loc) return c;
  throw new Error(`location ${loc} is not a candidate of order ${o.id}`);
}

/** Checks a batch plan against stock, capacity and demand; returns the violations (empty = feasible). */
export function planViolations(model: BatchModel, plans: OrderPlan[]): string[] {
  const out: string[] = [];
  const taken = new Int32Array(model.slotStock.length);
  const packages = new Int32Array(model.locIds.length);
  model.orders.forEach((o, i) => {
    const got = new Int32Array(o.lines.length);
    for (const part of plans[i]!.parts) {
      const c = candIndex(o, part.loc);
      packages[part.loc]!++;
      for (const [l, q] of part.take) {
        const s = o.slot[c * o.lines.length + l]!;
        if (s < 0) out.push(`${o.id}: line ${l} from a location without the SKU`);
        else taken[s]! += q;
        got[l]! += q;
      }
    }
    for (const [l, q] of plans[i]!.unsourced) got[l]! += q;
    o.lines.forEach((line, l) => {
      if (got[l] !== line.qty) out.push(`${o.id}: line ${l} planned ${got[l]} of ${line.qty}`);
    });
  });
  taken.forEach((t, s) => {
    if (t > model.slotStock[s]!) out.push(`slot ${s} over-drawn ${t} > ${model.slotStock[s]}`);
  });
  packages.forEach((n, j) => {
    const cap = model.capacity[j]!;
    if (cap >= 0 && n > cap) out.push(`location ${model.locIds[j]} over capacity ${n} > ${cap}`);
  });
  return out;
}
