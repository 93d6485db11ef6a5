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
  outcome: { status: 'done' | 'failed'; summary?: unknown; error?: string | null; done?: number },
  now: Date,
): Promise<void> {
  await db
    .updateTable('planning_runs')
    .set({
      status: outcome.status,
      summary: outcome.summary === undefined ? null : JSON.stringify(outcome.summary),
      error: outcome.error ?? null,
      ...(outcome.done !== undefined ? { done: outcome.done } : {}),
      lease_until: null,
      finished_at: now,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
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

/**
 * A run computed again (after a crash) starts from a clean slate; its results and proposals go to
 * bare tables of their own (no index yet: see migrations 8110 and 8120), made partitions at the end.
 */
export async function clearRunOutput(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('planning_run_stores').where('run_id', '=', id).execute();
  for (const [t, parent] of [
    [resultsTable(id), 'planning_results'],
    [proposalsTable(id), 'planning_proposals'],
  ] as const) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
    await sql`create table ${sql.table(t)} (like ${sql.table(parent)} including defaults including constraints)`.execute(
      db,
    );
    // Checked row by row as they are written (cheap), so attaching needs no scan of 10 million rows to
    // prove they belong to the run (adding it at the end scanned the table once more).
    await sql`alter table ${sql.table(t)} add constraint ${sql.id(`${t}_run`)} check (run_id = ${sql.lit(id)})`.execute(
      db,
    );
  }
}

/**
 * Indexes the run's results with one sort and makes them the run's partition. The check constraint
 * (made with the table) spares the attach a scan proving every row belongs to the run.
 */
export async function attachResults(db: Executor, id: string): Promise<void> {
  const t = resultsTable(id);
  // (sku, location_id) without the run id, the same on every row of the partition (migration 8130).
  await sql`create unique index ${sql.id(`${t}_key`)} on ${sql.table(t)} (sku, location_id)`.execute(db);
  await sql`alter table planning_results attach partition ${sql.table(t)} for values in (${sql.lit(id)})`.execute(db);
  await sql`analyze ${sql.table(t)}`.execute(db);
}

/** The same for the run's proposals; the attach also builds the parent's other indexes on them. */
export async function attachProposals(db: Executor, id: string): Promise<void> {
  const pt = proposalsTable(id);
  await sql`create unique index ${sql.id(`${pt}_id`)} on ${sql.table(pt)} (id)`.execute(db);
  await sql`alter table planning_proposals attach partition ${sql.table(pt)} for values in (${sql.lit(id)})`.execute(
    db,
  );
  await sql`analyze ${sql.table(pt)}`.execute(db);
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
