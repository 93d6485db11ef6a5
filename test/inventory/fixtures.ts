/** A small retailer for the inventory tests: stores, a warehouse, a pickup point, channels and SKUs. */
import type { Services } from '../../src/services.js';
import { NetworkService, type Location } from '../../src/network/index.js';
import { CatalogService } from '../../src/catalog/index.js';
import { InventoryService } from '../../src/inventory/index.js';
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
