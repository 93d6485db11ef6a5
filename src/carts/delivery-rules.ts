import { DEFAULT_PICKUP_TIMING, pickupPromise, type OpeningHours } from '../network/index.js';

/**
 * Pure delivery-option rules: which ways the cart can reach the shopper, at what price and by
 * which date. Everything (stock per location, lead times, rates, capacity load, now) comes in as
 * arguments. Dates are whole UTC days from `now`, except at a location with published opening hours:
 * there pickup options give local ready-by and collect-until times (network's pickupPromise).
 */
export const DEFAULT_LEAD_DAYS = {
  /** store → store or warehouse → store transfer */
  transfer: 2,
  /** a warehouse to the customer's door */
  warehouse_home: 2,
  /** a store shipping to the customer's door (ship from store) */
  store_home: 3,
  /** any location to a pickup point (carrier network) */
  pickup_point: 3,
} as const;
export const PICKUP_POINT_FEE = 295;
/**
 * Days before a parcel is in the carrier's hands when the carrier's own transit days are known: a
 * warehouse hands today's orders over today, a store (picking between customers) the next day.
 */
export const CARRIER_HANDLING_DAYS = { warehouse: 0, store: 1 } as const;
/** Parcel weight assumed for a SKU the catalog gives no weight for. */
export const DEFAULT_WEIGHT_G = 500;
export const HOME = '*';

export interface DeliveryLocation {
  id: string;
  type: 'store' | 'warehouse' | 'pickup_point';
  name: string;
  capabilities: readonly string[];
  daily_capacity: number;
  active: boolean;
  /** Opening hours and timezone: pickup options get a ready-by time and collect window from them. */
  opening_hours?: OpeningHours | undefined;
  timezone?: string | undefined;
}
export interface ShippingRate {
  zone: string;
  max_weight_g: number;
  amount: number;
  currency: string;
}
export interface DeliveryInput {
  lines: { sku: string; quantity: number; weight_g: number | null }[];
  /** sku → location id → units the channel may promise there */
  stock: Map<string, Map<string, number>>;
  locations: DeliveryLocation[];
  /** `${from}>${to}` → days; `to` is a location id or HOME */
  leadTimes: Map<string, number>;
  rates: ShippingRate[];
  country: string;
  currency: string;
  /** The cart's merchandise total and the promotions engine's free-shipping threshold, if any. */
  merchandise_total: number;
  free_shipping_threshold?: number | undefined;
  /** Click & collect orders already promised per store today. */
  pickup_load: Map<string, number>;
  channel_type: string;
  now: Date;
  /**
   * The carrier's quote for this parcel (carriers module): its price and transit days replace the rate
   * table and the lead-time table for home delivery. Absent or null: the tables answer (the fallback).
   */
  carrier?: { amount: number; currency: string; transit_days: number } | null | undefined;
}
export type DeliveryOptionKind = 'home' | 'click_collect' | 'pickup_point' | 'endless_aisle';
export interface DeliveryOption {
  id: string;
  kind: DeliveryOptionKind;
  method: 'home' | 'click_collect' | 'pickup_point';
  location_id: string | null;
  name: string;
  price: { amount: number; currency: string };
  promised_date: string;
  /** click & collect: 'now' when the store has everything, 'after_transfer' otherwise */
  ready: 'now' | 'after_transfer' | null;
  /** Pickup options at a location with published hours: ready from, and collect until (that day's closing). */
  ready_by: string | null;
  collect_until: string | null;
  source_location_ids: string[];
}

export function parcelWeight(lines: DeliveryInput['lines']): number {
  return lines.reduce((w, l) => w + (l.weight_g ?? DEFAULT_WEIGHT_G) * l.quantity, 0);
}

/** The first rate of the zone (else of '*') whose weight band holds the parcel; null when too heavy. */
export function homeRate(rates: ShippingRate[], country: string, weightG: number): ShippingRate | null {
  for (const zone of [country, '*']) {
    const band = rates
      .filter((r) => r.zone === zone)
      .sort((a, b) => a.max_weight_g - b.max_weight_g)
      .find((r) => r.max_weight_g >= weightG);
    if (band) return band;
  }
  return null;
}

export function addDays(now: Date, days: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days));
  return d.toISOString().slice(0, 10);
}

function lead(input: DeliveryInput, from: DeliveryLocation, to: string, fallback: number): number {
  if (from.id === to) return 0;
  return input.leadTimes.get(`${from.id}>${to}`) ?? fallback;
}
const homeDays = (input: DeliveryInput, from: DeliveryLocation) =>
  input.carrier
    ? (from.type === 'warehouse' ? CARRIER_HANDLING_DAYS.warehouse : CARRIER_HANDLING_DAYS.store) +
      input.carrier.transit_days
    : lead(
        input,
        from,
        HOME,
        from.type === 'warehouse' ? DEFAULT_LEAD_DAYS.warehouse_home : DEFAULT_LEAD_DAYS.store_home,
      );

const avail = (input: DeliveryInput, sku: string, loc: string) => input.stock.get(sku)?.get(loc) ?? 0;

/**
 * Sources for sending every line to `days(source)`-away: one location holding everything is
 * preferred (one parcel); otherwise each line from its quickest location with enough units. Null
 * when some line cannot be covered by any single location.
 */
export function planSources(
  input: DeliveryInput,
  candidates: DeliveryLocation[],
  days: (l: DeliveryLocation) => number,
): { days: number; sources: string[] } | null {
  const byDays = [...candidates].sort((a, b) => days(a) - days(b) || a.id.localeCompare(b.id));
  const whole = byDays.find((l) => input.lines.every((line) => avail(input, line.sku, l.id) >= line.quantity));
  if (whole) return { days: days(whole), sources: [whole.id] };
  let worst = 0;
  const sources = new Set<string>();
  for (const line of input.lines) {
    const src = byDays.find((l) => avail(input, line.sku, l.id) >= line.quantity);
    if (!src) return null;
    worst = Math.max(worst, days(src));
    sources.add(src.id);
  }
  return { days: worst, sources: [...sources] };
}

export function deliveryOptions(input: DeliveryInput): DeliveryOption[] {
  const out: DeliveryOption[] = [];
  if (input.lines.length === 0) return out;
  const active = input.locations.filter((l) => l.active);
  const holders = active.filter((l) => l.type !== 'pickup_point');
  const shippers = holders.filter((l) =>
    l.type === 'warehouse'
      ? l.capabilities.includes('ship')
      : l.capabilities.includes('ship_from_store') || l.capabilities.includes('ship'),
  );
  const free = input.free_shipping_threshold !== undefined && input.merchandise_total >= input.free_shipping_threshold;
  const rate = input.carrier ?? homeRate(input.rates, input.country, parcelWeight(input.lines));
  const homePrice = free ? 0 : (rate?.amount ?? null);

  const home = planSources(input, shippers, (l) => homeDays(input, l));
  if (home && homePrice !== null) {
    out.push({
      id: 'home',
      kind: 'home',
      method: 'home',
      location_id: null,
      name: 'Home delivery',
      price: { amount: homePrice, currency: input.currency },
      promised_date: addDays(input.now, home.days),
      ready: null,
      ready_by: null,
      collect_until: null,
      source_location_ids: home.sources,
    });
  }
  if (input.channel_type === 'pos' && homePrice !== null) {
    // Endless aisle: sold at the till, sent home from any location that holds the goods.
    const any = planSources(input, holders, (l) => homeDays(input, l));
    if (any)
      out.push({
        id: 'endless_aisle',
        kind: 'endless_aisle',
        method: 'home',
        location_id: null,
        name: 'Deliver home from anywhere',
        price: { amount: homePrice, currency: input.currency },
        promised_date: addDays(input.now, any.days),
        ready: null,
        ready_by: null,
        collect_until: null,
        source_location_ids: any.sources,
      });
  }

  for (const store of active.filter((l) => l.type === 'store' && l.capabilities.includes('pickup'))) {
    // The store's own stock counts at 0 days; other locations' stock after a transfer.
    const plan = planSources(input, holders, (l) => lead(input, l, store.id, DEFAULT_LEAD_DAYS.transfer));
    if (!plan) continue;
    // A store at its daily click & collect capacity promises one day later.
    const load = input.pickup_load.get(store.id) ?? 0;
    const full = store.daily_capacity > 0 && load >= store.daily_capacity;
    const ready = plan.days === 0 ? 'now' : 'after_transfer';
    const times = pickupTimes(store, input.now, plan.days, DEFAULT_PICKUP_TIMING.prepMinutes, load);
    out.push({
      id: `click_collect:${store.id}`,
      kind: 'click_collect',
      method: 'click_collect',
      location_id: store.id,
      name: store.name,
      price: { amount: 0, currency: input.currency },
      promised_date: times?.date ?? addDays(input.now, plan.days + (full ? 1 : 0)),
      ready,
      ready_by: times?.ready_by ?? null,
      collect_until: times?.collect_until ?? null,
      source_location_ids: plan.sources,
    });
  }

  for (const point of active.filter((l) => l.type === 'pickup_point' && l.capabilities.includes('pickup'))) {
    const plan = planSources(input, shippers, (l) => lead(input, l, point.id, DEFAULT_LEAD_DAYS.pickup_point));
    if (!plan) continue;
    const times = pickupTimes(point, input.now, plan.days, 0, 0);
    out.push({
      id: `pickup_point:${point.id}`,
      kind: 'pickup_point',
      method: 'pickup_point',
      location_id: point.id,
      name: point.name,
      price: { amount: free ? 0 : PICKUP_POINT_FEE, currency: input.currency },
      promised_date: times?.date ?? addDays(input.now, plan.days),
      ready: null,
      ready_by: times?.ready_by ?? null,
      collect_until: times?.collect_until ?? null,
      source_location_ids: plan.sources,
    });
  }
  return out;
}

/**
 * Ready-by and collect-until at a location with published hours (null without: the date alone is
 * promised, as before). A pickup point does no picking: the parcel is there once the carrier is.
 */
function pickupTimes(
  at: DeliveryLocation,
  now: Date,
  leadDays: number,
  prepMinutes: number,
  load: number,
): { date: string; ready_by: string; collect_until: string } | null {
  if (!at.opening_hours || !at.timezone) return null;
  const p = pickupPromise({
    hours: at.opening_hours,
    timezone: at.timezone,
    now,
    leadDays,
    prepMinutes,
    minCollectMinutes: DEFAULT_PICKUP_TIMING.minCollectMinutes,
    load,
    capacity: at.daily_capacity,
  });
  return p && { date: p.date, ready_by: p.ready_by.toISOString(), collect_until: p.collect_until.toISOString() };
}
