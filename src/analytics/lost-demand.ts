/**
 * Records demand answered out of stock — an availability query answering 0, a cart addition whose
 * line is short, a checkout refused for stock — without slowing the answer: asks are summed in
 * memory per (day, source, channel, location, SKU) and written in one multi-row insert per flush
 * (a job every few seconds, and on close). The flush values each row at the price of the day and
 * notes the units other locations could still sell (the lost-sales report's "could have served
 * from elsewhere"). A crash loses at most one flush interval of asks (a clean shutdown flushes); these
 * are estimates, not money.
 */
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/schema.js';
import type { LostDemandPorts } from './ports.js';
import { insertLostDemand, type LostDemandInsert } from './store.js';

export interface LostAsk {
  source: LostDemandInsert['source'];
  channel_id: string;
  /** the store asked about (a till, a store's availability, a store cart); null: the channel at large */
  location_id: string | null;
  sku: string;
  /** units asked for and not granted (> 0) */
  units: number;
  currency?: string | undefined;
  /** the price when the caller knows it (a cart line) */
  unit_price?: number | null | undefined;
}

/** More keys than this between flushes: flush early rather than grow without bound. */
const MAX_KEYS = 10_000;

export class LostDemandRecorder {
  private buffer = new Map<string, LostDemandInsert>();
  private flushing: Promise<number> | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ports: LostDemandPorts,
  ) {}

  record(ask: LostAsk): void {
    if (!(ask.units > 0) || !Number.isSafeInteger(ask.units)) return;
    const day = this.clock.now().toISOString().slice(0, 10);
    const currency = ask.currency ?? 'EUR';
    const key = [day, ask.source, ask.channel_id, ask.location_id ?? '', ask.sku, currency].join('\u0000');
    const had = this.buffer.get(key);
    if (had) {
      had.units += ask.units;
      had.asks++;
      if (ask.unit_price != null) had.unit_price = ask.unit_price;
    } else {
      this.buffer.set(key, {
        day,
        source: ask.source,
        channel_id: ask.channel_id,
        location_id: ask.location_id,
        sku: ask.sku,
        units: ask.units,
        asks: 1,
        // -1: not known yet, looked up at flush
        unit_price: ask.unit_price ?? -1,
        currency,
        elsewhere: 0,
      });
    }
    if (this.buffer.size >= MAX_KEYS) void this.flush();
  }

  /** Writes what was recorded since the last flush; returns the rows written. */
  flush(): Promise<number> {
    // One flush at a time: a second caller waits for the running one, then flushes what came since.
    const run = async (): Promise<number> => {
      const rows = [...this.buffer.values()];
      this.buffer = new Map();
      if (rows.length === 0) return 0;
      const skus = [...new Set(rows.map((r) => r.sku))];
      const free = await this.ports.freeStock(skus);
      const bySku = new Map<string, { location_id: string; free: number }[]>();
      for (const f of free) (bySku.get(f.sku) ?? bySku.set(f.sku, []).get(f.sku)!).push(f);
      for (const r of rows) {
        r.elsewhere = (bySku.get(r.sku) ?? [])
          .filter((f) => f.location_id !== r.location_id)
          .reduce((a, f) => a + Math.max(0, f.free), 0);
      }
      const unpriced = rows.filter((r) => r.unit_price === -1);
      for (const key of new Set(unpriced.map((r) => `${r.currency}\u0000${r.channel_id}`))) {
        const [currency, channel] = key.split('\u0000') as [string, string];
        const group = unpriced.filter((r) => r.currency === currency && r.channel_id === channel);
        const prices = await this.ports.prices([...new Set(group.map((r) => r.sku))], currency, channel);
        for (const r of group) r.unit_price = prices.get(r.sku) ?? 0;
      }
      await insertLostDemand(this.db, rows);
      return rows.length;
    };
    const next = (this.flushing ?? Promise.resolve(0)).then(run, run);
    this.flushing = next.finally(() => {
      if (this.flushing === next) this.flushing = null;
    });
    return next;
  }
}
