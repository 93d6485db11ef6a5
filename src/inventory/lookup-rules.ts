/**
 * The shop-floor stock lookup, shaped for an associate's phone: for one size, the stock here, the
 * nearest other stores with their distance, the warehouses, and what each channel may promise. Pure:
 * the levels, locations and channel figures come in; nothing here reads the database.
 */
import { distanceKm, type Location } from '../network/index.js';
import type { StockLevel } from './types.js';

export interface PlaceStock {
  location_id: string;
  code: string;
  name: string;
  on_hand: number;
  available: number;
  in_transit: number;
  /** From the associate's store, rounded to 0.1 km; null for the store itself. */
  distance_km: number | null;
}

export interface VariantStockView {
  here: PlaceStock | null;
  stores: PlaceStock[];
  warehouses: PlaceStock[];
  channels: { channel_id: string; code: string; name: string; type: string; available: number }[];
}

/** Nearby stores shown per size: a phone screen, and an associate sends a customer a few streets away at most. */
export const NEARBY_STORES = 5;

function place(level: StockLevel | undefined, at: Location, from: Location | undefined): PlaceStock {
  return {
    location_id: at.id,
    code: at.code,
    name: at.name,
    on_hand: level?.on_hand ?? 0,
    available: level?.available ?? 0,
    in_transit: level?.in_transit ?? 0,
    distance_km:
      from && from.id !== at.id ? Math.round(distanceKm(from.lat, from.lng, at.lat, at.lng) * 10) / 10 : null,
  };
}

/**
 * Here always shows (even at zero: "we have none" is the answer); other stores show when they hold
 * some, nearest first, at most NEARBY_STORES; warehouses show when they hold some, most first.
 */
export function shapeVariantStock(input: {
  here: Location | undefined;
  levels: readonly StockLevel[];
  locations: readonly Location[];
  channels: VariantStockView['channels'];
  nearby?: number;
}): VariantStockView {
  const byLoc = new Map(input.levels.map((l) => [l.location_id, l]));
  const active = input.locations.filter((l) => l.active);
  const holding = (l: Location) => (byLoc.get(l.id)?.on_hand ?? 0) > 0 || (byLoc.get(l.id)?.in_transit ?? 0) > 0;
  const stores = active
    .filter((l) => l.type === 'store' && l.id !== input.here?.id && holding(l))
    .map((l) => place(byLoc.get(l.id), l, input.here))
    .sort(
      (a, b) =>
        (a.distance_km ?? Infinity) - (b.distance_km ?? Infinity) || b.available - a.available || cmp(a.code, b.code),
    )
    .slice(0, input.nearby ?? NEARBY_STORES);
  const warehouses = active
    .filter((l) => l.type === 'warehouse' && holding(l))
    .map((l) => place(byLoc.get(l.id), l, input.here))
    .sort((a, b) => b.available - a.available || cmp(a.code, b.code));
  return {
    here: input.here ? place(byLoc.get(input.here.id), input.here, input.here) : null,
    stores,
    warehouses,
    channels: [...input.channels].sort((a, b) => cmp(a.code, b.code)),
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
