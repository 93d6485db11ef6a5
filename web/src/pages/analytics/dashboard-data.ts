/** Today's figures for the dashboard from a page of orders. Pure: "today" comes in as an argument. */

export interface OrderLite {
  status: string;
  channel_type: string;
  placed_at: string;
  total: { amount: number; currency: string };
  lines: { quantity: number }[];
  delivery: Record<string, unknown>;
}

export interface ChannelDay {
  channel: string;
  orders: number;
  revenue: number;
  units: number;
}

export interface DayFigures {
  orders: number;
  revenue: number;
  currency: string | null;
  byChannel: ChannelDay[];
  clickCollectShare: number;
}

export function todayFigures(orders: OrderLite[], dayStartIso: string, dayEndIso: string): DayFigures {
  const start = Date.parse(dayStartIso);
  const end = Date.parse(dayEndIso);
  const today = orders.filter((o) => {
    const t = Date.parse(o.placed_at);
    return t >= start && t < end && o.status !== 'cancelled';
  });
  const by = new Map<string, ChannelDay>();
  let revenue = 0;
  let cc = 0;
  for (const o of today) {
    const c = by.get(o.channel_type) ?? { channel: o.channel_type, orders: 0, revenue: 0, units: 0 };
    c.orders += 1;
    c.revenue += o.total.amount;
    c.units += o.lines.reduce((s, l) => s + l.quantity, 0);
    by.set(o.channel_type, c);
    revenue += o.total.amount;
    if (o.delivery.method === 'click_collect') cc += 1;
  }
  return {
    orders: today.length,
    revenue,
    currency: today[0]?.total.currency ?? null,
    byChannel: [...by.values()].sort((a, b) => b.revenue - a.revenue),
    clickCollectShare: today.length ? cc / today.length : 0,
  };
}

export interface TaskLite {
  location_id: string;
  status: string;
  sla_deadline: string | null;
}

/** Statuses in which a store still owes work on a task. */
const OPEN = new Set(['pending', 'accepted', 'picked', 'packed']);

/** Open fulfillment tasks past their SLA, per location, worst first. `now` comes in as an argument. */
export function pastSla(tasks: TaskLite[], nowIso: string): { location_id: string; late: number }[] {
  const now = Date.parse(nowIso);
  const by = new Map<string, number>();
  for (const t of tasks)
    if (OPEN.has(t.status) && t.sla_deadline && Date.parse(t.sla_deadline) < now)
      by.set(t.location_id, (by.get(t.location_id) ?? 0) + 1);
  return [...by.entries()]
    .map(([location_id, late]) => ({ location_id, late }))
    .sort((a, b) => b.late - a.late || a.location_id.localeCompare(b.location_id));
}

/**
 * Of today's home deliveries, the share a store ships (ship-from-store) rather than a warehouse.
 * Cancelled and rejected tasks do not count (another location took the work over).
 */
export function shipFromStoreShare(
  tasks: { location_id: string; method: string; status: string; created_at: string }[],
  locationType: Map<string, string>,
  dayStartIso: string,
): { home: number; fromStore: number; share: number } {
  const start = Date.parse(dayStartIso);
  let home = 0;
  let fromStore = 0;
  for (const t of tasks) {
    if (t.method !== 'home' || Date.parse(t.created_at) < start) continue;
    if (t.status === 'cancelled' || t.status === 'rejected') continue;
    home += 1;
    if (locationType.get(t.location_id) === 'store') fromStore += 1;
  }
  return { home, fromStore, share: home ? fromStore / home : 0 };
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
