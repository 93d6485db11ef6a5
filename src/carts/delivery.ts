import type { Db } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { problems } from '../platform/http/problems.js';
import { SnapshotCache } from '../platform/db/snapshot-cache.js';
import type { CartsCatalogPort, CartsInventoryPort, CartsNetworkPort, CartsOrdersPort } from './ports.js';
import * as store from './store.js';
import {
  deliveryOptions,
  homeRate,
  HOME,
  parcelWeight,
  type DeliveryOption,
  type ShippingRate,
} from './delivery-rules.js';

/**
 * A carrier's home-delivery quote (the carriers module, wired in services.ts): price and transit days
 * for a parcel. Null when there is no carrier or it failed or timed out: the rate table answers then.
 */
export type HomeQuotePort = (q: {
  country: string;
  weight_g: number;
  currency: string;
}) => Promise<{ amount: number; currency: string; transit_days: number } | null>;

/** Lead times and rates change rarely and are read on every options call: cached this long. */
const TABLES_MS = 5000;

export interface DeliveryRequest {
  channel_id: string;
  currency: string;
  lines: { sku: string; quantity: number }[];
  merchandise_total: number;
  free_shipping_threshold?: number | undefined;
  country: string;
  /** Weights by SKU when the caller has them already (checkout), else read from the catalog. */
  weights?: Map<string, number> | undefined;
  /** Only this method's options are wanted: skips the store-load query when it is not click & collect. */
  only?: 'home' | 'click_collect' | 'pickup_point' | undefined;
}

/** Delivery options and the home-delivery price: gathers stock, lead times, rates and store load for the pure rules. */
export class DeliveryService {
  // Stale-while-revalidate on the pool, never a pending load shared with a transaction (SnapshotCache).
  private readonly tables: SnapshotCache<{ lead: Map<string, number>; rates: ShippingRate[] }>;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly network: CartsNetworkPort,
    private readonly orders: CartsOrdersPort,
    private readonly inventory?: CartsInventoryPort | undefined,
    private readonly catalog?: CartsCatalogPort | undefined,
    private readonly carrierQuote?: HomeQuotePort | undefined,
  ) {
    this.tables = new SnapshotCache(
      db,
      clock,
      (ex) =>
        Promise.all([store.allLeadTimes(ex), store.allRates(ex)]).then(([lt, r]) => ({
          lead: new Map(lt.map((x) => [`${x.from_location_id}>${x.to_location_id}`, x.days])),
          rates: r.map((x) => ({
            zone: x.zone,
            max_weight_g: x.max_weight_g,
            amount: Number(x.amount),
            currency: x.currency,
          })),
        })),
      TABLES_MS,
    );
  }

  private loadTables() {
    return this.tables.get();
  }

  private async weights(skus: string[]): Promise<Map<string, number>> {
    if (!this.catalog) return new Map();
    const v = await this.catalog.getVariants(skus);
    return new Map([...v].map(([sku, x]) => [sku, x.weight_g]));
  }

  /** The rate-table price of sending these lines home (before any free-shipping promotion). */
  async homePrice(
    lines: { sku: string; quantity: number }[],
    country: string,
    weights?: Map<string, number>,
  ): Promise<number> {
    const [{ rates }, w] = await Promise.all([this.loadTables(), weights ?? this.weights(lines.map((l) => l.sku))]);
    const weight = parcelWeight(lines.map((l) => ({ ...l, weight_g: w.get(l.sku) ?? null })));
    const currency = rates[0]?.currency ?? 'EUR';
    const quote = await this.quote(country, weight, currency);
    const rate = quote ?? homeRate(rates, country, weight);
    if (!rate) throw problems.field('delivery', 'the parcel is too heavy for home delivery');
    return rate.amount;
  }

  /** The carrier's quote, or null (no carrier, or it failed: the caller falls back to the tables). */
  private async quote(country: string, weight_g: number, currency: string) {
    if (!this.carrierQuote) return null;
    const q = await this.carrierQuote({ country, weight_g, currency }).catch(() => null);
    return q && q.currency === currency ? q : null;
  }

  async options(req: DeliveryRequest): Promise<DeliveryOption[]> {
    const now = this.clock.now();
    const skus = [...new Set(req.lines.map((l) => l.sku))];
    const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const snap = await this.network.snapshot();
    const channel = await this.network.requireChannel(req.channel_id);
    const stores = snap.locations.filter((l) => l.type === 'store').map((l) => l.id);
    const wantsHome = !req.only || req.only === 'home';
    const [tables, w, availability, load] = await Promise.all([
      this.loadTables(),
      req.weights ?? this.weights(skus),
      this.inventory ? this.inventory.availability({ channel: req.channel_id, skus }) : Promise.resolve([]),
      req.only && req.only !== 'click_collect'
        ? new Map<string, number>()
        : this.orders.pickupLoad(stores, dayStart, new Date(dayStart.getTime() + 86_400_000)),
    ]);
    const lines = req.lines.map((l) => ({ ...l, weight_g: w.get(l.sku) ?? null }));
    const carrier = wantsHome ? await this.quote(req.country, parcelWeight(lines), req.currency) : null;
    const all = deliveryOptions({
      lines,
      carrier,
      stock: new Map(availability.map((a) => [a.sku, new Map(a.locations.map((x) => [x.location_id, x.available]))])),
      locations: snap.locations,
      leadTimes: tables.lead,
      rates: tables.rates,
      country: req.country,
      currency: req.currency,
      merchandise_total: req.merchandise_total,
      free_shipping_threshold: req.free_shipping_threshold,
      pickup_load: load,
      channel_type: channel.type,
      now,
    });
    return req.only ? all.filter((o) => o.method === req.only) : all;
  }

  /** Sets the days from one location to another (or, with to = '*', to a customer's door). */
  async setLeadTime(
    from: string,
    to: string,
    days: number,
  ): Promise<{ from_location_id: string; to_location_id: string; days: number }> {
    const a = await this.network.location(from);
    if (!a) throw problems.field('from_location_id', `location ${from} does not exist`);
    const b = to === HOME ? undefined : await this.network.location(to);
    if (to !== HOME && !b) throw problems.field('to_location_id', `location ${to} does not exist`);
    await store.upsertLeadTime(this.db, a.id, b?.id ?? HOME, days);
    this.tables.invalidate();
    return { from_location_id: a.id, to_location_id: b?.id ?? HOME, days };
  }
}
