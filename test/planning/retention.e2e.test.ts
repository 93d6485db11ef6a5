/**
 * Retention of runs' output (OMNIA_PLANNING_KEEP_RUNS): a run that finishes drops the results and
 * proposals tables of the done runs older than the newest N. The expired run keeps its row, summary
 * and per-store figures; its results, CSV, apply and proposals answer 410 run_expired; the kept
 * runs answer as before; a failed or running run never counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { AS_OF, setupPlanning } from './fixture.js';
import { resultsTable, proposalsTable } from '../../src/planning/store.js';

let t: TestApp;
let second: string;
let third: string;

beforeAll(async () => {
  t = await startTestApp({ env: { OMNIA_PLANNING_KEEP_RUNS: '2' } });
  await setupPlanning(t);
}, 60_000);
afterAll(() => t.close());

const run = async () => {
  const res = await t.request('POST', '/v1/planning/minmax', {
    body: { as_of: AS_OF, history_days: 10, min_observed_days: 5 },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.status).toBe('done');
  return res.body.id as string;
};

const tableExists = async (name: string) =>
  (
    await sql<{ n: number }>`select count(*)::int as n from pg_class where relname = ${name}`.execute(
      t.omnia.services.ctx.db,
    )
  ).rows[0]!.n > 0;

describe('planning runs keep the output of the newest N (issue 15)', () => {
  it('drops the oldest run output when a third run finishes, and says so with 410', async () => {
    const first = await run();
    second = await run();
    // Two done runs: both kept.
    expect((await t.request('GET', `/v1/planning/minmax/${first}`)).body.expired_at).toBeNull();
    expect(await tableExists(resultsTable(first))).toBe(true);
    third = await run();

    const gone = await t.request('GET', `/v1/planning/minmax/${first}`);
    expect(gone.status).toBe(200);
    expect(gone.body.expired_at).toEqual(expect.any(String));
    expect(gone.body.summary.pairs).toBe(2);
    expect(gone.body.stores).toHaveLength(2);
    expect(await tableExists(resultsTable(first))).toBe(false);
    expect(await tableExists(proposalsTable(first))).toBe(false);
    for (const url of [
      `/v1/planning/minmax/${first}/results`,
      `/v1/planning/minmax/${first}/results?format=csv`,
      `/v1/planning/proposals?run_id=${first}`,
    ]) {
      const r = await t.request('GET', url);
      expect(r.status, url).toBe(410);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.body.type).toBe('https://omnia.dev/problems/run_expired');
    }
    const apply = await t.request('POST', `/v1/planning/minmax/${first}/apply`);
    expect(apply.status).toBe(410);

    for (const id of [second, third]) {
      const r = await t.request('GET', `/v1/planning/minmax/${id}/results`);
      expect(r.status, id).toBe(200);
      expect(r.body.items).toHaveLength(2);
      expect((await t.request('GET', `/v1/planning/minmax/${id}`)).body.expired_at).toBeNull();
    }
    // Expiring again changes nothing: the job finds nothing more to drop.
    expect(await t.omnia.services.planning.expireOld()).toEqual([]);
  });

  it('counts only done runs: a newer failed run makes no room', async () => {
    const row = await t.omnia.services.ctx.db
      .selectFrom('planning_runs')
      .selectAll()
      .where('id', '=', third)
      .executeTakeFirstOrThrow();
    await t.omnia.services.ctx.db
      .insertInto('planning_runs')
      .values({
        ...row,
        id: 'pln_FAILEDNEWER',
        status: 'failed',
        summary: null,
        created_at: new Date(row.created_at.getTime() + 1000),
      })
      .execute();
    expect(await t.omnia.services.planning.expireOld()).toEqual([]);
    const fourth = await run();
    const runs = (await t.request('GET', '/v1/planning/minmax?limit=50')).body.items as {
      id: string;
      status: string;
      expired_at: string | null;
    }[];
    const kept = runs.filter((r) => r.status === 'done' && r.expired_at === null).map((r) => r.id);
    expect(kept.sort()).toEqual([third, fourth].sort());
    expect(runs.find((r) => r.id === second)?.expired_at).toEqual(expect.any(String));
    expect(runs.find((r) => r.id === 'pln_FAILEDNEWER')?.expired_at).toBeNull();
  });
});
