/**
 * How long the outbox keeps an event (`OMNIA_EVENTS_KEEP_DAYS`, config.ts). Every state change
 * writes its events here (≈ 12 rows a checkout) and nothing else ever removes them, so without
 * this the table grows by millions of rows a day at a busy retailer's rate.
 *
 * An event goes once it is settled and old: dispatched before the cut-off and no delivery row left
 * (a success deletes its row, so what is left is pending or dead work, whose payload the consumer
 * or the dead-letter list still reads). An event not yet dispatched is never removed, however old:
 * `omnia doctor` reports it instead. A notification resent after its event went answers 409
 * (notifications/service.ts `resend`).
 *
 * Small chunks, each its own short transaction: no long lock, no long statement, and the job runs
 * again at once while it finds work (jobs.ts), each run from where the last ended (`chunkedPurge`).
 * Rows are found through the id index in id order (ids sort by time, `idFloor`; `inIdOrder`), so a
 * run that finds nothing reads only what is kept below the bound. SKIP LOCKED lets several workers
 * run it at once.
 */
import { sql } from 'kysely';
import type { Db, Executor } from '../db/schema.js';
import type { Clock } from '../clock.js';
import { idFloor, ID_PREFIX } from '../ids.js';
import { DEFAULT_DOCTOR_SETTINGS, type DoctorCheck } from '../doctor.js';

export const RETENTION_CHUNK = 1000;
/** How often a retention job looks for work once it found none (jobs.ts runs it again at once while it does). */
export const RETENTION_INTERVAL_MS = 600_000;
export const DAY_MS = 86_400_000;

/** The moment before which settled rows go, or undefined when everything is kept (`keepDays` 0). */
export function retentionCutoff(now: Date, keepDays: number): Date | undefined {
  return keepDays > 0 ? new Date(now.getTime() - keepDays * DAY_MS) : undefined;
}

/** What one chunk removed, and the id it ended at (where the next chunk of a series starts). */
export interface Chunk {
  removed: number;
  last: string | null;
}

/**
 * Removes up to `chunk` settled events dispatched before `before`, from the id after `after` on.
 * The series' cursor matters: deleted rows' index entries stay until a vacuum, so a chunk that
 * started from the beginning again would walk every entry its predecessors deleted (measured over
 * 200,000 events: 85,000 rows/s restarting each chunk, 108,000 with the cursor; docs/scaling.md).
 */
export async function purgeSettledEvents(db: Db, before: Date, chunk = RETENTION_CHUNK, after = ''): Promise<Chunk> {
  const r = await inIdOrder(db, (trx) => purgeEventsQuery(before, chunk, after).execute(trx));
  return r.rows[0] ?? { removed: 0, last: null };
}

/**
 * Outbox rows (as `o`) settled before `before`: dispatched then, no delivery row left; bounded by the
 * id index. What the job removes and what the doctor counts as overdue.
 */
function settledBefore(before: Date) {
  return sql`o.id < ${idFloor(ID_PREFIX.event, before.getTime())}
        and o.dispatched_at < ${before}::timestamptz
        and not exists (select 1 from event_deliveries d where d.event_id = o.id)`;
}

export function purgeEventsQuery(before: Date, chunk: number, after: string) {
  return sql<Chunk>`
    with gone as (
      select o.seq from outbox o
      where o.id > ${after} and ${settledBefore(before)}
      order by o.id
      limit ${chunk}
      for update of o skip locked
    ),
    del as (delete from outbox o using gone where o.seq = gone.seq returning o.id)
    select count(*)::int as removed, max(id) as last from del`;
}

/**
 * Runs a chunk's statement in its own transaction with bitmap and sequential scans off: the rows are
 * read in id order and the scan stops at the chunk's limit, whatever the statistics say. A table
 * never analysed (this machine's PostgreSQL runs without autovacuum; PGlite never analyses) or
 * analysed while nearly empty makes the planner expect a few hundred rows, and it then read and
 * sorted the whole backlog for every chunk (measured: 200,000 events at 13,000 rows/s against
 * 90,000–160,000 with the ordered scan; docs/scaling.md). Like deliveries-store.ts `inIndexOrder`.
 */
export function inIdOrder<T>(db: Db, statement: (trx: Executor) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`set local enable_bitmapscan = off`.execute(trx);
    await sql`set local enable_seqscan = off`.execute(trx);
    return statement(trx);
  });
}

/**
 * A job's run over a chunked purge: each run goes on from where the last one ended while they find
 * work, and starts from the beginning again once one finds none (a row kept then may be settled by
 * the next series). Returns what the run removed (jobs.ts runs it again at once while > 0).
 */
export function chunkedPurge(purge: (after: string) => Promise<Chunk>): () => Promise<number> {
  let after = '';
  return async () => {
    const r = await purge(after);
    after = r.removed > 0 && r.last ? r.last : '';
    return r.removed;
  };
}

/** The `events.retention` job's run: settled events older than `keepDays`, a chunk per run (0 keeps all). */
export function settledEventsJob(db: Db, clock: Clock, keepDays: number): () => Promise<number> {
  return chunkedPurge(async (after) => {
    const before = retentionCutoff(clock.now(), keepDays);
    return before ? purgeSettledEvents(db, before, RETENTION_CHUNK, after) : { removed: 0, last: null };
  });
}

/** How many overdue events the doctor counts at most (it reads them through the id index). */
const OVERDUE_COUNT_LIMIT = 10_000;

/**
 * `omnia doctor`: settled events a day past the days kept are still there — no process runs the
 * `events.retention` job (every worker and `all` process does, unless OMNIA_JOBS is false). A warning:
 * nothing is wrong with the data, the table only grows.
 */
export const retentionCheck: DoctorCheck = {
  name: 'outbox retention',
  async run(db, now, settings = DEFAULT_DOCTOR_SETTINGS) {
    const keep = settings.eventsKeepDays;
    if (keep <= 0) return { status: 'ok', summary: 'settled events are kept for ever (OMNIA_EVENTS_KEEP_DAYS=0)' };
    const before = retentionCutoff(now, keep + 1)!; // a day of grace: the job runs every 10 minutes
    const r = await sql<{ n: number }>`
      select count(*)::int as n from (
        select 1 from outbox o where ${settledBefore(before)}
        limit ${OVERDUE_COUNT_LIMIT + 1}
      ) overdue`.execute(db);
    const n = r.rows[0]?.n ?? 0;
    if (n === 0) return { status: 'ok', summary: `settled events leave after ${keep} days; none overdue` };
    const count = n > OVERDUE_COUNT_LIMIT ? `over ${OVERDUE_COUNT_LIMIT}` : String(n);
    return {
      status: 'warn',
      summary: `${count} settled events older than ${keep + 1} days are still in the outbox: is a worker running the events.retention job? (OMNIA_JOBS, --role)`,
    };
  },
};
