/**
 * A seeded synthetic sourcing workload (tests and bench/sourcing.ts): locations around Spanish-sized
 * geography, clustered in cities; stores carry a slice of the assortment in small quantities, warehouses
 * most of it; orders are 1–4 lines with popular SKUs skewed (Zipf-like), home / click & collect / pickup.
 */
import type { SourcingLocation, SourcingOrderInput, StockLevel } from '../../src/fulfillment/sourcing/candidates.js';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Workload {
  locations: SourcingLocation[];
  stock: StockLevel[];
  orders: SourcingOrderInput[];
}

export interface WorkloadSize {
  locations: number;
  warehouses: number;
  pickupPoints: number;
  skus: number;
  orders: number;
  /** Store packages per batch: drawn in [min, max]. */
  storeCapacity: [number, number];
}

export const BENCH_SIZE: WorkloadSize = {
  locations: 500,
  warehouses: 10,
  pickupPoints: 50,
  skus: 3000,
  orders: 1000,
  storeCapacity: [1, 4],
};

export function makeWorkload(seed: number, size: WorkloadSize = BENCH_SIZE): Workload {
  const r = rng(seed);
  const between = (a: number, b: number) => a + Math.floor(r() * (b - a + 1));
  const gauss = () => (r() + r() + r() - 1.5) * 0.8;
  const cities = Array.from({ length: 40 }, () => ({ lat: 36.8 + r() * 6.5, lng: -8.5 + r() * 11 }));
  const near = (spreadDeg: number) => {
    const c = cities[Math.floor(r() * cities.length)]!;
    return { lat: c.lat + gauss() * spreadDeg, lng: c.lng + gauss() * spreadDeg };
  };
  const locations: SourcingLocation[] = [];
  const stores = size.locations - size.warehouses - size.pickupPoints;
  for (let i = 0; i < size.warehouses; i++) {
    locations.push({
      id: `wh${i}`,
      type: 'warehouse',
      lat: 37 + r() * 6,
      lng: -7.5 + r() * 9,
      capabilities: ['ship'],
      active: true,
      capacityLeft: -1,
    });
  }
  for (let i = 0; i < stores; i++) {
    const p = near(0.25);
    const caps: SourcingLocation['capabilities'] =
      r() < 0.8 ? ['pickup', 'ship_from_store', 'returns'] : ['pickup', 'returns'];
    locations.push({
      id: `st${i}`,
      type: 'store',
      ...p,
      capabilities: caps,
      active: true,
      capacityLeft: between(...size.storeCapacity),
      excludedToday: r() < 0.02,
    });
  }
  for (let i = 0; i < size.pickupPoints; i++) {
    locations.push({
      id: `pp${i}`,
      type: 'pickup_point',
      ...near(0.2),
      capabilities: ['pickup'],
      active: true,
      capacityLeft: -1,
    });
  }
  const skus = Array.from({ length: size.skus }, (_, k) => `sku${k}`);
  const stock: StockLevel[] = [];
  for (const loc of locations) {
    if (loc.type === 'warehouse') {
      for (const sku of skus) if (r() < 0.6) stock.push({ sku, location_id: loc.id, available: between(3, 40) });
    } else if (loc.type === 'store') {
      for (const sku of skus)
        if (r() < 0.12) stock.push({ sku, location_id: loc.id, available: between(1, 4), max: between(1, 3) });
    }
  }
  const storeIds = locations.filter((l) => l.type === 'store' && l.capabilities.includes('pickup'));
  const points = locations.filter((l) => l.type === 'pickup_point');
  const restricted = new Set(locations.filter((l) => l.type === 'warehouse' || r() < 0.5).map((l) => l.id));
  const popular = () => skus[Math.floor(size.skus * r() ** 2.2)]!;
  const orders: SourcingOrderInput[] = [];
  for (let i = 0; i < size.orders; i++) {
    const nLines = [1, 1, 1, 1, 2, 2, 2, 3, 3, 4][Math.floor(r() * 10)]!;
    const lineSkus = new Set<string>();
    while (lineSkus.size < nLines) lineSkus.add(popular());
    const lines = [...lineSkus].map((sku) => ({ sku, quantity: r() < 0.9 ? 1 : 2 }));
    const m = r();
    const allowed = r() < 0.1 ? restricted : 'all';
    if (m < 0.8) {
      orders.push({ id: `o${i}`, method: 'home', dest: near(0.3), promise_days: r() < 0.3 ? 2 : 4, allowed, lines });
    } else if (m < 0.9) {
      const s = storeIds[Math.floor(r() * storeIds.length)]!;
      orders.push({
        id: `o${i}`,
        method: 'click_collect',
        dest: { lat: s.lat, lng: s.lng },
        dest_location_id: s.id,
        promise_days: 3,
        allowed,
        lines,
      });
    } else {
      const p = points[Math.floor(r() * points.length)]!;
      orders.push({
        id: `o${i}`,
        method: 'pickup_point',
        dest: { lat: p.lat, lng: p.lng },
        dest_location_id: p.id,
        promise_days: 4,
        allowed,
        lines,
      });
    }
  }
  return { locations, stock, orders };
}
