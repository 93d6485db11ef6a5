import { describe, expect, it } from 'vitest';
import type { Location } from '../network/index.js';
import { shapeVariantStock } from './lookup-rules.js';
import type { StockLevel } from './types.js';

const loc = (id: string, type: Location['type'], lat: number, lng: number, active = true): Location =>
  ({ id, code: id, name: id.toUpperCase(), type, lat, lng, active }) as Location;
const lvl = (location_id: string, on_hand: number, available = on_hand, in_transit = 0): StockLevel => ({
  location_id,
  on_hand,
  reserved: on_hand - available,
  safety_stock: 0,
  in_transit,
  available,
  min_qty: null,
  max_qty: null,
});

const sol = loc('sol', 'store', 40.417, -3.703);
const gran = loc('gran', 'store', 40.42, -3.705);
const bcn = loc('bcn', 'store', 41.387, 2.17);
const shut = loc('shut', 'store', 40.41, -3.7, false);
const wh1 = loc('wh1', 'warehouse', 41.65, -0.88);
const wh2 = loc('wh2', 'warehouse', 40.0, -3.0);

describe('stock lookup shape', () => {
  it('shows here even at zero, other stores nearest first, warehouses most first', () => {
    const v = shapeVariantStock({
      here: sol,
      levels: [lvl('bcn', 4), lvl('gran', 1), lvl('wh1', 3), lvl('wh2', 9), lvl('shut', 5)],
      locations: [sol, gran, bcn, shut, wh1, wh2],
      channels: [],
    });
    expect(v.here).toMatchObject({ location_id: 'sol', on_hand: 0, available: 0, distance_km: null });
    expect(v.stores.map((s) => s.location_id)).toEqual(['gran', 'bcn']);
    expect(v.stores[0]!.distance_km).toBe(0.4);
    expect(v.stores[1]!.distance_km).toBeGreaterThan(400);
    expect(v.warehouses.map((w) => w.location_id)).toEqual(['wh2', 'wh1']);
  });
  it('leaves out stores with nothing and keeps only the nearest few; stock on its way counts', () => {
    const v = shapeVariantStock({
      here: sol,
      levels: [lvl('sol', 2), lvl('gran', 0, 0, 3), lvl('bcn', 0)],
      locations: [sol, gran, bcn],
      channels: [],
      nearby: 1,
    });
    expect(v.here!.available).toBe(2);
    expect(v.stores.map((s) => s.location_id)).toEqual(['gran']);
    expect(v.stores[0]!.in_transit).toBe(3);
  });
  it('without a store of its own (an admin), no distances and no here', () => {
    const v = shapeVariantStock({ here: undefined, levels: [lvl('gran', 1)], locations: [gran], channels: [] });
    expect(v.here).toBeNull();
    expect(v.stores[0]!.distance_km).toBeNull();
  });
});
