/**
 * A chunk computed by the COPY path (src/planning/chunk-copy.ts) on a kept benchmark database, rolled
 * back, several times: the backend's and this process's CPU per chunk, to compare with the SQL path
 * (`bench/_planning-parts.ts`) and to profile the process's share (`node --cpu-prof`):
 * `npx tsx bench/_planning-copy.ts --database NAME [--chunk 250000] [--rounds 3] [--sql]`.
 */
import { chunkArgs, openChunkBench } from './_planning-chunk.js';
import * as runSql from '../src/planning/index.js';

const { name, chunk: CHUNK } = chunkArgs();
const r = process.argv.indexOf('--rounds');
const rounds = r > 0 ? Number(process.argv[r + 1]) : 3;
const viaSql = process.argv.includes('--sql');
const bench = await openChunkBench(name);
const { db, regionOf, warehouseOf, p } = bench;
const lo = await runSql.chunkEnd(db, null, CHUNK * 8, null);
const hi = await runSql.chunkEnd(db, lo, CHUNK, null);
const runId = 'pln_COPY';
const stores = runSql.chunkStores(warehouseOf, regionOf);
// One worker's memory, kept across the rounds as compute.ts keeps it across chunks.
const memory = new runSql.ChunkMemory();
const ids = { baseMs: Date.now(), firstN: 0, now: new Date(), tail: '0123456789ABC' };
for (let round = 0; round < rounds; round++)
  await bench.inRollback(runId, async (trx, cpu) => {
    const into = { results: runSql.resultsTable(runId), proposals: runSql.proposalsTable(runId) };
    const c0 = cpu();
    const u0 = process.cpuUsage();
    // The backend's CPU in the COPY statements, apart.
    const io = (await runSql.copyIoOf(trx))!;
    let outCpu = 0;
    let inCpu = 0;
    const timed: typeof io = {
      copyOut: async (q, onData) => {
        const a = cpu();
        await io.copyOut(q, onData);
        outCpu += cpu() - a;
      },
      copyIn: async (q, d) => {
        const a = cpu();
        await io.copyIn(q, d);
        inCpu += cpu() - a;
      },
    };
    const out = viaSql
      ? await runSql.planChunk(trx, runId, { lo, hi }, null, warehouseOf, p, ids, regionOf, into)
      : await runSql.planChunkByCopy(trx, timed, runId, { lo, hi }, null, stores, p, ids, into, memory);
    if (!viaSql) process.stdout.write(`  copy out ${outCpu.toFixed(2)} s, copy in ${inCpu.toFixed(2)} s; `);
    const u = process.cpuUsage(u0);
    process.stdout.write(
      `${viaSql ? 'sql' : 'copy'}: backend ${(cpu() - c0).toFixed(2)} s, process ${((u.user + u.system) / 1e6).toFixed(2)} s (system ${(u.system / 1e6).toFixed(2)}); ` +
        `${out.figures.pairs} pairs, ${out.replenishment} proposals, ${out.candidates.length} candidates\n`,
    );
  });
await db.destroy();
