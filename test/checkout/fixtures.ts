/** A small retailer for the checkout scenarios: a warehouse, two stores, a pickup point, channels, priced SKUs, stock, promotions. */
import type { TestApp } from '../helpers/app.js';
import type { Location } from '../../src/network/index.js';

const address = { line1: 'Calle Mayor 1', city: 'Madrid', postal_code: '28013', country: 'ES' };
export const HOME_ADDRESS = { name: 'Ana', line1: 'Calle Luna 3', city: 'Madrid', postal_code: '28004', country: 'ES' };
export const GOOD_CARD = '4242 4242 4242 4242';
export const DECLINED_CARD = '4000000000000002';

export interface Shop {
  warehouse: Location;
  store: Location;
  otherStore: Location;
  point: Location;
  skus: string[];
  keys: { web: string; app: string; pos: string; phone: string };
}

export async function setupShop(
  t: TestApp,
  opts: { prefix?: string; stock?: number; promotions?: number } = {},
): Promise<Shop> {
  const s = t.omnia.services;
  const p = opts.prefix ?? 'c';
  const [warehouse, store, otherStore, point] = await s.network.createLocations([
    {
      code: `${p}-wh`,
      type: 'warehouse',
      name: 'Central warehouse',
      lat: 40.3,
      lng: -3.6,
      address,
      capabilities: ['ship'],
    },
    {
      code: `${p}-sol`,
      type: 'store',
      name: 'Sol store',
      lat: 40.41,
      lng: -3.7,
      address,
      capabilities: ['pickup', 'ship_from_store', 'returns'],
      daily_capacity: 100,
    },
    {
      code: `${p}-nopick`,
      type: 'store',
      name: 'Outlet without pickup',
      lat: 40.5,
      lng: -3.6,
      address,
      capabilities: ['returns'],
    },
    {
      code: `${p}-locker`,
      type: 'pickup_point',
      name: 'Locker Atocha',
      lat: 40.4,
      lng: -3.69,
      address,
      capabilities: ['pickup'],
    },
  ]);
  const skus = ['SHIRT', 'JEANS', 'SOCKS', 'LAST'].map((x) => `${p.toUpperCase()}-${x}`);
  const prices = [2995, 5995, 995, 4000];
  for (const [i, sku] of skus.entries()) {
    await s.catalog.createProduct({
      code: `${p}-prod-${i}`,
      name: sku,
      category: 'clothing',
      variants: [{ sku, weight_g: 400, prices: [{ currency: 'EUR', list_amount: prices[i]! }] }],
    });
  }
  const stock = opts.stock ?? 50;
  for (const sku of skus.slice(0, 3)) {
    await s.inventory.recordMovement({ sku, location_id: warehouse!.id, type: 'receipt', quantity: stock });
    await s.inventory.recordMovement({ sku, location_id: store!.id, type: 'receipt', quantity: 5 });
  }
  // The last unit: exactly one in the whole network.
  await s.inventory.recordMovement({ sku: skus[3]!, location_id: store!.id, type: 'receipt', quantity: 1 });
  const scopes = [
    'carts:read',
    'carts:write',
    'checkout:write',
    'orders:read',
    'orders:write',
    'pricing:read',
    'network:read',
  ] as const;
  const keys = {
    web: await t.apiKey(`${p}-web`, [...scopes], { type: 'web' }),
    app: await t.apiKey(`${p}-app`, [...scopes], { type: 'app' }),
    pos: await t.apiKey(`${p}-pos`, [...scopes], { type: 'pos', location: store!.id }),
    phone: await t.apiKey(`${p}-phone`, [...scopes], { type: 'contact_center' }),
  };
  const n = opts.promotions ?? 2;
  const promos = [
    { name: '10% off jeans', kind: 'item_percent' as const, params: { percent: 10 }, scope: { skus: [skus[1]!] } },
    { name: 'Free shipping over 50 €', kind: 'free_shipping' as const, params: { threshold: 5000 } },
    { name: '1 € off socks', kind: 'item_amount' as const, params: { amount: 100 }, scope: { skus: [skus[2]!] } },
    { name: '5% off shirts', kind: 'item_percent' as const, params: { percent: 5 }, scope: { skus: [skus[0]!] } },
    {
      name: '2 € off baskets over 80 €',
      kind: 'basket_amount' as const,
      params: { amount: 200 },
      conditions: { min_subtotal: 8000 },
    },
  ];
  for (const promo of promos.slice(0, n)) await s.promotions.createPromotion(promo as never);
  return { warehouse: warehouse!, store: store!, otherStore: otherStore!, point: point!, skus, keys };
}
