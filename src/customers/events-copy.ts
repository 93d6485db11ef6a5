/**
 * A batch of behaviour events through COPY FROM STDIN (PostgreSQL only; PGlite keeps the one unnest
 * statement of events-store.ts). COPY cannot skip a retried client event id (no ON CONFLICT) and does
 * not hand the rows to the roll-ups, so the batch is copied into a per-session temporary table and ONE
 * statement inserts it into customer_events, with the same ON CONFLICT and the same data-modifying
 * CTEs folding exactly the rows really stored into the roll-ups (events-store.ts, ROLLUPS): what a
 * batch stores, skips and rolls up is the same as the unnest path's (test/customers/events-copy.int.test.ts).
 * The staging rows are temporary (no WAL). The statement that reads them also deletes them (all its
 * CTEs see the same snapshot), so a second batch in the same transaction reads only its own rows; the
 * file is emptied at commit (`on commit delete rows`), so dead rows never outlive the transaction.
 * What is acknowledged is the logged insert into customer_events, committed synchronously as before.
 */
import { sql } from 'kysely';
import type { CopyIn } from '../platform/db/pg-client.js';
import type { Executor } from '../platform/db/schema.js';
import { rollUp, SRC_COLUMNS, type EventColumns } from './events-store.js';
import { aggregate, applyRollups, rollupFields } from './events-rollup.js';

/** Below this many events the unnest statement is cheaper than the two round trips COPY needs. */
export const COPY_MIN_EVENTS = 8;

/** Created once per session (`if not exists` costs a catalog probe per batch, not a round trip per event). */
const STAGING = sql.raw(`create temp table if not exists customer_events_in (
  ord int not null, id text not null, client_id text, ms float8 not null, type text not null, customer_id text,
  anonymous_id text, device_id text, channel text not null, channel_kind text not null, product_id text,
  properties jsonb not null) on commit delete rows`);

const COPY = 'copy customer_events_in from stdin';
/** Straight into customer_events (routed to the month's partition) when there is nothing to deduplicate. */
const DIRECT = `copy customer_events (id, client_id, ts, type, customer_id, anonymous_id, device_id, channel, channel_kind,
  product_id, properties, received_at) from stdin`;

const SPECIAL = /[\\\t\n\r]/;
/** COPY text format: NULL is \N; backslash, tab, newline and carriage return are escaped. */
function field(v: string | null): string {
  if (v === null) return '\\N';
  if (!SPECIAL.test(v)) return v;
  return v.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r'));
}

/** A text known to hold no COPY-special character; NULL is \N. */
const plain = (v: string | null): string => v ?? '\\N';

/** The batch as COPY text, one line per event in arrival order (`ord` from 1, as WITH ORDINALITY numbers them). */
export function copyText(c: EventColumns, props: string[]): string {
  let out = '';
  for (let i = 0; i < c.id.length; i++) {
    out += `${i + 1}\t${field(c.id[i]!)}\t${field(c.client_id[i]!)}\t${c.ts[i]}\t${field(c.type[i]!)}\t${field(
      c.customer_id[i]!,
    )}\t${field(c.anonymous_id[i]!)}\t${field(c.device_id[i]!)}\t${field(c.channel[i]!)}\t${field(
      c.channel_kind[i]!,
    )}\t${field(c.product_id[i]!)}\t${field(props[i]!)}\n`;
  }
  return out;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * Epoch milliseconds as ISO 8601 UTC, what Date#toISOString writes for years 1000–9999, in a fifth
 * of its time (the days-to-civil arithmetic of H. Hinnant's date algorithms): one call per event.
 */
export function isoOf(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const mi = Math.floor(rest / 60_000);
  rest -= mi * 60_000;
  const sec = Math.floor(rest / 1000);
  return `${y}-${pad2(m)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}:${pad2(sec)}.${pad3(rest - sec * 1000)}Z`;
}

/**
 * The batch as COPY text for customer_events itself: times as ISO 8601 (timestamptz input),
 * received_at on every line. Row ids, types, channel codes and client ids (`[A-Za-z0-9_:.-]`) need no
 * escaping; properties are JSON, whose only COPY-special character can be the backslash.
 */
export function directText(c: EventColumns, props: string[]): string {
  const at = c.received_at.toISOString();
  // one scan of the free texts per batch: usually none needs escaping, then no test per field
  const free = [c.customer_id, c.anonymous_id, c.device_id, c.channel, c.product_id];
  const f = SPECIAL.test(free.map((xs) => xs.join('')).join('')) ? field : plain;
  let out = '';
  for (let i = 0; i < c.id.length; i++) {
    const p = props[i]!;
    out += `${c.id[i]}\t${c.client_id[i] ?? '\\N'}\t${isoOf(c.ts[i]!)}\t${c.type[i]}\t${f(c.customer_id[i]!)}\t${f(
      c.anonymous_id[i]!,
    )}\t${f(c.device_id[i]!)}\t${f(c.channel[i]!)}\t${c.channel_kind[i]}\t${f(c.product_id[i]!)}\t${
      p.includes('\\') ? p.replaceAll('\\', '\\\\') : p
    }\t${at}\n`;
  }
  return out;
}

/**
 * Stores a batch through `copyIn` (COPY on the connection of the transaction `db`) and rolls it up;
 * returns how many rows were new, like insertEvents. `props` are the events' properties as JSON texts,
 * `properties` the same as objects.
 */
export async function copyEvents(
  db: Executor,
  copyIn: CopyIn,
  c: EventColumns,
  props: string[],
  properties: Record<string, unknown>[],
): Promise<{ n: number; attributed: number }> {
  const dedupe = c.client_id.some((x) => x !== null);
  const fields = dedupe ? undefined : rollupFields(properties);
  if (fields) {
    // no client event id: every row is stored, so COPY writes them where they belong and the
    // roll-ups are aggregated here instead of read back (events-rollup.ts)
    await copyIn(DIRECT, directText(c, props));
    await applyRollups(db, aggregate(c, fields));
    return { n: c.id.length, attributed: c.customer_id.filter((x) => x !== null).length };
  }
  await sql`${STAGING}`.execute(db);
  await copyIn(COPY, copyText(c, props));
  return rollUp(
    db,
    sql`cleared as (delete from customer_events_in),
    e as (
      insert into customer_events (id, client_id, ts, type, customer_id, anonymous_id, device_id, channel, channel_kind, product_id, properties, received_at)
      select id, client_id, to_timestamp(ms / 1000), type, customer_id, anonymous_id, device_id, channel, channel_kind, product_id,
             properties, ${c.received_at}::timestamptz
      from customer_events_in
      ${dedupe ? sql`on conflict (client_id, ts) where client_id is not null do nothing returning id` : sql``}),
    src as (select ${SRC_COLUMNS}, ord from (select *, to_timestamp(ms / 1000) as ts from customer_events_in) s
            ${dedupe ? sql`where id in (select id from e)` : sql``})`,
  );
}
