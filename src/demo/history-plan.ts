/**
 * The demo retailer's past, as data: months of web, app, till, contact-center and marketplace
 * orders with their fulfilment, returns, behaviour (visit days) and demand answered out of stock,
 * built from a seed and an end day alone (no clock, no I/O), so the same seed and end give the same
 * history everywhere. history.ts writes it in bulk.
 *
 * Shapes follow the study (46,000 shoppers): about 7 % of customers buy online only, 20 %
 * in stores only and 73 % in several channels; the last order more often and spend more.
 */
import { Prng } from './prng.js';

export interface HistoryWorld {
  stores: { id: string; region: string; country: string; ship_from_store: boolean }[];
  warehouses: { id: string; country: string }[];
  pickup_points: { id: string; country: string }[];
  /** The demo's channels by code (web, app, pos, contact_center, amazon, aliexpress). */
  channels: Record<string, { id: string; type: string }>;
  /** Products with their SKUs, most popular first (the plan's order is fine: popularity is drawn). */
  products: { id: string; skus: { sku: string; size: string | null; price: number; weight_g: number }[] }[];
}
export interface HistoryOptions {
  seed: number;
  /** First day after the history, YYYY-MM-DD (the history ends the day before). */
  end: string;
  days: number;
  customers: number;
}

export type Method = 'home' | 'click_collect' | 'pickup_point' | 'in_store';
export interface HOrderLine {
  sku: string;
  product_id: string;
  quantity: number;
  unit_price: number;
  location_id: string;
}
export interface HOrder {
  n: number;
  customer: number;
  channel_code: string;
  /** ms since epoch */
  placed_at: number;
  cancelled: boolean;
  method: Method;
  /** the till's store, or the collect store / pickup point */
  location_id: string | null;
  source_location_id: string;
  country: string;
  shipping_paid: number;
  fulfilment_cost: number;
  lines: HOrderLine[];
}
export interface HReturn {
  order: number;
  /** indexes into the order's lines */
  lines: number[];
  location_id: string;
  at: number;
}
export interface HCustomer {
  n: number;
  segment: 'online_only' | 'store_only' | 'omnichannel';
  home_store: number;
  country: string;
  created_at: number;
}
/** A customer's active day in a channel: visit days online, store visits at the till channel. */
export interface HVisit {
  customer: number;
  day: number;
  channel_code: string;
  kind: 'online' | 'store' | 'assisted';
  events: number;
  views: number;
  cart_adds: number;
  store_visits: number;
}
export interface HLost {
  day: number;
  source: 'availability' | 'cart' | 'checkout';
  channel_code: string;
  location_id: string | null;
  sku: string;
  units: number;
  unit_price: number;
  elsewhere: number;
}
export interface History {
  start_day: number;
  end_day: number;
  customers: HCustomer[];
  orders: HOrder[];
  returns: HReturn[];
  visits: HVisit[];
  lost: HLost[];
}

const DAY_MS = 86_400_000;
/** Free home delivery from this merchandise value (the retailer's current policy). */
export const DEMO_FREE_SHIPPING_FROM = 5000;
/** Home delivery price by zone, pickup point fee, and the cost model of a parcel (minor units). */
export const DEMO_SHIPPING = {
  home_price: { ES: 395, PT: 495 } as Record<string, number>,
  pickup_price: 295,
  pick_warehouse: 110,
  pick_store: 260,
  carrier_home: { ES: 430, PT: 590 } as Record<string, number>,
  carrier_per_kg: 55,
  carrier_pickup: 290,
  /** a store → store or warehouse → store transfer, per order it carries */
  transfer: 160,
};

const ONLINE_CHANNELS = ['web', 'app', 'contact_center', 'amazon', 'aliexpress'] as const;
const ONLINE_WEIGHTS = [50, 29, 6, 10, 5];
const RETURN_RATE: Record<string, number> = {
  web: 0.22,
  app: 0.2,
  contact_center: 0.12,
  amazon: 0.16,
  aliexpress: 0.12,
  pos: 0.06,
};
/** Visit days per order, so conversion per channel comes out near what the trade reports for known shoppers. */
const VISITS_PER_ORDER: Record<string, number> = { web: 9, app: 6, pos: 3, contact_center: 1.3 };

export function epochDayOf(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / DAY_MS;
}

function orderCount(rng: Prng, segment: HCustomer['segment'], months: number): number {
  // per 6 months: online-only ~1.6, store-only ~1.9, omnichannel ~3.9 orders
  const scale = months / 6;
  const base = segment === 'omnichannel' ? 3.9 : segment === 'store_only' ? 1.9 : 1.6;
  const min = segment === 'omnichannel' ? 2 : 1;
  let n = 0;
  const mean = base * scale;
  // a sum of Bernoulli draws: mean-preserving, bounded, deterministic
  for (let i = 0; i < Math.ceil(mean * 2); i++) if (rng.chance(mean / Math.ceil(mean * 2))) n++;
  return Math.max(min, n);
}

function pickProduct(rng: Prng, count: number): number {
  // a long tail: the first tenth of the catalog takes about half the demand
  return Math.min(count - 1, Math.floor(count * rng.next() ** 2.6));
}

function pickSize<T>(rng: Prng, skus: T[]): T {
  // middle sizes sell most
  const w = skus.map((_, i) => 1 + Math.min(i, skus.length - 1 - i) * 1.6);
  return rng.weighted(skus, w);
}

export function planHistory(world: HistoryWorld, opts: HistoryOptions): History {
  const rng = new Prng(opts.seed ^ 0x5eed_4157);
  const endDay = epochDayOf(opts.end);
  const startDay = endDay - opts.days;
  const months = opts.days / 30.44;
  const stores = world.stores;
  const customers: HCustomer[] = [];
  const orders: HOrder[] = [];
  const returns: HReturn[] = [];
  const visits: HVisit[] = [];
  const lost: HLost[] = [];
  const storeWeights = stores.map((_, i) => (i < 10 ? 3 : 1));

  const randomTime = (day: number, store: boolean) =>
    day * DAY_MS + (store ? rng.int(10, 20) : rng.int(7, 23)) * 3_600_000 + rng.int(0, 3_599) * 1000;

  for (let c = 0; c < opts.customers; c++) {
    const r = rng.next();
    const segment: HCustomer['segment'] = r < 0.07 ? 'online_only' : r < 0.27 ? 'store_only' : 'omnichannel';
    const home = rng.weighted(
      stores.map((_, i) => i),
      storeWeights,
    );
    const country = stores[home]!.country;
    const count = orderCount(rng, segment, months);
    const days = Array.from({ length: count }, () => startDay + rng.int(0, opts.days - 1)).sort((a, b) => a - b);
    customers.push({ n: c, segment, home_store: home, country, created_at: (days[0]! - rng.int(0, 400)) * DAY_MS });
    days.forEach((day, k) => {
      let channel: string;
      if (segment === 'store_only') channel = 'pos';
      else if (segment === 'online_only') channel = rng.weighted(ONLINE_CHANNELS, ONLINE_WEIGHTS);
      // an omnichannel customer uses both groups: the first order in one, the second in the other
      else if (k < 2) channel = (k === 0) === rng.chance(0.5) ? 'pos' : rng.weighted(ONLINE_CHANNELS, ONLINE_WEIGHTS);
      else channel = rng.chance(0.55) ? 'pos' : rng.weighted(ONLINE_CHANNELS, ONLINE_WEIGHTS);
      if (segment === 'omnichannel' && k === 1) {
        const first = orders[orders.length - 1]!.channel_code;
        if ((first === 'pos') === (channel === 'pos'))
          channel = first === 'pos' ? rng.weighted(ONLINE_CHANNELS, ONLINE_WEIGHTS) : 'pos';
      }
      orders.push(planOrder(rng, world, { n: orders.length, customer: c, home, country, channel, day, randomTime }));
      const o = orders[orders.length - 1]!;
      const v = VISITS_PER_ORDER[channel] ?? 0;
      // visit days around the order, the last one the order day itself
      const nv = Math.floor(v) + (rng.chance(v - Math.floor(v)) ? 1 : 0);
      for (let i = 0; i < nv; i++) {
        const vd = i === 0 ? day : Math.max(startDay, day - rng.int(1, 20));
        const store = channel === 'pos';
        visits.push({
          customer: c,
          day: vd,
          channel_code: channel,
          kind: store ? 'store' : channel === 'contact_center' ? 'assisted' : 'online',
          events: store ? 1 : rng.int(2, 14),
          views: store ? 0 : rng.int(1, 9),
          cart_adds: store ? 0 : i === 0 ? o.lines.length : rng.chance(0.3) ? 1 : 0,
          store_visits: store ? 1 : 0,
        });
      }
      const p = RETURN_RATE[channel] ?? 0.1;
      if (!o.cancelled && rng.chance(p)) {
        const at = o.placed_at + rng.int(2, 24) * DAY_MS;
        if (at < endDay * DAY_MS) {
          const all = rng.chance(0.3);
          const lines = all ? o.lines.map((_, i) => i) : [rng.int(0, o.lines.length - 1)];
          let location: string;
          if (o.method === 'in_store') location = rng.chance(0.85) ? o.location_id! : stores[home]!.id;
          else if (o.method === 'click_collect') location = rng.chance(0.75) ? o.location_id! : world.warehouses[0]!.id;
          else location = rng.chance(0.45) ? stores[home]!.id : world.warehouses[0]!.id;
          returns.push({ order: o.n, lines, location_id: location, at });
        }
      }
    });
  }
  // Visits that did not end in an order: browsing days and store walk-ins of known customers.
  for (const cu of customers) {
    const extra = rng.int(0, cu.segment === 'store_only' ? 2 : 5);
    for (let i = 0; i < extra; i++) {
      const store = cu.segment === 'store_only' || (cu.segment === 'omnichannel' && rng.chance(0.4));
      visits.push({
        customer: cu.n,
        day: startDay + rng.int(0, opts.days - 1),
        channel_code: store ? 'pos' : rng.weighted(['web', 'app'], [6, 4]),
        kind: store ? 'store' : 'online',
        events: store ? 1 : rng.int(1, 8),
        views: store ? 0 : rng.int(1, 6),
        cart_adds: 0,
        store_visits: store ? 1 : 0,
      });
    }
  }
  planLost(rng, world, startDay, opts.days, lost);
  return { start_day: startDay, end_day: endDay, customers, orders, returns, visits: dedupeVisits(visits), lost };
}

/** customer_daily holds one row per customer, day and channel: same-day visits are added up. */
function dedupeVisits(visits: HVisit[]): HVisit[] {
  const by = new Map<string, HVisit>();
  for (const v of visits) {
    const key = `${v.customer}|${v.day}|${v.channel_code}|${v.kind}`;
    const had = by.get(key);
    if (!had) by.set(key, { ...v });
    else {
      had.events += v.events;
      had.views += v.views;
      had.cart_adds += v.cart_adds;
      had.store_visits += v.store_visits;
    }
  }
  return [...by.values()];
}

interface OrderCtx {
  n: number;
  customer: number;
  home: number;
  country: string;
  channel: string;
  day: number;
  randomTime: (day: number, store: boolean) => number;
}

function planOrder(rng: Prng, world: HistoryWorld, x: OrderCtx): HOrder {
  const till = x.channel === 'pos';
  const marketplace = x.channel === 'amazon' || x.channel === 'aliexpress';
  const homeStore = world.stores[x.home]!;
  const tillStore = till ? (rng.chance(0.82) ? homeStore : rng.pick(world.stores)) : null;
  let method: Method = 'in_store';
  let location: string | null = tillStore?.id ?? null;
  if (!till) {
    const m = marketplace ? 0 : rng.next();
    method = m < 0.58 ? 'home' : m < 0.9 ? 'click_collect' : 'pickup_point';
    if (method === 'click_collect') location = homeStore.id;
    if (method === 'pickup_point') {
      const pps = world.pickup_points.filter((p) => p.country === x.country);
      location = (pps.length ? rng.pick(pps) : rng.pick(world.pickup_points)).id;
    }
  }
  const nLines = 1 + (rng.chance(0.42) ? 1 : 0) + (rng.chance(0.16) ? 1 : 0) + (rng.chance(0.05) ? 1 : 0);
  // Where the goods come from: the till's store; the collect store when it has them (else a transfer
  // from the warehouse); a ship-from-store store for about a quarter of home parcels.
  const sfsStores = world.stores.filter((s) => s.ship_from_store && s.country === x.country);
  const collectHasStock = method === 'click_collect' && rng.chance(0.7);
  const shipFromStore = method === 'home' && !marketplace && sfsStores.length > 0 && rng.chance(0.25);
  const warehouse = world.warehouses.find((w) => w.country === x.country) ?? world.warehouses[0]!;
  const source = tillStore
    ? tillStore.id
    : collectHasStock
      ? homeStore.id
      : shipFromStore
        ? rng.pick(sfsStores).id
        : warehouse.id;
  const lines: HOrderLine[] = [];
  let weight = 0;
  for (let i = 0; i < nLines; i++) {
    const p = world.products[pickProduct(rng, world.products.length)]!;
    const s = pickSize(rng, p.skus);
    const had = lines.find((l) => l.sku === s.sku);
    if (had) {
      had.quantity++;
    } else {
      lines.push({ sku: s.sku, product_id: p.id, quantity: 1, unit_price: s.price, location_id: source });
    }
    weight += s.weight_g;
  }
  const merchandise = lines.reduce((a, l) => a + l.quantity * l.unit_price, 0);
  const S = DEMO_SHIPPING;
  let paid = 0;
  let cost = 0;
  const kg = Math.ceil(weight / 1000);
  if (method === 'home') {
    paid = marketplace || merchandise >= DEMO_FREE_SHIPPING_FROM ? 0 : (S.home_price[x.country] ?? 495);
    cost =
      (shipFromStore ? S.pick_store : S.pick_warehouse) + (S.carrier_home[x.country] ?? 590) + kg * S.carrier_per_kg;
  } else if (method === 'pickup_point') {
    paid = S.pickup_price;
    cost = S.pick_warehouse + S.carrier_pickup + kg * 20;
  } else if (method === 'click_collect') {
    cost = collectHasStock ? S.pick_store : S.pick_warehouse + S.transfer;
  }
  return {
    n: x.n,
    customer: x.customer,
    channel_code: x.channel,
    placed_at: x.randomTime(x.day, till),
    cancelled: !till && rng.chance(0.02),
    method,
    location_id: location,
    source_location_id: source,
    country: x.country,
    shipping_paid: paid,
    fulfilment_cost: cost,
    lines,
  };
}

/**
 * Demand answered out of stock: availability asked in stores (a shopper at the shelf or an associate
 * checking), cart additions and checkouts on the web and the app. Popular SKUs run out more; about
 * two thirds of the time another location still had the size (a sourcing opportunity).
 */
function planLost(rng: Prng, world: HistoryWorld, startDay: number, days: number, out: HLost[]): void {
  const perDay = Math.max(4, Math.round(world.stores.length * 0.9));
  for (let d = 0; d < days; d++) {
    const n = rng.int(Math.floor(perDay * 0.6), Math.ceil(perDay * 1.4));
    for (let i = 0; i < n; i++) {
      const p = world.products[pickProduct(rng, world.products.length)]!;
      const s = pickSize(rng, p.skus);
      const r = rng.next();
      const source: HLost['source'] = r < 0.5 ? 'availability' : r < 0.85 ? 'cart' : 'checkout';
      const inStore = source === 'availability' && rng.chance(0.8);
      const store = rng.pick(world.stores);
      out.push({
        day: startDay + d,
        source,
        channel_code: inStore ? 'pos' : rng.weighted(['web', 'app'], [6, 4]),
        location_id: inStore || rng.chance(0.3) ? store.id : null,
        sku: s.sku,
        units: rng.chance(0.85) ? 1 : 2,
        unit_price: s.price,
        elsewhere: rng.chance(0.65) ? rng.int(1, 6) : 0,
      });
    }
  }
}
