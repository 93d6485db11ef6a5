/** A small retailer for the inventory tests: stores, a warehouse, a pickup point, channels and SKUs. */
import type { Services } from '../../src/services.js';
import { NetworkService, type Location } from '../../src/network/index.js';
import { CatalogService } from '../../src/catalog/index.js';
import { InventoryService, type AvailabilityQuery } from '../../src/inventory/index.js';
import type { Clock } from '../../src/platform/clock.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

export interface Retail {
  stores: Location[];
  warehouse: Location;
  pickup: Location;
  skus: string[];
}

const address = { line1: 'Calle Mayor 1', city: 'Madrid', postal_code: '28013', country: 'ES' };

export async function setupRetail(
  s: Pick<Services, 'network' | 'catalog'>,
  opts: { stores?: number; skus?: number; prefix?: string } = {},
): Promise<Retail> {
  const n = opts.stores ?? 3;
  const p = opts.prefix ?? 't';
  const locs = await s.network.createLocations([
    ...Array.from({ length: n }, (_, i) => ({
      code: `${p}-store-${i}`,
      type: 'store' as const,
      name: `Store ${i}`,
      lat: 40.4 + i * 0.1,
      lng: -3.7 + i * 0.1,
      address,
      capabilities: ['pickup' as const, 'ship_from_store' as const],
    })),
    {
      code: `${p}-wh`,
      type: 'warehouse' as const,
      name: 'Warehouse',
      lat: 40.0,
      lng: -3.0,
      address,
      capabilities: ['ship' as const],
    },
    {
      code: `${p}-pp`,
      type: 'pickup_point' as const,
      name: 'Locker',
      lat: 40.41,
      lng: -3.71,
      address,
      capabilities: ['pickup' as const],
    },
  ]);
  const skus = Array.from({ length: opts.skus ?? 4 }, (_, i) => `${p.toUpperCase()}-SKU-${i}`);
  for (let i = 0; i < skus.length; i += 100) {
    const chunk = skus.slice(i, i + 100);
    await s.catalog.createProduct({
      code: `${p}-prod-${i}`,
      name: `Product ${i}`,
      variants: chunk.map((sku) => ({ sku })),
    });
  }
  return { stores: locs.slice(0, n), warehouse: locs[n]!, pickup: locs[n + 1]!, skus };
}

/**
 * Two inventory services on one PostgreSQL database — what two processes look like, each with its own
 * batcher and sold-out hints — over a retailer whose web channel holds back a safety stock of 1.
 */
export async function twoInventoryProcesses(
  clock: Clock,
  retail: { stores: number; skus: number; prefix: string },
): Promise<{ d: TestDatabase; r: Retail; one: InventoryService; two: InventoryService }> {
  const d = await createTestDatabase({ forcePg: true, poolSize: 16 });
  const network = new NetworkService(d.db, clock);
  const catalog = new CatalogService(d.db, clock, network);
  const one = new InventoryService({ db: d.db, clock, network, catalog });
  const two = new InventoryService({ db: d.db, clock, network, catalog });
  await network.createChannel({ code: 'web', type: 'web', name: 'Web', stock_policy: { safety_stock: 1 } });
  const r = await setupRetail({ network, catalog }, retail);
  return { d, r, one, two };
}

/**
 * One inventory service on a fresh test database (PGlite or PostgreSQL, as the run asks) over a
 * retailer whose web channel holds back no safety stock: every unit at a store is the web's to grant.
 */
export async function oneInventoryProcess(
  clock: Clock,
  retail: { stores: number; skus: number; prefix: string },
): Promise<{ d: TestDatabase; r: Retail; inv: InventoryService }> {
  const d = await createTestDatabase();
  const network = new NetworkService(d.db, clock);
  const catalog = new CatalogService(d.db, clock, network);
  const inv = new InventoryService({ db: d.db, clock, network, catalog });
  await network.createChannel({ code: 'web', type: 'web', name: 'Web', stock_policy: { safety_stock: 0 } });
  const r = await setupRetail({ network, catalog }, retail);
  return { d, r, inv };
}

/**
 * The availability-answer suites' world: a reader and a writer service (two processes' answer caches)
 * on a fresh test database, a web channel with a safety stock of 1, and the first SKU received at every
 * store (5, 6, 7 units) and at the warehouse (20); `queries` are the answers those suites compare.
 */
export async function answerWorld(
  clock: Clock,
  prefix: string,
): Promise<{
  d: TestDatabase;
  r: Retail;
  reader: InventoryService;
  writer: InventoryService;
  deps: ConstructorParameters<typeof InventoryService>[0];
  network: NetworkService;
  catalog: CatalogService;
}> {
  const d = await createTestDatabase();
  const network = new NetworkService(d.db, clock);
  const catalog = new CatalogService(d.db, clock, network);
  const deps = { db: d.db, clock, network, catalog };
  const reader = new InventoryService(deps);
  const writer = new InventoryService(deps);
  await network.createChannel({ code: 'web', type: 'web', name: 'Web', stock_policy: { safety_stock: 1 } });
  const r = await setupRetail({ network, catalog }, { stores: 3, skus: 3, prefix });
  for (const [i, s] of r.stores.entries())
    await writer.recordMovement({ sku: r.skus[0]!, location_id: s.id, type: 'receipt', quantity: 5 + i });
  await writer.recordMovement({ sku: r.skus[0]!, location_id: r.warehouse.id, type: 'receipt', quantity: 20 });
  return { d, r, reader, writer, deps, network, catalog };
}

/** The answers the availability-answer suites compare: one SKU, three, near a point, near with a radius. */
export const answerQueries = (r: Retail): AvailabilityQuery[] => [
  { channel: 'web', skus: [r.skus[0]!] },
  { channel: 'web', skus: [r.skus[0]!, r.skus[1]!, r.skus[2]!] },
  { channel: 'web', skus: [r.skus[0]!], lat: 40.4, lng: -3.7 },
  { channel: 'web', skus: [r.skus[0]!, r.skus[1]!], lat: 40.45, lng: -3.65, radius_km: 20 },
];
