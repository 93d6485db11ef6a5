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
