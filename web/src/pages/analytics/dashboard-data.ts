/**
 * The dashboard's figures from GET /v1/analytics/operations (aggregated in the database over the
 * whole day, nothing capped). Pure.
 */

export interface ChannelRow {
  channel_type: string;
  currency: string;
  orders: number;
  revenue: number;
  units: number;
  click_collect: number;
}

export interface ChannelDay {
  channel: string;
  orders: number;
  revenue: number;
  units: number;
}

export interface DayFigures {
  orders: number;
  /** In `currency`, the currency with the most revenue (a retailer reports in one). */
  revenue: number;
  currency: string | null;
  byChannel: ChannelDay[];
  clickCollectShare: number;
}

export function dayFigures(rows: ChannelRow[]): DayFigures {
  const byCurrency = new Map<string, number>();
  for (const r of rows) byCurrency.set(r.currency, (byCurrency.get(r.currency) ?? 0) + r.revenue);
  const currency = [...byCurrency.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const main = rows.filter((r) => r.currency === currency);
  const orders = rows.reduce((s, r) => s + r.orders, 0);
  const cc = rows.reduce((s, r) => s + r.click_collect, 0);
  return {
    orders,
    revenue: currency ? (byCurrency.get(currency) ?? 0) : 0,
    currency,
    byChannel: main
      .map((r) => ({ channel: r.channel_type, orders: r.orders, revenue: r.revenue, units: r.units }))
      .sort((a, b) => b.revenue - a.revenue || a.channel.localeCompare(b.channel)),
    clickCollectShare: orders ? cc / orders : 0,
  };
}

/** Of the day's home deliveries, the share stores ship (ship-from-store) rather than warehouses. */
export function shipFromStoreShare(
  homeTasks: number,
  fromStore: number,
): { home: number; fromStore: number; share: number } {
  return { home: homeTasks, fromStore, share: homeTasks ? fromStore / homeTasks : 0 };
}

/** The store × size cells that lost the most sales by value: where stock is missing most. */
export function lostHotspots<C extends { location_id: string; size: string; units: number; value: number }>(
  grid: C[],
  n = 8,
): C[] {
  return [...grid]
    .filter((c) => c.units > 0)
    .sort((a, b) => b.value - a.value || b.units - a.units || a.location_id.localeCompare(b.location_id))
    .slice(0, n);
}

/** The last `days` UTC days up to today, as the analytics API's window (`to` exclusive). */
export function lastDays(days: number, now = new Date()): { from: string; to: string } {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  const from = new Date(to.getTime() - days * 86_400_000);
  return { from: day(from), to: day(to) };
}
