/**
 * Min/max + replenishment for a chain (issue 15): `npm run bench -- planning [--stores 500 --skus 20000]`.
 *
 * Workload: S stores × K SKUs rows of daily-demand summary (10 million at the defaults) on
 * PostgreSQL, one stock level per pair plus K at each of 5 warehouses; every 25th pair empty and
 * about a third at or below its min (3.8 million replenishment proposals at full size), every 40th
 * overstocked; every 10th SKU out at the warehouses, so its short stores are served by store-to-store
 * transfers from the overstocked ones (rebalancing). Generated with generate_series SQL (not timed). Timed: one run through the service's
 * job path (`runDue`): chunks of 250,000 pairs, two at a time, each one SQL statement (levels,
 * pooling, replenishment; rebalancing through the pure rule), results indexed once at the end.
 * Reports wall time, pairs/s, peak RSS of this process and the database size the results take.
 */
import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/platform/db/schema.js';
import { benchDatabase, benchLine, PG_ADMIN_URL } from './_lib.js';
import { createOmnia, type Omnia } from '../src/server.js';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/log.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}
const STORES = arg('stores', 500);
/** --database NAME: use (and keep) a database a previous run generated, timing the run only. */
const REUSE = (() => {
  const i = process.argv.indexOf('--database');
  return i > 0 ? process.argv[i + 1] : undefined;
})();
const SKUS = arg('skus', 20_000);
/** --keep: leave the generated database in place (its name is printed) for --database runs. */
const KEEP = process.argv.includes('--keep');
/** --generate-only: generate (and keep) the workload, time nothing. */
const GENERATE_ONLY = process.argv.includes('--generate-only');
const WAREHOUSES = 5;
const say = (s: string) => process.stdout.write(`${s}\n`);

async function generate(db: Kysely<DB>, omnia: Omnia, t0: number): Promise<void> {
  const address = { line1: 'Calle 1', city: 'Madrid', postal_code: '28001', country: 'ES' };
  const locs = await omnia.services.network.createLocations([
    ...Array.from({ length: WAREHOUSES }, (_, i) => ({
      code: `bw-${i}`,
      type: 'warehouse' as const,
      name: `W${i}`,
      lat: 36 + i * 2,
      lng: -8 + i * 2,
      address,
      capabilities: ['ship' as const],
    })),
    ...Array.from({ length: STORES }, (_, i) => ({
      code: `bs-${i}`,
      type: 'store' as const,
      name: `S${i}`,
      lat: 36 + (i % 50) * 0.16,
      lng: -8 + Math.floor(i / 50) * 0.9,
      // a region per 50 stores (a column of the grid), for the pooling saving by region
      address: { ...address, region: `R${Math.floor(i / 50)}` },
      capabilities: ['pickup' as const],
    })),
  ]);
  const stores = locs.filter((l) => l.type === 'store').map((l) => l.id);
  const warehouses = locs.filter((l) => l.type === 'warehouse').map((l) => l.id);
  await sql`insert into products (id, code, name) select 'prd_b' || g, 'b' || g, 'Product ' || g
    from generate_series(0, ${Math.ceil(SKUS / 5) - 1}) g`.execute(db);
  await sql`insert into variants (sku, product_id, size, unit_cost, position)
    select 'B' || lpad(g::text, 6, '0'), 'prd_b' || (g / 5), (array['XS','S','M','L','XL'])[g % 5 + 1], 500 + (g % 40) * 100, g % 5
    from generate_series(0, ${SKUS - 1}) g`.execute(db);
  // Demand: μ between 0.1 and 3/day, Poisson-like variance (Σx² = (Σx)²/n + Σx), 6 months, some censored days.
  await sql`insert into planning_demand_summary (sku, location_id, observed_days, censored_days, units_sum, units_sumsq)
    select 'B' || lpad(k::text, 6, '0'), s.id, 170, 12, u.sum, (u.sum * u.sum) / 170 + u.sum
    from generate_series(0, ${SKUS - 1}) k
    cross join unnest(cast(${stores} as text[])) with ordinality as s(id, n)
    cross join lateral (select (17 + ((k * 7 + s.n * 13) % 50) * 10) as sum) u`.execute(db);
  // Stock: most pairs near their min (3μ + 4), every 25th empty (replenishment), every 40th overstocked (rebalancing).
  await sql`insert into stock_levels (sku, location_id, on_hand, updated_at)
    select 'B' || lpad(k::text, 6, '0'), s.id,
      case when (k + s.n) % 25 = 0 then 0 when (k + s.n) % 40 = 0 then 60
        else round((17 + ((k * 7 + s.n * 13) % 50) * 10) / 170.0 * 3 + 4) end, now()
    from generate_series(0, ${SKUS - 1}) k cross join unnest(cast(${stores} as text[])) with ordinality as s(id, n)`.execute(
    db,
  );
  // Every 10th SKU is out at the warehouses: its short stores are left to store-to-store transfers
  // from the overstocked ones (rebalancing proposals, timed apart).
  await sql`insert into stock_levels (sku, location_id, on_hand, updated_at)
    select 'B' || lpad(k::text, 6, '0'), w.id, case when k % 10 = 7 then 0 else 200 end, now()
    from generate_series(0, ${SKUS - 1}) k cross join unnest(cast(${warehouses} as text[])) as w(id)`.execute(db);
  await sql`analyze`.execute(db);
  say(`generated in ${((Date.now() - t0) / 1000).toFixed(1)} s (not timed)`);
}

/**
 * CPU seconds of the database's backends for this database (utime + stime from /proc, when the
 * server runs on this machine), read per backend into `seen` (pid → seconds): on a shared machine
 * wall time varies several-fold with the others' load, CPU time much less, so it is the figure to
 * compare changes by. Read once a second during the run: the pool closes a connection idle for 10 s,
 * and its backend's CPU is gone with it (read only at the end, the figure missed such backends);
 * parallel workers (an index build's) count too.
 * False: a server on another machine (no backend's /proc entry readable).
 */
async function sampleDbCpu(db: Kysely<DB>, seen: Map<number, number>): Promise<boolean> {
  const r = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = current_database()
      and backend_type in ('client backend', 'parallel worker')`.execute(db);
  let read = 0;
  for (const { pid } of r.rows) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
      seen.set(pid, (Number(rest[11]) + Number(rest[12])) / 100); // fields 14 and 15: utime, stime
      read++;
    } catch {
      // Gone since the query (a parallel worker that finished): what it used since the last read is lost.
    }
  }
  return read > 0;
}

async function main(): Promise<void> {
  const dbh = REUSE
    ? (() => {
        const u = new URL(PG_ADMIN_URL);
        u.pathname = `/${REUSE}`;
        return { url: u.toString(), drop: async () => undefined };
      })()
    : await benchDatabase('planning');
  const config = {
    ...loadConfig({
      LOG_LEVEL: 'silent',
      DATABASE_URL: dbh.url,
      OMNIA_DB_POOL: '4',
      // The run's chunks at a time, as the server takes it (default 2, at most the pool less one).
      OMNIA_PLANNING_WORKERS: process.env.OMNIA_PLANNING_WORKERS,
      // copy (default) or sql: how the chunks are computed (src/planning/chunk-copy.ts, run-sql.ts).
      OMNIA_PLANNING_COMPUTE: process.env.OMNIA_PLANNING_COMPUTE,
    }),
    jobs: false,
  };
  const omnia = await createOmnia({ config, logger: createLogger('silent') });
  const db = omnia.ctx.db;
  try {
    say(
      `workload: ${STORES} stores × ${SKUS} SKUs = ${STORES * SKUS} store-SKU demand summary rows, ${WAREHOUSES} warehouses`,
    );
    let t0 = Date.now();
    if (REUSE) {
      // The earlier runs' tables (a partition per run, 41 leaves each) are dropped one by one: a
      // truncate of the parents keeps them, and once a few dozen runs' leaves piled up it needed
      // more locks than the server has ("out of shared memory").
      const runs = await sql<{ t: string }>`
        select c.relname as t from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent in ('planning_results'::regclass, 'planning_proposals'::regclass)`.execute(db);
      for (const { t } of runs.rows) await sql`drop table if exists ${sql.table(t)}`.execute(db);
      await sql`truncate planning_proposals, planning_run_stores, planning_results, planning_runs`.execute(db);
      await sql`checkpoint`.execute(db);
    } else await generate(db, omnia, t0);
    if (GENERATE_ONLY) {
      say(`database ${new URL(dbh.url).pathname.slice(1)} kept`);
      return;
    }

    const planning = omnia.services.planning;
    let peakRss = process.memoryUsage().rss;
    const cpuSeen = new Map<number, number>();
    let cpuOk = await sampleDbCpu(db, cpuSeen);
    const cpuBefore = new Map(cpuSeen);
    // Timed from the run's creation, which counts its pairs (the computation starts from that count).
    t0 = Date.now();
    const cpu0 = process.cpuUsage();
    const run = await planning.createRun(
      { refresh_demand: false, simulate_skus: 0, background: true, min_observed_days: 7 },
      'bench',
    );
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      void sampleDbCpu(db, cpuSeen).then((ok) => (cpuOk &&= ok));
      void planning
        .get(run.id)
        .then((r) =>
          process.stderr.write(
            `\rplan minmax ${r.progress.done}/${r.progress.total} (${Math.round((r.progress.done / Math.max(1, r.progress.total)) * 100)} %)   `,
          ),
        );
    }, 1000);
    await planning.runDue();
    const nodeCpu = process.cpuUsage(cpu0);
    // Every backend seen during the run (the pool's): those that did the run's work.
    cpuOk &&= await sampleDbCpu(db, cpuSeen);
    const dbCpu = cpuOk
      ? +[...cpuSeen].reduce((sum, [pid, s]) => sum + s - (cpuBefore.get(pid) ?? 0), 0).toFixed(2)
      : null;
    const seconds = (Date.now() - t0) / 1000;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    process.stderr.write('\n');
    const done = await planning.get(run.id);
    if (done.status !== 'done') throw new Error(`run ${done.status}: ${done.error}`);
    const s = done.summary!;
    const byRegion = (s.regions ?? []).reduce((a, g) => a + g.safety_pooled, 0);
    const regionRatio = byRegion === 0 ? 1 : s.safety_alone / byRegion;
    // planning_results is partitioned by run, a run's table by its chunks: the leaves are what it wrote.
    const size = await sql<{ mb: string }>`
      select coalesce(sum(pg_total_relation_size(relid)), 0) / 1048576 as mb
      from pg_partition_tree('planning_results') where isleaf`.execute(db);
    say(
      `min/max + replenishment: ${s.pairs} pairs in ${seconds.toFixed(1)} s (${Math.round(s.pairs / seconds)} pairs/s), ` +
        `phases ${JSON.stringify(s.phases)} (rebalancing: the pure rule and its insert, summed over the chunks), ` +
        `CPU: database ${dbCpu ?? '?'} s, this process ${((nodeCpu.user + nodeCpu.system) / 1e6).toFixed(1)} s, ` +
        `peak RSS ${Math.round(peakRss / 1048576)} MB; proposals: ${s.proposals.replenishment} replenishment, ` +
        `${s.proposals.rebalancing} rebalancing; pooling ratio ${s.pooling_ratio.toFixed(2)} chain-wide, ` +
        `${regionRatio.toFixed(2)} by region; results ${size.rows[0]?.mb} MB on disk`,
    );
    benchLine('planning', {
      stores: STORES,
      skus: SKUS,
      pairs: s.pairs,
      seconds: +seconds.toFixed(2),
      pairs_per_s: Math.round(s.pairs / seconds),
      peak_rss_mb: Math.round(peakRss / 1048576),
      db_cpu_s: dbCpu,
      phases: s.phases,
      replenishment: s.proposals.replenishment,
      rebalancing: s.proposals.rebalancing,
      pooling_ratio: +s.pooling_ratio.toFixed(3),
      region_pooling_ratio: +regionRatio.toFixed(3),
      investment: s.investment,
      within_budget: seconds <= 60 && peakRss <= 1024 * 1048576,
    });
  } finally {
    await omnia.close();
    if (KEEP || GENERATE_ONLY) say(`database ${new URL(dbh.url).pathname.slice(1)} kept`);
    else await dbh.drop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
