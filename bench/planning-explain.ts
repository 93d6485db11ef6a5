/**
 * EXPLAIN ANALYZE of one planning chunk statement on a kept benchmark database:
 * `npx tsx bench/planning-explain.ts --database NAME [--chunk 250000]`. Runs the chunk in a
 * transaction that is rolled back, captures the statement, then explains it (rolled back too).
 */
import { CompiledQuery } from 'kysely';
import { chunkArgs, openChunkBench } from './_planning-chunk.js';
import * as runSql from '../src/planning/index.js';

const { name, chunk: CHUNK } = chunkArgs();
const bench = await openChunkBench(name);
const { db, regionOf, warehouseOf, p, last } = bench;
const hi = await runSql.chunkEnd(db, null, CHUNK, null);
const runId = 'pln_EXPLAIN';
const go = (explain: boolean) =>
  bench.inRollback(runId, async (trx, cpu) => {
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
        { baseMs: Date.now(), firstN: 0, now: new Date(), tail: '0123456789ABC' },
        regionOf,
      );
    else {
      const r = await trx.executeQuery(
        CompiledQuery.raw(`explain (analyze, buffers, timing) ${last()!.sql}`, [...last()!.params]),
      );
      process.stdout.write(`${(r.rows as { 'QUERY PLAN': string }[]).map((x) => x['QUERY PLAN']).join('\n')}\n`);
    }
    process.stdout.write(`${explain ? 'explain' : 'run'}: ${Date.now() - t0} ms, backend CPU ${cpu() - c0} s\n`);
  });
const explain = !process.argv.includes('--no-explain');
await go(false);
if (explain) await go(true);
else for (let n = 0; n < 2; n++) await go(false);
await db.destroy();
