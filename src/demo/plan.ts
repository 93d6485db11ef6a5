/**
 * The demo retailer as data: stores, warehouses, pickup points, channels and the assortment, built
 * from a seed alone (no clock, no I/O, no Math.random), so `omnia seed --demo --seed S` makes the
 * same retailer everywhere. seed.ts writes it.
 */
import type { ChannelInput, LocationInput, OpeningHours } from '../network/index.js';
import type { ProductInput, VariantInput } from '../catalog/index.js';
import { gtinCheckDigit } from '../catalog/index.js';
import { Prng } from './prng.js';
import { CITIES, EXTRA_SITES, WAREHOUSES, type City } from './cities.js';
import { PICKUP_POINTS } from './pickup-points.js';
import { BRANDS, CATEGORIES, COLOURS, SIZE_CURVES, type CategorySpec } from './assortment.js';

export interface DemoOptions {
  seed: number;
  stores: number;
  products: number;
}

export const DEMO_DEFAULTS: DemoOptions = { seed: 1, stores: 40, products: 2000 };

/** A channel of the plan. */
export type DemoChannel = ChannelInput;

export interface DemoPlan {
  locations: LocationInput[];
  channels: DemoChannel[];
  products: ProductInput[];
}

export function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function storeHours(country: 'ES' | 'PT', mall: boolean, sundays: boolean): OpeningHours {
  const week: [string, string][] = mall
    ? [['10:00', '22:00']]
    : country === 'ES'
      ? [['10:00', '21:30']]
      : [['10:00', '20:00']];
  const hours: OpeningHours = { mon: week, tue: week, wed: week, thu: week, fri: week, sat: week };
  if (mall) hours.sun = [['10:00', '22:00']];
  else if (sundays) hours.sun = [['11:00', '20:00']];
  return hours;
}

function planStores(rng: Prng, count: number): LocationInput[] {
  const perCity = new Map<string, number>();
  const out: LocationInput[] = [];
  for (let i = 0; i < count; i++) {
    // One store per city in opening order first; then more stores where more people live.
    const city: City =
      i < CITIES.length
        ? CITIES[i]!
        : rng.weighted(
            CITIES,
            CITIES.map((c) => c.weight),
          );
    const n = (perCity.get(city.name) ?? 0) + 1;
    perCity.set(city.name, n);
    const first = n === 1;
    const site = first
      ? city.street
      : `${rng.pick(EXTRA_SITES[city.country])}${rng.chance(0.5) ? `, local ${rng.int(1, 240)}` : ` ${rng.int(1, 180)}`}`;
    const mall = !first && /Centro Comercial|Shopping/.test(site);
    const name = first
      ? `Nómada ${city.name} ${city.street.replace(/\s+\d+$/, '')}`
      : `Nómada ${city.name} ${site.split(',')[0]!.replace(/\s+\d+$/, '')}`;
    const shipFromStore = first || rng.chance(0.6);
    out.push({
      code: `st-${slug(city.name)}-${String(n).padStart(2, '0')}`,
      type: 'store',
      name,
      // Later stores sit a few km from the centre: about ±4 km north-south, ±4 km east-west.
      lat: first ? city.lat : +(city.lat + (rng.next() - 0.5) * 0.07).toFixed(5),
      lng: first ? city.lng : +(city.lng + (rng.next() - 0.5) * 0.09).toFixed(5),
      address: {
        line1: site,
        city: city.name,
        postal_code: city.postal_code,
        region: city.region,
        country: city.country,
      },
      capabilities: shipFromStore ? ['pickup', 'ship_from_store', 'returns'] : ['pickup', 'returns'],
      opening_hours: storeHours(city.country, mall, rng.chance(0.3)),
      timezone: city.timezone,
      daily_capacity: shipFromStore ? rng.int(2, 8) * 10 : 0,
    });
  }
  return out;
}

function planOthers(): LocationInput[] {
  const warehouses: LocationInput[] = WAREHOUSES.map((w, i) => ({
    code: w.code,
    type: 'warehouse',
    name: w.name,
    lat: w.lat,
    lng: w.lng,
    address: { ...w.address },
    capabilities: ['ship', 'returns'],
    opening_hours: {
      mon: [['06:00', '22:00']],
      tue: [['06:00', '22:00']],
      wed: [['06:00', '22:00']],
      thu: [['06:00', '22:00']],
      fri: [['06:00', '22:00']],
      sat: [['08:00', '14:00']],
    },
    timezone: w.timezone,
    daily_capacity: i === 0 ? 6000 : 3000,
  }));
  const pickup: LocationInput[] = PICKUP_POINTS.map((p) => ({
    code: p.code,
    type: 'pickup_point',
    name: p.name,
    lat: p.lat,
    lng: p.lng,
    address: { line1: p.line1, city: p.city, postal_code: p.postal_code, country: p.country },
    capabilities: ['pickup'],
    opening_hours: Object.fromEntries(
      (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((d) => [d, [['06:00', '23:00']]]),
    ),
    timezone: p.country === 'PT' ? 'Europe/Lisbon' : 'Europe/Madrid',
    daily_capacity: 150,
  }));
  return [...warehouses, ...pickup];
}

/** The stable channel codes other modules, tests and connectors rely on. */
export const DEMO_CHANNELS: DemoChannel[] = [
  { code: 'web', type: 'web', name: 'Tienda online nomada.es' },
  { code: 'app', type: 'app', name: 'App Nómada' },
  // The tills promise every location's stock (endless aisle: a size the store lacks is sold at the
  // counter and shipped from a warehouse or another store); a carry-out sale takes the store's own units.
  { code: 'pos', type: 'pos', name: 'Tiendas (TPV)' },
  { code: 'contact_center', type: 'contact_center', name: 'Atención al cliente' },
  { code: 'amazon', type: 'marketplace', name: 'Amazon', stock_policy: { safety_stock: 1, buffer_pct: 10 } },
  { code: 'aliexpress', type: 'marketplace', name: 'AliExpress', stock_policy: { safety_stock: 2, buffer_pct: 20 } },
  { code: 'social', type: 'social', name: 'Instagram y TikTok Shop', stock_policy: { safety_stock: 1, buffer_pct: 5 } },
  // Issue 19: one channel per social shop, each with its catalog feed (GET /v1/feeds/{code}) and its price book.
  { code: 'instagram', type: 'social', name: 'Instagram Shop', stock_policy: { safety_stock: 1, buffer_pct: 5 } },
  { code: 'facebook', type: 'social', name: 'Facebook Shop', stock_policy: { safety_stock: 1, buffer_pct: 5 } },
  { code: 'tiktok', type: 'social', name: 'TikTok Shop', stock_policy: { safety_stock: 2, buffer_pct: 10 } },
];

function pricePoint(rng: Prng, [low, high]: [number, number]): number {
  // Price points every 5 euros ending in .95, as fashion retail prices them.
  const steps = Math.floor((high - low) / 5);
  return Math.round((low + 5 * rng.int(0, steps)) * 100);
}

function planProduct(rng: Prng, index: number, spec: CategorySpec, gtinBase: { next: number }): ProductInput {
  const code = `NM${String(index + 1).padStart(5, '0')}`;
  const colour = rng.pick(COLOURS);
  const name = `${rng.pick(spec.nouns)} ${rng.pick(spec.styles)} ${rng.pick(spec.materials)}`;
  const brand = spec.path.startsWith('kids/') ? 'Nómada Kids' : rng.weighted(BRANDS.slice(0, 4), [5, 2, 3, 1]);
  const list = pricePoint(rng, spec.price);
  const onSale = rng.chance(0.12);
  const sale = onSale ? Math.max(95, Math.round((list * (1 - rng.pick([0.2, 0.3, 0.4]))) / 100) * 100 - 5) : null;
  const curve = SIZE_CURVES[spec.sizes];
  // Not every style comes in every size: some skip the smallest or the largest.
  let sizes = curve.sizes;
  if (sizes.length > 3 && rng.chance(0.15)) sizes = sizes.slice(1);
  if (sizes.length > 3 && rng.chance(0.15)) sizes = sizes.slice(0, -1);
  const costShare = 0.3 + rng.next() * 0.15;
  const unitCost = Math.round((list / 1.21) * costShare);
  const weight = rng.int(spec.weight_g[0], spec.weight_g[1]);
  const variants: VariantInput[] = sizes.map((size, position) => {
    // 84 = GS1 Spain; a 12-digit body counted up per SKU, then the check digit.
    const body = String(843700000000 + gtinBase.next++);
    return {
      sku: `${code}-${size}`,
      gtin: body + gtinCheckDigit(body),
      size,
      colour,
      weight_g: weight,
      unit_cost: unitCost,
      position,
      prices: [{ currency: 'EUR', list_amount: list, sale_amount: sale }],
    };
  });
  return {
    code,
    name,
    description: `${name}, color ${colour.toLowerCase()}. ${brand}.`,
    brand,
    category: spec.path,
    tax_class: 'standard',
    returnable: true,
    attributes: {
      season: rng.pick(['SS26', 'AW26', 'permanent']),
      size_curve: Object.fromEntries(curve.sizes.map((s, i) => [s, curve.weights[i]])),
    },
    variants,
  };
}

export function planDemo(opts: DemoOptions): DemoPlan {
  const rng = new Prng(opts.seed);
  const locations = [...planStores(rng, opts.stores), ...planOthers()];
  const gtinBase = { next: 0 };
  const products: ProductInput[] = [];
  const shares = CATEGORIES.map((c) => c.share);
  for (let i = 0; i < opts.products; i++)
    products.push(planProduct(rng, i, rng.weighted(CATEGORIES, shares), gtinBase));
  return { locations, channels: DEMO_CHANNELS.map((c) => ({ ...c })), products };
}
