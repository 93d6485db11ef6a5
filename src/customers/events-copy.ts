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

/** Below this many events the unnest statement is cheaper than the two round trips COPY needs. */
export const COPY_MIN_EVENTS = 8;

/** Created once per session (`if not exists` costs a catalog probe per batch, not a round trip per event). */
const STAGING = sql.raw(`create temp table if not exists customer_events_in (
  ord int not null, id text not null, client_id text, ms float8 not null, type text not null, customer_id text,
  anonymous_id text, device_id text, channel text not null, channel_kind text not null, product_id text,
  properties jsonb not null) on commit delete rows`);

const COPY = 'copy customer_events_in from stdin';

const SPECIAL = /[\\\t\n\r]/;
/** COPY text format: NULL is \N; backslash, tab, newline and carriage return are escaped. */
function field(v: string | null): string {
  if (v === null) return '\\N';
  if (!SPECIAL.test(v)) return v;
  return v.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r'));
}

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

/**
 * Stores a batch through `copyIn` (COPY on the connection of the transaction `db`) and rolls it up;
 * returns how many rows were new, like insertEvents. `props` are the events' properties as JSON texts.
 */
export async function copyEvents(
  db: Executor,
  copyIn: CopyIn,
  c: EventColumns,
  props: string[],
): Promise<{ n: number; attributed: number }> {
  await sql`${STAGING}`.execute(db);
  await copyIn(COPY, copyText(c, props));
  const dedupe = c.client_id.some((x) => x !== null);
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
