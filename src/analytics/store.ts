/**
 * The reports' SQL. Analytics is a read model over what the other modules recorded (orders and their
 * lines, returns, sourcing decisions and fulfilment tasks, the customer 360's daily activity, the
 * network): it reads their tables and never writes them — the one exception to "only a module reads
 * its tables", taken so a report is one indexed scan rather than months of rows pulled through
 * ports. Its own table is analytics_lost_demand.
 */
import { sql } from 'kysely';
import type { Executor } from '../platform/db/schema.js';

export interface OrderFactRow {
  customer_id: string;
  channel_type: string;
  placed_on: string;
  total: number;
  returned: number;
  location_id: string | null;
  collected_at: string | null;
  returned_at: string | null;
}

/**
 * Identified customers' orders placed in [from, to) (not cancelled), with their merchandise value,
 * what was refunded on them (at most that value), the till's store, the click & collect store and a
 * store where a return was handed in. A merged profile's orders count for the surviving profile.
 */
export async function orderFacts(db: Executor, from: string, to: string, currency: string): Promise<OrderFactRow[]> {
  const r = await sql<OrderFactRow>`
    with rt as (
      select rt.order_id, sum(rt.refund_amount) as refunded,
        min(case when l.type = 'store' then rt.location_id end) as store_id
      from returns rt left join locations l on l.id = rt.location_id
      join orders o on o.id = rt.order_id
      where o.placed_at >= ${from}::date and o.placed_at < ${to}::date
      group by rt.order_id
    )
    select coalesce(c.root_id, o.customer_id) as customer_id, o.channel_type,
      to_char(o.placed_at at time zone 'UTC', 'YYYY-MM-DD') as placed_on,
      (o.subtotal - o.discount_total)::bigint as total,
      least(coalesce(rt.refunded, 0), o.subtotal - o.discount_total)::bigint as returned,
      case when o.channel_type = 'pos' then o.location_id end as location_id,
      case when o.delivery ->> 'method' = 'click_collect' then o.delivery ->> 'location_id' end as collected_at,
      rt.store_id as returned_at
    from orders o
    left join customers c on c.id = o.customer_id
    left join rt on rt.order_id = o.id
    where o.customer_id is not null and o.status <> 'cancelled' and o.currency = ${currency}
      and o.placed_at >= ${from}::date and o.placed_at < ${to}::date
    order by o.placed_at, o.id`.execute(db);
  return r.rows.map((x) => ({ ...x, total: Number(x.total), returned: Number(x.returned) }));
}

/**
 * Visits per channel in [from, to) from the customer 360's daily roll-up: a known customer's active
 * day online (a session day) per channel, store visits summed at the till channel.
 */
export async function visitCounts(
  db: Executor,
  from: string,
  to: string,
): Promise<{ channel_type: string; visits: number }[]> {
  const r = await sql<{ channel_type: string; visits: string | number }>`
    select ch.type as channel_type,
      sum(case when d.channel_kind = 'store' then d.store_visits else 1 end) as visits
    from customer_daily d join channels ch on ch.code = d.channel
    where d.day >= ${from}::date and d.day < ${to}::date
    group by ch.type`.execute(db);
  return r.rows.map((x) => ({ channel_type: x.channel_type, visits: Number(x.visits) }));
}

export interface ShippingFactRow {
  method: string;
  zone: string;
  merchandise: number;
  paid: number;
  /** the last sourcing decision's cost; null when the order was never sourced */
  cost: number | null;
  from_store: boolean;
}

/** Remote orders placed in [from, to) (not cancelled) with what the shopper paid and what sourcing cost. */
export async function shippingFacts(
  db: Executor,
  from: string,
  to: string,
  currency: string,
): Promise<ShippingFactRow[]> {
  const r = await sql<ShippingFactRow>`
    select o.delivery ->> 'method' as method,
      coalesce(o.delivery -> 'address' ->> 'country', dl.address ->> 'country', '*') as zone,
      (o.subtotal - o.discount_total)::bigint as merchandise,
      greatest(o.shipping_amount - o.shipping_discount, 0)::bigint as paid,
      d.cost,
      exists (
        select 1 from fulfillments f join locations fl on fl.id = f.location_id
        where f.order_id = o.id and f.method = 'home' and fl.type = 'store'
      ) as from_store
    from orders o
    left join locations dl on dl.id = o.delivery ->> 'location_id'
    left join lateral (
      select s.cost from sourcing_decisions s where s.order_id = o.id order by s.attempt desc limit 1
    ) d on true
    where o.status <> 'cancelled' and o.currency = ${currency}
      and o.delivery ->> 'method' in ('home', 'click_collect', 'pickup_point')
      and o.placed_at >= ${from}::date and o.placed_at < ${to}::date`.execute(db);
  return r.rows.map((x) => ({
    ...x,
    merchandise: Number(x.merchandise),
    paid: Number(x.paid),
    cost: x.cost === null ? null : Number(x.cost),
  }));
}

export interface LostRow {
  day: string;
  source: string;
  channel_type: string;
  channel_code: string;
  location_id: string | null;
  sku: string;
  size: string | null;
  product_id: string | null;
  product_name: string | null;
  units: number;
  unit_price: number;
  elsewhere: number;
}

/** Demand answered out of stock in [from, to), one row per day, source, channel, location and SKU. */
export async function lostDemand(db: Executor, from: string, to: string, currency: string): Promise<LostRow[]> {
  const r = await sql<LostRow>`
    select to_char(a.day, 'YYYY-MM-DD') as day, a.source, ch.type as channel_type, ch.code as channel_code,
      a.location_id, a.sku, v.size, v.product_id, p.name as product_name,
      sum(a.units)::int as units, max(a.unit_price)::bigint as unit_price, max(a.elsewhere)::int as elsewhere
    from analytics_lost_demand a
    join channels ch on ch.id = a.channel_id
    left join variants v on v.sku = a.sku
    left join products p on p.id = v.product_id
    where a.day >= ${from}::date and a.day < ${to}::date and a.currency = ${currency}
    group by a.day, a.source, ch.type, ch.code, a.location_id, a.sku, v.size, v.product_id, p.name
    order by a.day, a.sku, a.location_id nulls last, ch.code, a.source`.execute(db);
  return r.rows.map((x) => ({ ...x, units: Number(x.units), unit_price: Number(x.unit_price) }));
}

export async function locationNames(
  db: Executor,
): Promise<Map<string, { name: string; type: string; region: string | null; code: string }>> {
  const r = await sql<{ id: string; code: string; name: string; type: string; region: string | null }>`
    select id, code, name, type, address ->> 'region' as region from locations`.execute(db);
  return new Map(r.rows.map((x) => [x.id, x]));
}

export interface LostDemandInsert {
  day: string;
  source: 'availability' | 'cart' | 'checkout';
  channel_id: string;
  location_id: string | null;
  sku: string;
  units: number;
  asks: number;
  unit_price: number;
  currency: string;
  elsewhere: number;
}

export async function insertLostDemand(db: Executor, rows: LostDemandInsert[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('analytics_lost_demand').values(rows).execute();
}
