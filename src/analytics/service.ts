/**
 * The analytics reports: channel mix and customer value, shipping cost and free shipping, lost
 * sales. Reads through store.ts, computes with the pure rules, and records lost demand in batches
 * (lost-demand.ts). Read-only over the other modules' data.
 */
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, problems } from '../platform/http/problems.js';
import { channelMixWindow, conversionByChannel, customerSegments, SEGMENTS, storeCredits } from './channel-rules.js';
import { breakEvenThreshold, freeShippingWhatIf, marginByBand, shippingCostByBand } from './shipping-rules.js';
import { classifyLostSales } from './lost-sales-rules.js';
import { aggregateLost, homeStores, monthWindows, reportWindow, type Window } from './report-rules.js';
import type {
  Channel,
  ChannelMix,
  ConversionRow,
  LostSale,
  Result,
  ShippingOrder,
  StockElsewhere,
  StoreCredit,
} from './types.js';
import * as store from './store.js';
import { LostDemandRecorder } from './lost-demand.js';
import type { LostDemandPorts } from './ports.js';
import type { ChannelMixReport, LostSaleLine, LostSalesReport, ShippingReport } from './schemas.js';

/** The till is the store channel; social shops are a channel of their own (issue 19: feeds, orders, share links). */
const CHANNEL_OF: Record<string, Channel> = {
  web: 'web',
  app: 'app',
  pos: 'store',
  contact_center: 'contact_center',
  marketplace: 'marketplace',
  social: 'social',
};
export const DEFAULT_BANDS = [0, 2500, 5000, 7500, 10000, 15000];
export const DEFAULT_GROSS_MARGIN_BP = 5500;
export const DEFAULT_THRESHOLD = 5000;
export const DEFAULT_REACH = 1500;
/** Candidate thresholds for the break-even search: every 5.00 up to 300.00. */
const CANDIDATES = Array.from({ length: 60 }, (_, i) => (i + 1) * 500);

function must<T>(r: Result<T>): T {
  if (!r.ok) throw problems.field(r.error.field, r.error.message);
  return r.value;
}
const DAY_MS = 86_400_000;
const shiftDay = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

export interface WindowQuery {
  from?: string | undefined;
  to?: string | undefined;
  currency?: string | undefined;
}

export class AnalyticsService {
  /** Demand answered out of stock, batched (routes.ts hooks it onto the answers that say so). */
  readonly lostDemand: LostDemandRecorder | null;

  constructor(
    readonly db: Db,
    readonly clock: Clock,
    ports?: LostDemandPorts,
  ) {
    this.lostDemand = ports ? new LostDemandRecorder(db, clock, ports) : null;
  }

  window(q: WindowQuery): Window {
    return must(reportWindow(q.from, q.to, this.clock.now().toISOString().slice(0, 10)));
  }

  async channelMix(
    q: WindowQuery & { group_by?: 'month' | 'region' | 'store' | undefined },
  ): Promise<ChannelMixReport> {
    const w = this.window(q);
    const currency = q.currency ?? 'EUR';
    const groupBy = q.group_by ?? 'month';
    // The year before the window too: 12-month retention compares with it.
    const rows = await store.orderFacts(this.db, shiftDay(w.from, -365), w.to, currency);
    const facts = rows.map((r) => ({ ...r, channel: CHANNEL_OF[r.channel_type] ?? 'web' }));
    const inWindow = facts.filter((f) => f.placed_on >= w.from);
    const names = await store.locationNames(this.db);
    const total = must(channelMixWindow(facts, w.from, w.to));

    let groups: ChannelMixReport['groups'];
    if (groupBy === 'month') {
      const classes = customerSegments(facts, w.from, w.to);
      groups = monthWindows(w.from, w.to).map((m) => {
        const mix = must(channelMixWindow(facts, m.from, m.to, classes));
        return { key: m.key, name: m.key, customers: mix.customers, segments: mix.segments };
      });
    } else {
      const home = homeStores(facts, w.from, w.to);
      const keyOf = (customer: string): string => {
        const s = home.get(customer) ?? null;
        if (s === null) return 'online';
        return groupBy === 'store' ? s : (names.get(s)?.region ?? 'online');
      };
      const byKey = new Map<string, typeof facts>();
      for (const f of facts) {
        if (!home.has(f.customer_id)) continue; // not a customer of the window
        const k = keyOf(f.customer_id);
        let list = byKey.get(k);
        if (!list) byKey.set(k, (list = []));
        list.push(f);
      }
      groups = [...byKey.entries()]
        .map(([key, fs]) => {
          const mix: ChannelMix = must(channelMixWindow(fs, w.from, w.to));
          const name = key === 'online' ? 'online' : groupBy === 'store' ? (names.get(key)?.name ?? key) : key;
          return { key, name, customers: mix.customers, segments: mix.segments };
        })
        .sort((a, b) => b.customers - a.customers || (a.key < b.key ? -1 : 1));
    }

    const visits = await store.visitCounts(this.db, w.from, w.to);
    const ordersPer = new Map<Channel, number>();
    for (const f of inWindow) ordersPer.set(f.channel, (ordersPer.get(f.channel) ?? 0) + 1);
    const conversion: ConversionRow[] = must(
      conversionByChannel(
        visits.map((v) => ({ channel: CHANNEL_OF[v.channel_type] ?? 'web', visits: v.visits })),
        [...ordersPer].map(([channel, orders]) => ({ channel, orders })),
      ),
    );
    const credits: (StoreCredit & { name: string })[] = must(storeCredits(inWindow)).map((c) => ({
      ...c,
      name: names.get(c.store)?.name ?? c.store,
    }));
    return {
      from: w.from,
      to: w.to,
      group_by: groupBy,
      currency,
      total: { customers: total.customers, segments: total.segments, channels: total.channels },
      groups,
      conversion,
      credits,
    };
  }

  async shipping(
    q: WindowQuery & {
      threshold?: number | undefined;
      gross_margin?: number | undefined;
      reach?: number | undefined;
      bands?: string | undefined;
    },
  ): Promise<ShippingReport> {
    const w = this.window(q);
    const currency = q.currency ?? 'EUR';
    const bands = q.bands === undefined ? DEFAULT_BANDS : parseBands(q.bands);
    const grossMarginBp = q.gross_margin === undefined ? DEFAULT_GROSS_MARGIN_BP : Math.round(q.gross_margin * 100);
    const threshold = q.threshold ?? DEFAULT_THRESHOLD;
    const reach = q.reach ?? DEFAULT_REACH;
    const rows = await store.shippingFacts(this.db, w.from, w.to, currency);
    const orders: ShippingOrder[] = [];
    let unsourced = 0;
    for (const r of rows) {
      if (r.cost === null) {
        unsourced++;
        continue;
      }
      const method = (r.method === 'home' && r.from_store ? 'ship_from_store' : r.method) as ShippingOrder['method'];
      orders.push({ zone: r.zone, method, merchandise: r.merchandise, shipping_paid: r.paid, fulfilment_cost: r.cost });
    }
    const opts = { gross_margin_bp: grossMarginBp, reach };
    const byMethod = new Map<string, { orders: number; paid: number; cost: number }>();
    for (const o of orders) {
      const m = byMethod.get(o.method) ?? { orders: 0, paid: 0, cost: 0 };
      m.orders++;
      m.paid += o.shipping_paid;
      m.cost += o.fulfilment_cost;
      byMethod.set(o.method, m);
    }
    return {
      from: w.from,
      to: w.to,
      currency,
      bands,
      gross_margin_bp: grossMarginBp,
      threshold,
      reach,
      orders: orders.length,
      orders_without_cost: unsourced,
      by_zone_band_method: must(shippingCostByBand(orders, bands)).sort(
        (a, b) =>
          a.zone.localeCompare(b.zone) ||
          bands.indexOf(parseInt(a.band)) - bands.indexOf(parseInt(b.band)) ||
          a.method.localeCompare(b.method),
      ),
      by_band: must(marginByBand(orders, bands, grossMarginBp)),
      by_method: [...byMethod.entries()]
        .map(([method, m]) => ({
          method: method as ShippingOrder['method'],
          ...m,
          average_paid: Math.round(m.paid / m.orders),
          average_cost: Math.round(m.cost / m.orders),
        }))
        .sort((a, b) => b.orders - a.orders),
      what_if: must(freeShippingWhatIf(orders, threshold, opts)),
      break_even: must(breakEvenThreshold(orders, CANDIDATES, opts)),
    };
  }

  async lostSales(q: WindowQuery): Promise<LostSalesReport & { lines: LostSaleLine[] }> {
    const w = this.window(q);
    const currency = q.currency ?? 'EUR';
    const rows = await store.lostDemand(this.db, w.from, w.to, currency);
    const names = await store.locationNames(this.db);
    const lost: (LostSale & { row: store.LostRow })[] = rows.map((r) => ({
      sku: r.sku,
      // a channel-wide ask (a web cart) is "lost" at the channel, not at a store
      location: r.location_id ?? `channel:${r.channel_code}`,
      day: r.day,
      units: r.units,
      unit_price: r.unit_price,
      row: r,
    }));
    // What other locations could still promise when it was asked: the best seen that day.
    const spare = new Map<string, StockElsewhere>();
    for (const r of rows) {
      const k = `${r.sku}|${r.day}`;
      const had = spare.get(k);
      if (!had || had.units < r.elsewhere)
        spare.set(k, { sku: r.sku, day: r.day, location: '(elsewhere)', units: r.elsewhere });
    }
    const summary = must(classifyLostSales(lost, [...spare.values()]));
    const lines = summary.lines.map((l, i) => ({ ...l, row: lost[i]!.row }));
    const agg = (keyOf: (l: (typeof lines)[number]) => string | null) =>
      aggregateLost(lines, keyOf).map(({ key, agg: a }) => ({ key, ...a }));
    const total = agg(() => 'all')[0];
    return {
      from: w.from,
      to: w.to,
      currency,
      units: total?.units ?? 0,
      value: total?.value ?? 0,
      sourcing_opportunity: summary.sourcing_opportunity,
      buying_problem: summary.buying_problem,
      by_channel: agg((l) => l.row.channel_code),
      by_source: agg((l) => l.row.source),
      by_store: agg((l) => l.row.location_id).map((s) => ({ ...s, name: names.get(s.key)?.name ?? s.key })),
      by_product: agg((l) => l.row.product_id ?? l.sku)
        .slice(0, 50)
        .map((p) => ({ ...p, name: rows.find((r) => (r.product_id ?? r.sku) === p.key)?.product_name ?? p.key })),
      by_size: agg((l) => l.row.size ?? '-'),
      grid: agg((l) => (l.row.location_id ? `${l.row.location_id}\u0000${l.row.size ?? '-'}` : null)).map((c) => {
        const [location_id, size] = c.key.split('\u0000') as [string, string];
        return { location_id, name: names.get(location_id)?.name ?? location_id, size, units: c.units, value: c.value };
      }),
      lines: lines.map((l) => ({
        day: l.day,
        source: l.row.source,
        channel: l.row.channel_code,
        location_id: l.row.location_id,
        sku: l.sku,
        size: l.row.size,
        product_id: l.row.product_id,
        units: l.units,
        unit_price: l.unit_price,
        sourceable: l.sourceable,
        unsourceable: l.unsourceable,
      })),
    };
  }
}

/** "0,2500,5000" → [0, 2500, 5000]; the rules check the order and the leading 0. */
export function parseBands(raw: string): number[] {
  const parts = raw.split(',');
  if (parts.length > 20) throw problems.field('bands', 'at most 20 band bounds');
  return parts.map((p, i) => {
    if (!/^\d{1,9}$/.test(p.trim()))
      throw new AppError('validation_failed', `bands[${i}]: not a whole amount in minor units: "${p}"`, {
        errors: [{ field: `bands[${i}]`, message: 'not a whole amount in minor units' }],
      });
    return Number(p.trim());
  });
}

export { SEGMENTS };
