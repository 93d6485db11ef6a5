/**
 * SQL of behaviour events. A batch is stored with ONE statement: the rows go in through `unnest`
 * of column arrays zipped with the elements of one JSON array of properties (12 parameters whatever
 * the batch size, so no 5,000-parameter statements to parse; times as epoch milliseconds, one
 * received_at), and data-modifying CTEs fold the rows that were really inserted (a retried client
 * event id is skipped) into the per-day, per-product and affinity roll-ups: one aggregated upsert per
 * roll-up table per batch, never one per event. This is PGlite's path (no COPY FROM STDIN there) and
 * small batches'; on PostgreSQL larger batches go through COPY (events-copy.ts), with the same
 * conflict clauses and roll-ups (docs/customers.md, Performance). The roll-ups are therefore exact and
 * current the moment the batch commits; the 360 reads them instead of scanning events. Views (most
 * events) feed only the per-product rows, which carry category and size, rather than a second set
 * of affinity rows: that halved the rows a batch upserts (measured ~20 ms of ~80 ms per 500 events).
 * Each roll-up inserts its rows sorted by key, so two batches lock shared rows in the same order.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import './tables.js';

/** A batch as columns, one entry per event in arrival order (except the batch-wide `received_at`). */
export interface EventColumns {
  id: string[];
  client_id: (string | null)[];
  /** Event times in epoch milliseconds: sent as float8 and turned into timestamptz by `to_timestamp`
   *  (exact to the millisecond), which is cheaper on both sides than formatting and parsing dates. */
  ts: number[];
  type: string[];
  customer_id: (string | null)[];
  anonymous_id: (string | null)[];
  device_id: (string | null)[];
  channel: string[];
  channel_kind: string[];
  product_id: (string | null)[];
  /** The events' properties as ONE JSON array text: joined from the per-event JSON already built for
   *  the size check, so the driver does not escape every quote of every event into a text[] literal. */
  properties: string;
  received_at: Date;
}

/** A batch with no events yet, to push them into (`received_at` for the whole batch). */
export function emptyColumns(receivedAt: Date): EventColumns {
  return {
    id: [],
    client_id: [],
    ts: [],
    type: [],
    customer_id: [],
    anonymous_id: [],
    device_id: [],
    channel: [],
    channel_kind: [],
    product_id: [],
    properties: '',
    received_at: receivedAt,
  };
}

/** How a batch's roll-up rows merge into the stored ones (shared with events-rollup.ts, which aggregates in the process). */
export const DAILY_CONFLICT = `on conflict (customer_id, day, channel, channel_kind) do update set
    events = t.events + excluded.events, views = t.views + excluded.views, cart_adds = t.cart_adds + excluded.cart_adds,
    store_visits = t.store_visits + excluded.store_visits, first_at = least(t.first_at, excluded.first_at),
    last_at = greatest(t.last_at, excluded.last_at)`;
export const VIEWS_CONFLICT = `on conflict (customer_id, product_id) do update set views = t.views + excluded.views,
    last_viewed_at = greatest(t.last_viewed_at, excluded.last_viewed_at),
    category = case when excluded.last_viewed_at >= t.last_viewed_at then coalesce(excluded.category, t.category)
                    else coalesce(t.category, excluded.category) end,
    size = case when excluded.last_viewed_at >= t.last_viewed_at then coalesce(excluded.size, t.size)
                else coalesce(t.size, excluded.size) end`;
export const AFFINITY_CONFLICT =
  'on conflict (customer_id, kind, value) do update set weight = t.weight + excluded.weight';

/**
 * Aggregations over a CTE named `src`: the rows really stored or attached (customer_id, ts, type,
 * channel, channel_kind, product_id, category, size, location_id) with `ord`, their arrival order.
 * Counters are sums, so one statement per batch adds exactly what one statement per event would.
 * A product view's category and size are "last seen": the newest view's by event time (ties: the
 * later arrival), within the batch through `ord` and against the stored row through last_viewed_at —
 * the same answer as applying the views one at a time (test/customers/ingest-rollups.int.test.ts).
 */
const ROLLUPS = sql.raw(`
d as (
  insert into customer_daily as t (customer_id, day, channel, channel_kind, events, views, cart_adds, store_visits, first_at, last_at)
  select customer_id, (ts at time zone 'UTC')::date, channel, channel_kind, count(*),
         count(*) filter (where type = 'product_viewed'), count(*) filter (where type = 'added_to_cart'),
         count(*) filter (where type = 'store_visit'), min(ts), max(ts)
  from src where customer_id is not null
  group by 1, 2, 3, 4 order by 1, 2, 3, 4
  ${DAILY_CONFLICT}
),
v as (
  insert into customer_product_views as t (customer_id, product_id, views, last_viewed_at, category, size)
  select customer_id, product_id, count(*), max(ts),
         (array_agg(category order by ts desc, ord desc) filter (where category is not null))[1],
         (array_agg(size order by ts desc, ord desc) filter (where size is not null))[1]
  from src
  where customer_id is not null and type = 'product_viewed' and product_id is not null
  group by 1, 2 order by 1, 2
  ${VIEWS_CONFLICT}
),
a as (
  insert into customer_affinities as t (customer_id, kind, value, weight)
  select customer_id, x.k, x.v, count(*)::int from src
  cross join lateral (values ('size', size), ('category', category),
                             ('store', case when type = 'store_visit' then location_id end)) as x(k, v)
  where customer_id is not null and x.v is not null and type in ('added_to_cart', 'store_visit')
  group by 1, 2, 3 order by 1, 2, 3
  ${AFFINITY_CONFLICT}
)
select count(*)::int as n, count(*) filter (where customer_id is not null)::int as attributed from src`);

/** The roll-ups' view of a row set `r` that has customer_id, ts, type, channel, channel_kind, product_id, properties. */
export const SRC_COLUMNS = sql.raw(`customer_id, ts, type, channel, channel_kind, product_id,
  properties->>'category' as category, properties->>'size' as size, properties->>'location_id' as location_id`);

/** `ctes` ends with a CTE named `src` (see ROLLUPS); one statement stores or attaches and rolls up. */
export function rollUp(db: Executor, ctes: RawBuilder<unknown>): Promise<{ n: number; attributed: number }> {
  return sql<{ n: number; attributed: number }>`with ${ctes}, ${ROLLUPS}`
    .execute(db)
    .then((r) => r.rows[0] ?? { n: 0, attributed: 0 });
}

/**
 * Stores a batch and rolls it up; returns how many rows were new. The roll-ups read the batch's own
 * rows `u` (in arrival order, `ord`); when the batch carries client event ids, only those the insert
 * really stored (a retried id is skipped by ON CONFLICT, which only such batches pay for).
 */
export function insertEvents(db: Executor, c: EventColumns): Promise<{ n: number; attributed: number }> {
  const dedupe = c.client_id.some((x) => x !== null);
  return rollUp(
    db,
    sql`u as materialized (
      select u.id, u.client_id, to_timestamp(u.ms / 1000) as ts, u.type, u.customer_id, u.anonymous_id, u.device_id,
             u.channel, u.channel_kind, u.product_id, u.properties, ${c.received_at}::timestamptz as received_at, u.ord
      from rows from (unnest(${c.id}::text[]), unnest(${c.client_id}::text[]), unnest(${c.ts}::float8[]), unnest(${c.type}::text[]),
                      unnest(${c.customer_id}::text[]), unnest(${c.anonymous_id}::text[]), unnest(${c.device_id}::text[]),
                      unnest(${c.channel}::text[]), unnest(${c.channel_kind}::text[]), unnest(${c.product_id}::text[]),
                      jsonb_array_elements(${c.properties}::jsonb)) with ordinality
           as u(id, client_id, ms, type, customer_id, anonymous_id, device_id, channel, channel_kind, product_id, properties, ord)),
    e as (
      insert into customer_events (id, client_id, ts, type, customer_id, anonymous_id, device_id, channel, channel_kind, product_id, properties, received_at)
      select id, client_id, ts, type, customer_id, anonymous_id, device_id, channel, channel_kind, product_id, properties, received_at from u
      ${dedupe ? sql`on conflict (client_id, ts) where client_id is not null do nothing returning id` : sql``}),
    src as (select ${SRC_COLUMNS}, ord from u ${dedupe ? sql`where id in (select id from e)` : sql``})`,
  );
}

/**
 * Late identification: anonymous events of these anonymous/device ids now belong to `customerId`;
 * they are folded into its roll-ups in the same statement (in the order they were received). Already
 * attached rows are untouched, so running it twice changes nothing.
 */
export function attachAnonymous(
  db: Executor,
  customerId: string,
  anonymousIds: string[],
  deviceIds: string[],
): Promise<{ n: number; attributed: number }> {
  return rollUp(
    db,
    sql`x as (
      update customer_events set customer_id = ${customerId}
      where customer_id is null and (anonymous_id = any(${anonymousIds}::text[]) or device_id = any(${deviceIds}::text[]))
      returning id, customer_id, ts, type, channel, channel_kind, product_id, properties, received_at),
    src as (select ${SRC_COLUMNS}, row_number() over (order by received_at, id) as ord from x)`,
  );
}

/** Creates the monthly partitions from `from` for `months` months if missing. */
export async function ensurePartitions(db: Executor, from: Date, months: number): Promise<string[]> {
  const created: string[] = [];
  for (let i = 0; i < months; i++) {
    const start = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + i, 1));
    const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    const name = `customer_events_${start.getUTCFullYear()}${String(start.getUTCMonth() + 1).padStart(2, '0')}`;
    const exists = await sql<{ n: number }>`select count(*)::int as n from pg_class where relname = ${name}`.execute(
      db,
    );
    if (exists.rows[0]?.n) continue;
    await sql
      .raw(
        `create table ${name} partition of customer_events for values from ('${start.toISOString()}') to ('${end.toISOString()}')`,
      )
      .execute(db);
    created.push(name);
  }
  return created;
}
