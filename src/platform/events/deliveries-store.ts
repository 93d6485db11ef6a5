import { sql, type Selectable } from 'kysely';
import { inList } from '../db/in-list.js';
import type { Executor } from '../db/schema.js';
import type { PublishedEvent } from './outbox.js';
import './outbox.js';

/** One row per (outbox event, consumer): the consumer's own delivery state. */
export interface EventDeliveriesTable {
  id: string;
  event_id: string;
  consumer: string;
  /** A success deletes its row (removeDone; migration 9970 removed the 'done' rows kept before). */
  status: 'pending' | 'dead';
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  created_at: Date;
  done_at: Date | null;
}

declare module '../db/schema.js' {
  interface DB {
    event_deliveries: EventDeliveriesTable;
  }
}

export type DeliveryRow = Selectable<EventDeliveriesTable>;
/** A claimed delivery with its event (joined from the outbox, which keeps the payload once). */
export type ClaimedDelivery = Pick<DeliveryRow, 'id' | 'event_id' | 'consumer' | 'attempts'> & {
  event: PublishedEvent;
};

interface JoinedRow {
  id: string;
  event_id: string;
  consumer: string;
  attempts: number;
  type: string;
  aggregate_id: string | null;
  payload: unknown;
  occurred_at: Date;
}

const toClaimed = (r: JoinedRow): ClaimedDelivery => ({
  id: r.id,
  event_id: r.event_id,
  consumer: r.consumer,
  attempts: Number(r.attempts),
  event: {
    id: r.event_id,
    type: r.type,
    aggregate_id: r.aggregate_id,
    occurred_at: new Date(r.occurred_at).toISOString(),
    data: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
  },
});

/**
 * Fans events out: one pending delivery per (event, consumer), due at `at`. One statement text for
 * any number of rows (columns as arrays), so it is prepared (db/prepared.ts) instead of parsed,
 * planned and compiled anew for every batch length, as a multi-row VALUES list of 9 parameters a
 * row would be. A pair already fanned out (a batch retried after a crash) is left as it is.
 */
export async function insertDeliveries(
  db: Executor,
  rows: readonly { id: string; event_id: string; consumer: string }[],
  at: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into event_deliveries (id, event_id, consumer, status, attempts, next_attempt_at, created_at)
    select r.id, r.event_id, r.consumer, 'pending', 0, ${at}::timestamptz, ${at}::timestamptz
    from unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.event_id)}::text[],
                ${rows.map((r) => r.consumer)}::text[]) as r(id, event_id, consumer)
    on conflict (event_id, consumer) do nothing`.execute(db);
}

/**
 * Locks due deliveries of in-transaction consumers for the caller's transaction (SKIP LOCKED: other
 * processes take other rows). They stay locked until that transaction ends. The rows are chosen and
 * locked on event_deliveries alone, in the order of its due index (migration 9960), and only the
 * chosen ones are joined with their events: joining first made every claim read and sort the whole
 * backlog.
 */
export function lockDueQuery(consumers: string[], now: Date, limit: number) {
  return sql<JoinedRow>`
    with due as (
      select id, event_id, consumer, attempts, next_attempt_at from event_deliveries
      where status = 'pending' and next_attempt_at <= ${now} and consumer in (${sql.join(consumers)})
      order by next_attempt_at, id
      limit ${limit}
      for update skip locked
    )
    select due.id, due.event_id, due.consumer, due.attempts, o.type, o.aggregate_id, o.payload, o.created_at as occurred_at
    from due join outbox o on o.id = due.event_id
    order by due.next_attempt_at, due.id`;
}

export async function lockDue(trx: Executor, consumers: string[], now: Date, limit: number) {
  if (consumers.length === 0) return [];
  const res = await inIndexOrder(trx, () => lockDueQuery(consumers, now, limit).execute(trx));
  return res.rows.map(toClaimed);
}

/**
 * Runs a claim in the caller's transaction with bitmap scans off, and turns them back on: the due
 * rows are read in index order and the scan stops at the claim's limit, whatever the statistics say.
 * Statistics taken while the queue was drained (no live row, or only dead ones: as `analyze` sees it
 * between two bursts, and always on a server without autovacuum) make the planner expect a row or
 * two, for which a bitmap scan and a sort look as cheap; under the next backlog that plan read and
 * sorted every due row at each claim (3.2 ms a claim against 0.45 ms in the checkout benchmark, ≈ 1.2
 * ms of PostgreSQL per checkout). Two statements per batch of up to TX_BATCH deliveries buy a plan
 * that does not depend on when `analyze` last ran. `set local` ends with the transaction anyway; it
 * is turned back on so the consumers' own statements in the same transaction plan as usual.
 */
export async function inIndexOrder<T>(trx: Executor, claim: () => Promise<T>): Promise<T> {
  await sql`set local enable_bitmapscan = off`.execute(trx);
  const out = await claim();
  await sql`set local enable_bitmapscan to default`.execute(trx);
  return out;
}

/**
 * Claims due deliveries of side-effect consumers in one committed statement: the attempt is counted
 * and the row leased (next attempt pushed to `leaseUntil`) before the call, so a process that dies
 * mid-call leaves the row to be retried when the lease lapses, and a crash loop ends in the dead state.
 *
 * Each consumer's due rows are read on its own from the per-consumer index (migration 9960), oldest
 * first, and the oldest `limit` of them all are claimed. Read in the shared due order, the few side
 * effects were found among the in-transaction consumers' rows: behind a backlog of those, every
 * claim stepped over the whole backlog (1,878 rows for 41 in the checkout benchmark). Rows a
 * consumer's scan locked beyond the final `limit` are released when the statement commits.
 * The consumers' names (this process's, fixed) are written into the text: as an array parameter
 * the statement was planned afresh on every claim (platform/db/in-list.ts says why).
 */
export function claimDueQuery(consumers: string[], now: Date, leaseUntil: Date, limit: number) {
  return sql<JoinedRow>`
    with due as (
      select x.id from unnest(array[${sql.join(consumers.map((c) => sql.lit(c)))}]::text[]) as c(name)
      cross join lateral (
        select id, next_attempt_at from event_deliveries
        where consumer = c.name and status = 'pending' and next_attempt_at <= ${now}
        order by next_attempt_at, id
        limit ${limit}
        for update skip locked
      ) x
      order by x.next_attempt_at, x.id
      limit ${limit}
    )
    update event_deliveries d set next_attempt_at = ${leaseUntil}, attempts = d.attempts + 1
    from due, outbox o
    where d.id = due.id and o.id = d.event_id
    returning d.id, d.event_id, d.consumer, d.attempts, o.type, o.aggregate_id, o.payload, o.created_at as occurred_at`;
}

export async function claimDue(db: Executor, consumers: string[], now: Date, leaseUntil: Date, limit: number) {
  if (consumers.length === 0) return [];
  const res = await claimDueQuery(consumers, now, leaseUntil, limit).execute(db);
  return res.rows.map(toClaimed).sort((a, b) => (a.id < b.id ? -1 : 1));
}

/**
 * Ends a batch's successful deliveries, in one statement, by deleting their rows: nothing reads a
 * delivery once it succeeded (the consumer's own tables hold what it did), and a delete writes no new
 * index entries where marking the row done (a non-HOT update: the status is in the pending indexes'
 * predicates) wrote four — ≈ 2 µs against ≈ 16 µs a row, and the table keeps only pending and dead rows
 * instead of growing by ≈ 11 rows per order for ever (docs/scaling.md, "Where a checkout's CPU goes").
 * A retried fan-out cannot bring a row back: fan-out and `dispatched_at` commit together.
 */
export async function removeDone(db: Executor, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('event_deliveries').where(inList('id', ids)).execute(); // one plan per short length
}

export async function markFailed(
  db: Executor,
  id: string,
  r: { attempts: number; status: 'pending' | 'dead'; nextAttemptAt: Date; error: string },
): Promise<void> {
  await db
    .updateTable('event_deliveries')
    .set({ attempts: r.attempts, status: r.status, next_attempt_at: r.nextAttemptAt, last_error: r.error })
    .where('id', '=', id)
    .execute();
}

export async function listDead(db: Executor, limit: number, after?: string) {
  let q = db
    .selectFrom('event_deliveries as d')
    .innerJoin('outbox as o', 'o.id', 'd.event_id')
    .select(['d.id', 'd.event_id', 'd.consumer', 'd.attempts', 'd.last_error', 'd.created_at', 'o.type'])
    .select('d.next_attempt_at as failed_at')
    .where('d.status', '=', 'dead');
  if (after) q = q.where('d.id', '>', after);
  return q
    .orderBy('d.id')
    .limit(limit + 1)
    .execute();
}

/** A dead delivery back to pending with a fresh set of attempts; false when there is no such dead row. */
export async function revive(db: Executor, id: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('event_deliveries')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deadSummary(db: Executor) {
  return db
    .selectFrom('event_deliveries')
    .select(['consumer', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'dead')
    .groupBy('consumer')
    .orderBy('consumer')
    .execute();
}
