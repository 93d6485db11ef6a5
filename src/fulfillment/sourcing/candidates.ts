/**
 * Rules that narrow the candidates before the optimiser chooses: capability, the channel's stock
 * policy, locations excluded for the day (or for this order, after a rejection), the delivery promise
 * and the store shipping radius. Also prices each candidate's package. Pure: no I/O, no clock.
 */
import { distanceKm } from '../../network/index.js';
import type { Capability, LocationType } from '../../network/index.js';
import type { BatchModel, CostParams, ModelOrder } from './model.js';

export type DeliveryMethod = 'home' | 'click_collect' | 'pickup_point';

export interface SourcingLocation {
  id: string;
  type: LocationType;
  lat: number;
  lng: number;
  capabilities: readonly Capability[];
  active: boolean;
  /** Packages the location may still take today; -1 = no limit configured. */
  capacityLeft: number;
  /** Closed, short-staffed… excluded from sourcing for the day. */
  excludedToday?: boolean;
}

export interface StockLevel {
  sku: string;
  location_id: string;
  /** Units this channel may take (after safety stock and buffer). */
  available: number;
  /** The store's max for the SKU (planning); units above it are overstock. */
  max?: number | null;
}

export interface SourcingOrderInput {
  id: string;
  method: DeliveryMethod;
  /** Where the goods go: the address for home, the store or pickup point otherwise. */
  dest: { lat: number; lng: number };
  dest_location_id?: string | null;
  promise_days: number;
  /** The channel policy: locations that may serve it. */
  allowed: 'all' | ReadonlySet<string>;
  /** Locations never to use for this order (e.g. the store that rejected it). */
  exclude?: ReadonlySet<string>;
  lines: { sku: string; quantity: number }[];
}

export const EXCLUSION_REASONS = [
  'inactive',
  'excluded_today',
  'excluded_for_order',
  'policy',
  'capability',
  'promise',
  'radius',
  'no_capacity',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export interface OrderNarrowing {
  /** How many stocked locations each rule removed. */
  excluded: Partial<Record<ExclusionReason, number>>;
  /** Per model line, the input line indexes it stands for (duplicate SKUs merged). */
  lineMap: number[][];
  /** Per candidate: distance and delivery days, for the explanation. */
  distanceKm: Float64Array;
  days: Int32Array;
}

/** Delivery days from a location to the destination. Click & collect at the stocking store: same day. */
export function deliveryDays(p: CostParams, type: LocationType, km: number, sameLocation: boolean): number {
  if (sameLocation) return 0;
  return p.processingDays[type] + Math.max(1, Math.ceil(km / p.kmPerTransitDay));
}

/** The package cost of sourcing from a location (before per-unit costs), split penalty included. */
export function packageCost(
  p: CostParams,
  method: DeliveryMethod,
  type: LocationType,
  km: number,
  sameLocation: boolean,
): number {
  const handling = p.handlingPerPackage[type] + p.splitPenalty;
  if (sameLocation) return handling;
  if (method === 'click_collect') return handling + p.transferBase + Math.round((p.transferPerKmMilli * km) / 1000);
  return handling + p.shipBase + Math.round((p.shipPerKmMilli * km) / 1000);
}

/** Why a location may not source this order, or null when it may. Exported for the explanation and tests. */
export function exclusionOf(
  p: CostParams,
  order: SourcingOrderInput,
  loc: SourcingLocation,
  km: number,
): ExclusionReason | null {
  const same = order.method === 'click_collect' && order.dest_location_id === loc.id;
  if (!loc.active) return 'inactive';
  if (loc.excludedToday) return 'excluded_today';
  if (order.exclude?.has(loc.id)) return 'excluded_for_order';
  if (order.allowed !== 'all' && !order.allowed.has(loc.id)) return 'policy';
  if (loc.type === 'pickup_point') return 'capability';
  if (!same) {
    const can =
      loc.type === 'warehouse' ? loc.capabilities.includes('ship') : loc.capabilities.includes('ship_from_store');
    if (!can) return 'capability';
    if (loc.type === 'store' && km > p.storeShipRadiusKm) return 'radius';
  }
  if (deliveryDays(p, loc.type, km, same) > order.promise_days) return 'promise';
  if (loc.capacityLeft === 0) return 'no_capacity';
  return null;
}

export interface BuiltModel {
  model: BatchModel;
  narrowing: OrderNarrowing[];
}

/** Builds the indexed model for a batch. Stock levels with nothing available, or of SKUs not ordered, are ignored. */
export function buildModel(
  params: CostParams,
  locations: readonly SourcingLocation[],
  stock: readonly StockLevel[],
  orders: readonly SourcingOrderInput[],
): BuiltModel {
  const { locIndex, unitCost, capacity } = indexLocations(params, locations);
  const { skuIndex, skus } = indexOrderedSkus(orders);
  const slots = stockSlots(params, locations, locIndex, skuIndex, stock);
  const staticWhy = staticExclusions(locations);
  const scratch = { stamp: new Int32Array(locations.length).fill(-1), candPos: new Int32Array(locations.length) };
  const modelOrders: ModelOrder[] = [];
  const narrowing: OrderNarrowing[] = [];
  orders.forEach((order, oi) => {
    const { lines, lineMap } = mergeOrderLines(order, skuIndex);
    const found = narrowCandidates(params, locations, slots.bySku, staticWhy, scratch, order, oi, lines);
    const slot = slotMatrix(slots.bySku, scratch.candPos, lines, found.cands.length);
    modelOrders.push({
      id: order.id,
      lines,
      cands: Int32Array.from(found.cands),
      fixed: Int32Array.from(found.fixed),
      slot,
    });
    narrowing.push({
      excluded: found.excluded,
      lineMap,
      distanceKm: Float64Array.from(found.dists),
      days: Int32Array.from(found.days),
    });
  });

  return {
    model: {
      params,
      locIds: locations.map((l) => l.id),
      capacity,
      unitCost,
      skus,
      slotLoc: Int32Array.from(slots.loc),
      slotSku: Int32Array.from(slots.sku),
      slotStock: Int32Array.from(slots.stock),
      slotFree: Int32Array.from(slots.free),
      slotOver: Int32Array.from(slots.over),
      orders: modelOrders,
    },
    narrowing,
  };
}

/** Locations by index, with their per-unit handling cost and packages left (-1: no limit). */
function indexLocations(params: CostParams, locations: readonly SourcingLocation[]) {
  const locIndex = new Map<string, number>();
  locations.forEach((l, i) => locIndex.set(l.id, i));
  const unitCost = new Int32Array(locations.length);
  const capacity = new Int32Array(locations.length);
  locations.forEach((l, i) => {
    unitCost[i] = params.handlingPerUnit[l.type];
    capacity[i] = l.capacityLeft < 0 ? -1 : l.capacityLeft;
  });
  return { locIndex, unitCost, capacity };
}

/** Only the SKUs the batch orders matter: indexed first, so only their stock is kept. */
function indexOrderedSkus(orders: readonly SourcingOrderInput[]) {
  const skuIndex = new Map<string, number>();
  const skus: string[] = [];
  for (const order of orders) {
    for (const line of order.lines) {
      if (!skuIndex.has(line.sku)) {
        skuIndex.set(line.sku, skus.length);
        skus.push(line.sku);
      }
    }
  }
  return { skuIndex, skus };
}

/**
 * One slot per (location, ordered SKU) with stock: its units, those free of store protection, those
 * above the store's max (overstock). `bySku` lists per SKU its [location, slot] pairs, flattened.
 */
function stockSlots(
  params: CostParams,
  locations: readonly SourcingLocation[],
  locIndex: ReadonlyMap<string, number>,
  skuIndex: ReadonlyMap<string, number>,
  stock: readonly StockLevel[],
) {
  const loc: number[] = [],
    sku: number[] = [],
    units: number[] = [],
    free: number[] = [],
    over: number[] = [];
  const bySku: number[][] = Array.from({ length: skuIndex.size }, () => []);
  for (const level of stock) {
    if (level.available <= 0) continue;
    const k = skuIndex.get(level.sku);
    if (k === undefined) continue;
    const j = locIndex.get(level.location_id);
    if (j === undefined) continue;
    const s = loc.length;
    const isStore = locations[j]!.type === 'store';
    loc.push(j);
    sku.push(k);
    units.push(level.available);
    free.push(isStore ? Math.max(0, level.available - params.protectUnits) : level.available);
    over.push(isStore && level.max != null ? Math.max(0, level.available - level.max) : 0);
    bySku[k]!.push(j, s);
  }
  return { loc, sku, stock: units, free, over, bySku };
}

const CAPABILITY = EXCLUSION_REASONS.indexOf('capability');

/** Per location, the reason it can never source in this batch (-1 none; capability may still allow collecting at itself). */
function staticExclusions(locations: readonly SourcingLocation[]): Int8Array {
  const staticWhy = new Int8Array(locations.length).fill(-1);
  locations.forEach((loc, j) => {
    if (!loc.active) staticWhy[j] = EXCLUSION_REASONS.indexOf('inactive');
    else if (loc.excludedToday) staticWhy[j] = EXCLUSION_REASONS.indexOf('excluded_today');
    else if (loc.type === 'pickup_point') staticWhy[j] = CAPABILITY;
    else if (!loc.capabilities.includes(loc.type === 'warehouse' ? 'ship' : 'ship_from_store'))
      staticWhy[j] = CAPABILITY;
  });
  return staticWhy;
}

/** Merges duplicate SKUs so each model line has its own SKU; `lineMap` keeps the input lines of each. */
function mergeOrderLines(order: SourcingOrderInput, skuIndex: ReadonlyMap<string, number>) {
  const bySku = new Map<string, number>();
  const lines: { sku: number; qty: number }[] = [];
  const lineMap: number[][] = [];
  order.lines.forEach((line, li) => {
    const at = bySku.get(line.sku);
    if (at !== undefined) {
      lines[at]!.qty += line.quantity;
      lineMap[at]!.push(li);
      return;
    }
    bySku.set(line.sku, lines.length);
    lines.push({ sku: skuIndex.get(line.sku)!, qty: line.quantity });
    lineMap.push([li]);
  });
  return { lines, lineMap };
}

/**
 * The order's candidates: every location stocking one of its lines, minus those a rule excludes
 * (counted by reason), each with its package cost, distance and delivery days. `scratch` is shared
 * across the batch's orders: `stamp[j] === oi` marks location j seen for order oi, and `candPos[j]`
 * its candidate position (-1 excluded), so no per-order set is allocated.
 */
function narrowCandidates(
  params: CostParams,
  locations: readonly SourcingLocation[],
  slotsBySku: readonly number[][],
  staticWhy: Int8Array,
  scratch: { stamp: Int32Array; candPos: Int32Array },
  order: SourcingOrderInput,
  oi: number,
  lines: readonly { sku: number; qty: number }[],
) {
  const { stamp, candPos } = scratch;
  const excluded: Partial<Record<ExclusionReason, number>> = {};
  const cands: number[] = [],
    fixed: number[] = [],
    dists: number[] = [],
    days: number[] = [];
  for (const line of lines) {
    const pairs = slotsBySku[line.sku]!;
    for (let i = 0; i < pairs.length; i += 2) {
      const j = pairs[i]!;
      if (stamp[j] === oi) continue;
      stamp[j] = oi;
      candPos[j] = -1;
      const loc = locations[j]!;
      // Order-independent refusals first, before paying for the distance.
      const pre = staticWhy[j]!;
      if (pre >= 0 && !(pre === CAPABILITY && order.method === 'click_collect' && order.dest_location_id === loc.id)) {
        const why = EXCLUSION_REASONS[pre]!;
        excluded[why] = (excluded[why] ?? 0) + 1;
        continue;
      }
      const km = distanceKm(loc.lat, loc.lng, order.dest.lat, order.dest.lng);
      const why = exclusionOf(params, order, loc, km);
      if (why) {
        excluded[why] = (excluded[why] ?? 0) + 1;
        continue;
      }
      const same = order.method === 'click_collect' && order.dest_location_id === loc.id;
      candPos[j] = cands.length;
      cands.push(j);
      fixed.push(packageCost(params, order.method, loc.type, km, same));
      dists.push(km);
      days.push(deliveryDays(params, loc.type, km, same));
    }
  }
  return { excluded, cands, fixed, dists, days };
}

/** Per (candidate, line) the stock slot it would take from, -1 where the candidate lacks the SKU. */
function slotMatrix(
  slotsBySku: readonly number[][],
  candPos: Int32Array,
  lines: readonly { sku: number; qty: number }[],
  nCands: number,
): Int32Array {
  const L = lines.length;
  const slot = new Int32Array(nCands * L).fill(-1);
  lines.forEach((line, l) => {
    const pairs = slotsBySku[line.sku]!;
    for (let i = 0; i < pairs.length; i += 2) {
      const c = candPos[pairs[i]!]!;
      if (c >= 0) slot[c * L + l] = pairs[i + 1]!;
    }
  });
  return slot;
}
