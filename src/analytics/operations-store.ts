/**
 * The dashboard's live figures, aggregated in the database: today's orders, revenue and units by
 * channel, the click & collect share, how much home delivery the stores ship, and the store queues
 * past their SLA. Read-only SQL over the orders and fulfilment tables (see store.ts for why analytics
 * reads other modules' tables). Nothing is capped: each figure is one grouped scan of the window.
 */
import { sql } from 'kysely';
import type { Executor } from '../platform/db/schema.js';

export interface ChannelDayRow {
  channel_type: string;
  currency: string;
  orders: number;
  revenue: number;
  units: number;
  click_collect: number;
}

export interface OperationsFigures {
  by_channel: ChannelDayRow[];
  home_tasks: number;
  ship_from_store_tasks: number;
  late: { location_id: string; late: number }[];
}

/** Statuses in which a location still owes work on a task (as the store queue's open tab). */
const OPEN = ['pending', 'accepted', 'picked', 'packed'];

export async function operationsFigures(db: Executor, from: Date, to: Date, now: Date): Promise<OperationsFigures> {
  const byChannel = await sql<ChannelDayRow>`
    select o.channel_type, o.currency, count(*)::int as orders, coalesce(sum(o.total), 0)::bigint as revenue,
      coalesce(sum(u.units), 0)::int as units,
      (count(*) filter (where o.delivery ->> 'method' = 'click_collect'))::int as click_collect
    from orders o
    left join lateral (select sum(l.quantity) as units from order_lines l where l.order_id = o.id) u on true
    where o.placed_at >= ${from} and o.placed_at < ${to} and o.status <> 'cancelled'
    group by o.channel_type, o.currency
    order by revenue desc, o.channel_type`.execute(db);
  const home = await sql<{ home: number; from_store: number }>`
    select count(*)::int as home, (count(*) filter (where l.type = 'store'))::int as from_store
    from fulfillments f join locations l on l.id = f.location_id
    where f.method = 'home' and f.created_at >= ${from} and f.created_at < ${to}
      and f.status not in ('cancelled', 'rejected')`.execute(db);
  const late = await sql<{ location_id: string; late: number }>`
    select location_id, count(*)::int as late from fulfillments
    where status in (${sql.join(OPEN)}) and sla_deadline < ${now}
    group by location_id order by late desc, location_id`.execute(db);
  return {
    by_channel: byChannel.rows.map((r) => ({ ...r, revenue: Number(r.revenue) })),
    home_tasks: home.rows[0]?.home ?? 0,
    ship_from_store_tasks: home.rows[0]?.from_store ?? 0,
    late: late.rows,
  };
}
