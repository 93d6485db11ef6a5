/**
 * EXPLAIN ANALYZE of one planning chunk statement on a kept benchmark database:
 * `npx tsx bench/planning-explain.ts --database NAME [--chunk 250000]`. Runs the chunk in a
 * transaction that is rolled back, captures the statement, then explains it (rolled back too).
 */
import { CompiledQuery, sql } from 'kysely';
import { readFileSync } from 'node:fs';
import { chunkArgs, openChunkBench } from './_planning-chunk.js';
import * as runSql from '../src/planning/index.js';

const { name, chunk: CHUNK } = chunkArgs();
const { db, regionOf, warehouseOf, p, last } = await openChunkBench(name);
const hi = await runSql.chunkEnd(db, null, CHUNK, null);
const runId = 'pln_EXPLAIN';
const go = async (explain: boolean) => {
  await db
    .transaction()
    .execute(async (trx) => {
      await sql`set local work_mem = '96MB'`.execute(trx);
      await sql`set local jit = off`.execute(trx);
      for (const t of ['results', 'proposals']) {
        await sql`drop table if exists ${sql.table(`planning_${t}_pln_explain`)}`.execute(trx);
        await sql`create table ${sql.table(`planning_${t}_pln_explain`)} (like ${sql.table(`planning_${t}`)} including defaults including constraints)`.execute(
          trx,
        );
      }
      const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid;
      // The backend's CPU time (utime + stime), a steadier figure than wall time on a shared machine.
      const cpu = () => {
        const f = readFileSync(`/proc/${pid}/stat`, 'utf8').slice(0).split(') ')[1]!.split(' ');
        return (Number(f[11]) + Number(f[12])) / 100;
      };
      const c0 = cpu();
      const t0 = Date.now();
      if (!explain)
        await runSql.planChunk(
          trx,
          runId,
          { lo: null, hi },
          null,
          warehouseOf,
          p,
          {
            baseMs: Date.now(),
            firstN: 0,
            now: new Date(),
            tail: '0123456789ABC',
          },
          regionOf,
        );
      else {
        const r = await trx.executeQuery(
          CompiledQuery.raw(`explain (analyze, buffers, timing) ${last()!.sql}`, [...last()!.params]),
        );
        process.stdout.write(`${(r.rows as { 'QUERY PLAN': string }[]).map((x) => x['QUERY PLAN']).join('\n')}\n`);
      }
      process.stdout.write(`${explain ? 'explain' : 'run'}: ${Date.now() - t0} ms, backend CPU ${cpu() - c0} s\n`);
      throw new Error('rollback');
    })
    .catch((e: Error) => {
      if (e.message !== 'rollback') throw e;
    });
};
const explain = !process.argv.includes('--no-explain');
await go(false);
if (explain) await go(true);
else for (let n = 0; n < 2; n++) await go(false);
await db.destroy();
