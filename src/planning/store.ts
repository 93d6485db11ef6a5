/** SQL of planning's own tables: runs, results, per-store figures, proposals. */
import { sql } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import type { PlanningRunsTable, PlanningProposalsTable, PlanningRunStoresTable } from './tables.js';

export type RunRow = PlanningRunsTable;
export type ProposalRow = PlanningProposalsTable;
export type RunStoreRow = PlanningRunStoresTable;

export async function insertRun(db: Executor, row: RunRow): Promise<void> {
  await db
    .insertInto('planning_runs')
    .values({
      ...row,
      params: JSON.stringify(row.params),
      summary: row.summary === null ? null : JSON.stringify(row.summary),
    })
    .execute();
}

export async function getRun(db: Executor, id: string, lock = false): Promise<RunRow | undefined> {
  let q = db.selectFrom('planning_runs').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function listRuns(db: Executor, after: string | undefined, limit: number): Promise<RunRow[]> {
  let q = db.selectFrom('planning_runs').selectAll().orderBy('id', 'desc').limit(limit);
  if (after) q = q.where('id', '<', after);
  return q.execute();
}

/**
 * Takes the oldest queued run, or a running one whose worker's lease ran out (it crashed), and
 * leases it; `FOR UPDATE SKIP LOCKED` lets several workers share the queue.
 */
export async function claimRun(db: Executor, now: Date, leaseUntil: Date): Promise<RunRow | undefined> {
  const row = await db
    .selectFrom('planning_runs')
    .selectAll()
    .where((eb) =>
      eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('lease_until', '<', now)])]),
    )
    .orderBy('created_at')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  if (!row) return undefined;
  await db
    .updateTable('planning_runs')
    .set({ status: 'running', lease_until: leaseUntil, done: 0, updated_at: now })
    .where('id', '=', row.id)
    .execute();
  return { ...row, status: 'running', lease_until: leaseUntil };
}

export async function setProgress(
  db: Executor,
  id: string,
  patch: { total?: number; done?: number; lease_until?: Date },
  now: Date,
): Promise<void> {
  await db
    .updateTable('planning_runs')
    .set({ ...patch, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function finishRun(
  db: Executor,
  id: string,
  outcome: { status: 'done' | 'failed'; summary?: unknown; error?: string | null; done?: number; total?: number },
  now: Date,
): Promise<void> {
  await db
    .updateTable('planning_runs')
    .set({
      status: outcome.status,
      summary: outcome.summary === undefined ? null : JSON.stringify(outcome.summary),
      error: outcome.error ?? null,
      ...(outcome.done !== undefined ? { done: outcome.done } : {}),
      ...(outcome.total !== undefined ? { total: outcome.total } : {}),
      lease_until: null,
      finished_at: now,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** Done runs past the newest `keep` whose output is still there (ties in time: the id, which sorts by time). */
export async function runsToExpire(db: Executor, keep: number): Promise<string[]> {
  const rows = await db
    .selectFrom('planning_runs')
    .select(['id', 'expired_at'])
    .where('status', '=', 'done')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .offset(keep)
    .execute();
  return rows.filter((r) => r.expired_at === null).map((r) => r.id);
}

/** Drops a run's results and proposals tables (its chunks' partitions with them) and marks it expired. */
export async function expireRun(db: Executor, id: string, now: Date): Promise<void> {
  const run = await getRun(db, id, true);
  if (!run || run.status !== 'done' || run.expired_at) return;
  await sql`drop table if exists ${sql.table(resultsTable(id))}`.execute(db);
  await sql`drop table if exists ${sql.table(proposalsTable(id))}`.execute(db);
  await db.updateTable('planning_runs').set({ expired_at: now, updated_at: now }).where('id', '=', id).execute();
}

/** The table holding a run's results (a partition of planning_results once the run is done). */
export function resultsTable(runId: string): string {
  // Run ids are ours (pln_ + Crockford base 32); anything else never reaches a table name.
  if (!/^pln_[0-9A-Za-z]+$/.test(runId)) throw new Error(`not a run id: ${runId}`);
  return `planning_results_${runId.toLowerCase()}`;
}

/** The table holding a run's proposals (a partition of planning_proposals once the run is done). */
export function proposalsTable(runId: string): string {
  return `planning_proposals_${resultsTable(runId).slice('planning_results_'.length)}`;
}

/** A chunk's own tables, partitions of the run's tables once the chunk has written and indexed them. */
export function chunkTables(runId: string, no: number): { results: string; proposals: string } {
  return { results: `${resultsTable(runId)}_${no}`, proposals: `${proposalsTable(runId)}_${no}` };
}

/**
 * The bounds of a chunk's partitions. Results: the chunk's SKUs (lo, hi] as a range partition
 * [lo + U+0001, hi + U+0001) — in the key's "C" collation no text lies between s and s + U+0001
 * (text holds no U+0000), so the two are the same set; null: no bound. Proposals: the chunk's ids,
 * [first, end) (run-sql.ts numbers a chunk's proposals in a range of its own).
 */
export interface ChunkBounds {
  lo: string | null;
  hi: string | null;
  firstId: string;
  endId: string;
}

/**
 * A run computed again (after a crash) starts from a clean slate. Its results and proposals go to
 * tables of their own, partitioned by the chunks (results by SKU range, proposals by id range): each
 * chunk loads a bare table, indexes it with one sort in its own transaction — while the other chunks
 * compute, instead of one sort of the whole run at the end — and attaches it (`attachChunk`). The
 * run's tables are made partitions of planning_results and planning_proposals at the end (migrations
 * 8110, 8120). Dropping a run's table drops its chunks' partitions; a chunk's table is created and
 * attached in the chunk's one transaction, so a crash leaves no stray one behind.
 */
export async function clearRunOutput(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('planning_run_stores').where('run_id', '=', id).execute();
  for (const [t, parent, key] of [
    [resultsTable(id), 'planning_results', 'sku'],
    [proposalsTable(id), 'planning_proposals', 'id'],
  ] as const) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
    await sql`create table ${sql.table(t)} (like ${sql.table(parent)} including defaults including constraints)
      partition by range (${sql.ref(key)})`.execute(db);
    // Copied to every chunk's table and checked row by row as they are written (cheap), so attaching
    // needs no scan of 10 million rows to prove they belong to the run.
    await sql`alter table ${sql.table(t)} add constraint ${sql.id(`${t}_run`)} check (run_id = ${sql.lit(id)})`.execute(
      db,
    );
  }
  // The run's indexes, empty: each chunk's own index (built before its attach) becomes their
  // partition. Results: (sku, location_id) without the run id (migration 8130); proposals: the id
  // (a probe prunes to the one chunk whose range holds it) and the parent's (status, id).
  const rt = resultsTable(id);
  await sql`create unique index ${sql.id(`${rt}_key`)} on ${sql.table(rt)} (sku, location_id)`.execute(db);
  const pt = proposalsTable(id);
  await sql`create unique index ${sql.id(`${pt}_id`)} on ${sql.table(pt)} (id)`.execute(db);
  await sql`create index ${sql.id(`${pt}_st`)} on ${sql.table(pt)} (status, id)`.execute(db);
}

/** U+0001 after a bound: the least text above it (see ChunkBounds). */
const above = (s: string) => `${s}\u0001`;

/**
 * Creates a chunk's bare tables. Their check constraints state the partition bounds (checked row by
 * row as they are written), so the attach proves them without a scan, holding the run table's lock
 * (one attach at a time) only for a moment.
 */
export async function createChunk(db: Executor, runId: string, no: number, b: ChunkBounds): Promise<void> {
  const t = chunkTables(runId, no);
  const skuCheck = [
    ...(b.lo === null ? [] : [sql`sku >= ${sql.lit(above(b.lo))}`]),
    ...(b.hi === null ? [] : [sql`sku < ${sql.lit(above(b.hi))}`]),
  ];
  for (const [table, parent, check] of [
    [t.results, resultsTable(runId), skuCheck],
    [t.proposals, proposalsTable(runId), [sql`id >= ${sql.lit(b.firstId)}`, sql`id < ${sql.lit(b.endId)}`]],
  ] as const) {
    await sql`create table ${sql.table(table)} (like ${sql.table(parent)} including defaults including constraints)`.execute(
      db,
    );
    if (check.length > 0)
      await sql`alter table ${sql.table(table)} add constraint ${sql.id(`${table}_in`)}
        check (${sql.join(check, sql` and `)})`.execute(db);
  }
}

/**
 * Indexes a chunk's tables with one sort each (250,000 rows, in the chunk's transaction, while the
 * other chunks compute), gathers their statistics (a small sample) and attaches them to the run's tables (the
 * indexes become the run's indexes' partitions: nothing is built at the attach).
 */
export async function attachChunk(db: Executor, runId: string, no: number, b: ChunkBounds): Promise<void> {
  const t = chunkTables(runId, no);
  await sql`create unique index ${sql.id(`${t.results}_key`)} on ${sql.table(t.results)} (sku, location_id)`.execute(
    db,
  );
  await sql`create unique index ${sql.id(`${t.proposals}_id`)} on ${sql.table(t.proposals)} (id)`.execute(db);
  await sql`create index ${sql.id(`${t.proposals}_st`)} on ${sql.table(t.proposals)} (status, id)`.execute(db);
  // A sample of 3,000 rows per chunk rather than 30,000 (40 chunks sample more than the one table did):
  // at the default target the analyses cost about as much CPU as the index builds. For this
  // transaction only, and after the chunk's statement was planned.
  await sql`set local default_statistics_target = 10`.execute(db);
  await sql`analyze ${sql.table(t.results)}`.execute(db);
  await sql`analyze ${sql.table(t.proposals)}`.execute(db);
  const from = b.lo === null ? sql`minvalue` : sql.lit(above(b.lo));
  const to = b.hi === null ? sql`maxvalue` : sql.lit(above(b.hi));
  await sql`alter table ${sql.table(resultsTable(runId))} attach partition ${sql.table(t.results)}
    for values from (${from}) to (${to})`.execute(db);
  await sql`alter table ${sql.table(proposalsTable(runId))} attach partition ${sql.table(t.proposals)}
    for values from (${sql.lit(b.firstId)}) to (${sql.lit(b.endId)})`.execute(db);
}

/**
 * Makes the run's tables its partitions of planning_results and planning_proposals: their chunks
 * are indexed and attached already, and the run-id check (made with the tables, copied to every
 * chunk) spares a scan proving every row belongs to the run. Catalog work only.
 */
export async function attachRun(db: Executor, id: string): Promise<void> {
  await sql`alter table planning_results attach partition ${sql.table(resultsTable(id))}
    for values in (${sql.lit(id)})`.execute(db);
  await sql`alter table planning_proposals attach partition ${sql.table(proposalsTable(id))}
    for values in (${sql.lit(id)})`.execute(db);
}

export async function insertRunStores(db: Executor, rows: RunStoreRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000)
    await db
      .insertInto('planning_run_stores')
      .values(rows.slice(i, i + 1000))
      .execute();
}

export async function runStores(db: Executor, runId: string): Promise<RunStoreRow[]> {
  return db.selectFrom('planning_run_stores').selectAll().where('run_id', '=', runId).orderBy('location_id').execute();
}

export interface ResultFilter {
  location_id?: string | undefined;
  sku?: string | undefined;
  after?: [string, string] | undefined;
  limit: number;
}

export async function results(db: Executor, runId: string, f: ResultFilter) {
  let q = db
    .selectFrom('planning_results as r')
    .leftJoin(sql<{ sku: string; size: string | null }>`(select sku, size from variants)`.as('v'), 'v.sku', 'r.sku')
    .select([
      'r.sku',
      'r.location_id',
      'v.size',
      'r.mean_daily',
      'r.sd_daily',
      'r.observed_days',
      'r.censored_days',
      'r.min_qty',
      'r.max_qty',
      'r.unit_cost',
      'r.investment',
      'r.safety_alone',
      'r.safety_pooled',
    ])
    .where('r.run_id', '=', runId)
    .orderBy('r.sku')
    .orderBy('r.location_id')
    .limit(f.limit);
  if (f.location_id) q = q.where('r.location_id', '=', f.location_id);
  if (f.sku) q = q.where('r.sku', '=', f.sku);
  if (f.after) q = q.where(sql<boolean>`(r.sku, r.location_id) > (${f.after[0]}, ${f.after[1]})`);
  return q.execute();
}

/** Result levels in keyset pages (SKU, store), for applying them to stock levels. */
export async function levelPage(db: Executor, runId: string, after: [string, string] | undefined, limit: number) {
  let q = db
    .selectFrom('planning_results')
    .select(['location_id', 'sku', 'min_qty', 'max_qty'])
    .where('run_id', '=', runId)
    .orderBy('sku')
    .orderBy('location_id')
    .limit(limit);
  if (after) q = q.where(sql<boolean>`(sku, location_id) > (${after[0]}, ${after[1]})`);
  return q.execute();
}

export async function markApplied(db: Executor, id: string, now: Date): Promise<void> {
  await db.updateTable('planning_runs').set({ applied_at: now, updated_at: now }).where('id', '=', id).execute();
}

export interface ProposalFilter {
  run_id?: string | undefined;
  status?: string | undefined;
  kind?: string | undefined;
  location_id?: string | undefined;
  after?: string | undefined;
  limit: number;
}

export async function proposals(db: Executor, f: ProposalFilter): Promise<ProposalRow[]> {
  let q = db.selectFrom('planning_proposals').selectAll().orderBy('id').limit(f.limit);
  if (f.run_id) q = q.where('run_id', '=', f.run_id);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.location_id) {
    const loc = f.location_id;
    q = q.where((eb) => eb.or([eb('from_location_id', '=', loc), eb('to_location_id', '=', loc)]));
  }
  if (f.after) q = q.where('id', '>', f.after);
  return q.execute();
}

export async function getProposal(db: Executor, id: string, lock = false): Promise<ProposalRow | undefined> {
  let q = db.selectFrom('planning_proposals').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function decideProposal(
  db: Executor,
  id: string,
  patch: { status: 'accepted' | 'rejected'; transfer_id: string | null; decided_by: string },
  now: Date,
): Promise<void> {
  await db
    .updateTable('planning_proposals')
    .set({ ...patch, decided_at: now })
    .where('id', '=', id)
    .execute();
}
