/**
 * The roll-ups of a batch aggregated in the process, for the batches COPY writes straight into
 * customer_events (events-copy.ts: no client event id, so every row is stored and none has to come
 * back from the database to be rolled up). One row per (person, day, channel), (person, product) and
 * (person, kind, value), the same rows and values as the ROLLUPS CTEs of events-store.ts compute in SQL
 * (test/customers/events-copy.int.test.ts compares them), merged by the same ON CONFLICT clauses.
 * A property the SQL reads as `properties->>'…'` is taken here only when it is a string (or absent):
 * another JSON value's text is PostgreSQL's to print, so such a batch keeps the SQL roll-ups.
 */
import { sql } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import { AFFINITY_CONFLICT, DAILY_CONFLICT, VIEWS_CONFLICT, type EventColumns } from './events-store.js';

const DAY_MS = 86_400_000;

/** The three properties the roll-ups read, per event; undefined when one is not a string. */
export function rollupFields(
  properties: Record<string, unknown>[],
): { category: (string | null)[]; size: (string | null)[]; location: (string | null)[] } | undefined {
  const category: (string | null)[] = [];
  const size: (string | null)[] = [];
  const location: (string | null)[] = [];
  for (const p of properties) {
    const c = p.category ?? null;
    const s = p.size ?? null;
    const l = p.location_id ?? null;
    if ((c !== null && typeof c !== 'string') || (s !== null && typeof s !== 'string')) return undefined;
    if (l !== null && typeof l !== 'string') return undefined;
    category.push(c);
    size.push(s);
    location.push(l);
  }
  return { category, size, location };
}

export type RollupFields = NonNullable<ReturnType<typeof rollupFields>>;

interface DailyRow {
  c: string;
  day: number;
  ch: string;
  kind: string;
  events: number;
  views: number;
  carts: number;
  visits: number;
  first: number;
  last: number;
}
interface ViewRow {
  c: string;
  p: string;
  views: number;
  last: number;
  category: string | null;
  catTs: number;
  size: string | null;
  sizeTs: number;
}

/** One row per key, in the arrival order of each key's first event (the statement sorts them). */
export function aggregate(c: EventColumns, f: RollupFields) {
  const daily = new Map<string, DailyRow>();
  const views = new Map<string, ViewRow>();
  const affinities = new Map<string, { c: string; kind: string; value: string; weight: number }>();
  const affinity = (who: string, kind: string, value: string | null) => {
    if (value === null) return;
    const key = `${who}\0${kind}\0${value}`;
    const row = affinities.get(key);
    if (row) row.weight++;
    else affinities.set(key, { c: who, kind, value, weight: 1 });
  };
  for (let i = 0; i < c.id.length; i++) {
    const who = c.customer_id[i];
    if (who === null || who === undefined) continue;
    const ts = c.ts[i]!;
    const type = c.type[i]!;
    // (ts at time zone 'UTC')::date: the UTC calendar day, as days since 1970-01-01
    const day = Math.floor(ts / DAY_MS);
    const dk = `${who}\0${day}\0${c.channel[i]}\0${c.channel_kind[i]}`;
    let d = daily.get(dk);
    if (!d) {
      d = {
        c: who,
        day,
        ch: c.channel[i]!,
        kind: c.channel_kind[i]!,
        events: 0,
        views: 0,
        carts: 0,
        visits: 0,
        first: ts,
        last: ts,
      };
      daily.set(dk, d);
    }
    d.events++;
    if (type === 'product_viewed') d.views++;
    else if (type === 'added_to_cart') d.carts++;
    else if (type === 'store_visit') d.visits++;
    if (ts < d.first) d.first = ts;
    if (ts > d.last) d.last = ts;
    const product = c.product_id[i];
    if (type === 'product_viewed' && product !== null && product !== undefined) {
      const vk = `${who}\0${product}`;
      let v = views.get(vk);
      if (!v) {
        v = { c: who, p: product, views: 0, last: ts, category: null, catTs: -Infinity, size: null, sizeTs: -Infinity };
        views.set(vk, v);
      }
      v.views++;
      if (ts > v.last) v.last = ts;
      // last seen: the newest view by event time; a tie goes to the later arrival (>=)
      const cat = f.category[i]!;
      if (cat !== null && ts >= v.catTs) [v.category, v.catTs] = [cat, ts];
      const size = f.size[i]!;
      if (size !== null && ts >= v.sizeTs) [v.size, v.sizeTs] = [size, ts];
    }
    if (type === 'added_to_cart' || type === 'store_visit') {
      affinity(who, 'size', f.size[i]!);
      affinity(who, 'category', f.category[i]!);
      if (type === 'store_visit') affinity(who, 'store', f.location[i]!);
    }
  }
  return { daily: [...daily.values()], views: [...views.values()], affinities: [...affinities.values()] };
}

const QUOTE_OR_BACKSLASH = /["\\]/;

/**
 * A column as a PostgreSQL array literal, built here instead of by the driver: node-postgres's
 * per-element prepareValue/escapeElement (two regex replaces per text) and its intermediate strings
 * were ~7 % of the client's CPU per event. Texts are always double-quoted (so `NULL` or `{` stay
 * texts), with `"` and `\` escaped; null is NULL; numbers print exactly (ints, epoch ms as float8).
 * The common column — no null, no quote or backslash anywhere — is one `join` (one copy, one scan).
 */
export function arrayLiteral(values: readonly (string | number | null)[]): string {
  if (values.length === 0) return '{}';
  if (typeof values[0] === 'number' && !values.includes(null)) return `{${values.join(',')}}`;
  if (!values.includes(null) && !QUOTE_OR_BACKSLASH.test(values.join(''))) return `{"${values.join('","')}"}`;
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (i > 0) out += ',';
    if (v === null) out += 'NULL';
    else if (typeof v === 'number') out += String(v);
    else out += QUOTE_OR_BACKSLASH.test(v) ? `"${v.replace(/["\\]/g, '\\$&')}"` : `"${v}"`;
  }
  return `${out}}`;
}

const col = <R, K extends keyof R>(rows: R[], k: K): string =>
  arrayLiteral(rows.map((r) => r[k] as string | number | null));

/**
 * One statement upserting the aggregated rows into the three roll-up tables, each sorted by key as
 * the SQL path sorts them (two batches lock shared rows in the same order).
 */
export async function applyRollups(db: Executor, agg: ReturnType<typeof aggregate>): Promise<void> {
  const { daily: d, views: v, affinities: a } = agg;
  if (d.length === 0) return; // every roll-up row comes from an attributed event, so does a daily row
  await sql`with d as (
    insert into customer_daily as t (customer_id, day, channel, channel_kind, events, views, cart_adds, store_visits, first_at, last_at)
    select c, date '1970-01-01' + day, ch, kind, events, views, carts, visits, to_timestamp(f / 1000), to_timestamp(l / 1000)
    from rows from (unnest(${col(d, 'c')}::text[]), unnest(${col(d, 'day')}::int[]), unnest(${col(d, 'ch')}::text[]),
                    unnest(${col(d, 'kind')}::text[]), unnest(${col(d, 'events')}::int[]), unnest(${col(d, 'views')}::int[]),
                    unnest(${col(d, 'carts')}::int[]), unnest(${col(d, 'visits')}::int[]), unnest(${col(d, 'first')}::float8[]),
                    unnest(${col(d, 'last')}::float8[])) as x(c, day, ch, kind, events, views, carts, visits, f, l)
    order by 1, 2, 3, 4
    ${sql.raw(DAILY_CONFLICT)}),
  v as (
    insert into customer_product_views as t (customer_id, product_id, views, last_viewed_at, category, size)
    select c, p, views, to_timestamp(l / 1000), category, size
    from rows from (unnest(${col(v, 'c')}::text[]), unnest(${col(v, 'p')}::text[]), unnest(${col(v, 'views')}::int[]),
                    unnest(${col(v, 'last')}::float8[]), unnest(${col(v, 'category')}::text[]), unnest(${col(v, 'size')}::text[]))
         as x(c, p, views, l, category, size)
    order by 1, 2
    ${sql.raw(VIEWS_CONFLICT)}),
  a as (
    insert into customer_affinities as t (customer_id, kind, value, weight)
    select c, kind, value, weight
    from rows from (unnest(${col(a, 'c')}::text[]), unnest(${col(a, 'kind')}::text[]), unnest(${col(a, 'value')}::text[]),
                    unnest(${col(a, 'weight')}::int[])) as x(c, kind, value, weight)
    order by 1, 2, 3
    ${sql.raw(AFFINITY_CONFLICT)})
  select 1`.execute(db);
}
