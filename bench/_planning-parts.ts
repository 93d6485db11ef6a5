/**
 * Where a planning chunk's database CPU goes: runs the chunk statement of a kept benchmark database
 * whole and with parts cut out (rolled back), and prints the backend's CPU seconds for each:
 * `npx tsx bench/_planning-parts.ts --database NAME [--chunk 250000]`.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { DB } from '../src/platform/db/schema.js';
import { chunkArgs, openChunkBench } from './_planning-chunk.js';
import * as runSql from '../src/planning/index.js';

const { name, chunk: CHUNK } = chunkArgs();
const bench = await openChunkBench(name);
const { db, regionOf, warehouseOf, p, last } = bench;
// A chunk from the middle of the SKUs (the first starts with no lower bound).
const lo = await runSql.chunkEnd(db, null, CHUNK * 8, null);
const hi = await runSql.chunkEnd(db, lo, CHUNK, null);
const runId = 'pln_PARTS';
const inRollback = (f: (trx: Kysely<DB>, cpu: () => number) => Promise<void>) => bench.inRollback(runId, f);
await inRollback(async (trx) => {
  await runSql.planChunk(
    trx,
    runId,
    { lo, hi },
    null,
    warehouseOf,
    p,
    { baseMs: Date.now(), firstN: 0, now: new Date(), tail: '0123456789ABC' },
    regionOf,
  );
});
const full = last()!;
const cut = (from: string, to: string, by: string) => (q: string) => {
  const a = q.indexOf(from);
  const b = q.indexOf(to, a);
  if (a < 0 || b < 0) throw new Error(`cannot cut ${from}`);
  // The cut part's parameters stay referenced (as text), so the statement still types them.
  const params = [...q.slice(a, b).matchAll(/\$\d+/g)].map((m) => `cast(${m[0]} as text)`);
  const keep = params.length ? `, keep_${a} as (select ${params.join(', ')}),\n    ` : ',\n    ';
  return q.slice(0, a) + by.replace(/,\n {4}$/, keep) + q.slice(b);
};
const variants: [string, (q: string) => string][] = [
  ['whole chunk', (q) => q],
  ['without the results insert', cut('ins as (', 'lines as (', 'ins as (select 1),\n    ')],
  [
    'without the proposals insert',
    cut('prop as (', 'st as (', 'prop as (select 1 from numbered x join heads h on h.o = x.n / 32768),\n    '),
  ],
];
for (let round = 0; round < 2; round++)
  for (const [label, f] of variants)
    await inRollback(async (trx, cpu) => {
      const c0 = cpu();
      await trx.executeQuery(CompiledQuery.raw(f(full.sql), [...full.params]));
      process.stdout.write(`${label}: backend CPU ${(cpu() - c0).toFixed(2)} s\n`);
    });
// Reading alone: the base rows counted (the other parts' parameters kept referenced).
await inRollback(async (trx, cpu) => {
  const q = full.sql;
  const a = q.indexOf('    -- poolingSaving');
  const b = q.indexOf("select 's' as t");
  const params = [...q.slice(a, q.length).matchAll(/\$\d+/g)].map((m) => `cast(${m[0]} as text)`);
  const c0 = cpu();
  await trx.executeQuery(
    CompiledQuery.raw(
      `${q.slice(0, a)} keep as (select ${params.join(', ')}) select count(*), sum(sd), sum(on_hand), sum(in_transit), sum(unit_cost), count(region), count(lone) from base, keep`,
      [...full.params],
    ),
  );
  process.stdout.write(`reading and joining only (base): backend CPU ${(cpu() - c0).toFixed(2)} s\n`);
  void b;
});
/** The statement up to (not including) the CTE starting at `upTo`, ending in `tail`. */
async function prefix(label: string, upTo: string, tail: string) {
  await inRollback(async (trx, cpu) => {
    const q = full.sql;
    const a = q.indexOf(upTo);
    const params = [...q.slice(a).matchAll(/\$\d+/g)].map((m) => `cast(${m[0]} as text)`);
    const c0 = cpu();
    const explain = process.env.EXPLAIN === label ? 'explain (analyze, timing off, costs off) ' : '';
    const r = await trx.executeQuery<Record<string, string>>(
      CompiledQuery.raw(`${explain}${q.slice(0, a)} keep as (select ${params.join(', ')}) ${tail}`, [...full.params]),
    );
    process.stdout.write(`${label}: backend CPU ${(cpu() - c0).toFixed(2)} s\n`);
    if (explain) process.stdout.write(`${r.rows.map((x) => x['QUERY PLAN']).join('\n')}\n`);
  });
}
for (let round = 0; round < 2; round++) {
  await prefix(
    'levels and pooling (done)',
    '    ins as (',
    'select count(*), sum(pooled), sum(region_pooled), sum(max_qty), sum(investment) from done, keep',
  );
  await prefix('+ replenishment split (alloc)', '    numbered as (', 'select count(*), sum(units) from alloc, keep');
  await prefix('+ numbering (numbered)', '    heads as (', 'select count(*), sum(n) from numbered, keep');
}
// The chunk's own partitions (compute.ts): created, written by the statement, then indexed with one
// sort each, analysed and attached to the run's tables in the chunk's transaction.
for (let round = 0; round < 2; round++)
  await inRollback(async (trx, cpu) => {
    await runSql.clearRunOutput(trx, runId);
    const ids = { baseMs: Date.now(), firstN: 0, now: new Date(), tail: '0123456789ABC' };
    const bounds = { lo, hi, firstId: runSql.proposalIdOf(ids, 0), endId: runSql.proposalIdOf(ids, 1 << 20) };
    const c0 = cpu();
    await runSql.createChunk(trx, runId, 0, bounds);
    const c1 = cpu();
    await runSql.planChunk(trx, runId, { lo, hi }, null, warehouseOf, p, ids, regionOf, runSql.chunkTables(runId, 0));
    const c2 = cpu();
    await runSql.attachChunk(trx, runId, 0, bounds);
    const c3 = cpu();
    process.stdout.write(
      `own partitions: create ${(c1 - c0).toFixed(2)} s, statement ${(c2 - c1).toFixed(2)} s, ` +
        `index + analyze + attach ${(c3 - c2).toFixed(2)} s of backend CPU\n`,
    );
  });
await db.destroy();
