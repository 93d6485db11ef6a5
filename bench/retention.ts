/**
 * The outbox's retention (src/platform/events/retention.ts): how fast a backlog of settled events
 * leaves, as the `events.retention` job removes it (chunks of 1,000, each run from where the last
 * ended), and what a run costs when there is nothing to remove.
 *
 *   npm run bench -- retention [--events 200000] [--stats empty|fresh]
 *
 * Workload: `--events` settled events (dispatched 40 days ago, ≈ 0.3 KB payloads, no delivery left)
 * in a fresh migrated database, removed with a 30-day retention. `--stats empty` (default) analyses
 * the outbox while it is empty first (what a server without autovacuum, or one analysed between two
 * bursts, plans with); `fresh` analyses it after the insert. Reports rows/s and CPU per 1,000 rows
 * (this process and the database's backends, from /proc), then the time of a run that finds nothing.
 */
import { sql } from 'kysely';
import { benchDatabase, benchLine } from './_lib.js';
import { cpuMeter, loadAverage } from './_inventory-cpu.js';
import { connect } from '../src/platform/db/connect.js';
import { migrate } from '../src/platform/db/migrate.js';
import { chunkedPurge, purgeSettledEvents, RETENTION_CHUNK } from '../src/platform/events/retention.js';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
}
const EVENTS = Number(arg('events', '200000'));
const STATS = arg('stats', 'empty');
if (!Number.isInteger(EVENTS) || EVENTS < 1 || !['empty', 'fresh'].includes(STATS)) {
  console.error('usage: npm run bench -- retention [--events N] [--stats empty|fresh]');
  process.exit(2);
}

async function main() {
  const dbh = await benchDatabase('retention');
  const database = await connect({ databaseUrl: dbh.url, poolSize: 4 });
  const db = database.db;
  try {
    await migrate(db);
    process.stdout.write(
      `workload: ${EVENTS.toLocaleString('en')} settled events 40 days old, 30-day retention, chunks of ${RETENTION_CHUNK}, statistics ${STATS}; load ${loadAverage()}\n`,
    );
    if (STATS === 'empty') await sql`vacuum analyze outbox`.execute(db);
    // ids in time order, as platform/ids.ts makes them (a fixed time part below any real one)
    await sql`
      insert into outbox (id, type, aggregate_id, payload, created_at, dispatched_at)
      select 'evt_01' || lpad(g::text, 20, '0'), 'inventory.changed', 'SKU-' || g,
             jsonb_build_object('sku', 'SKU-' || g, 'location_id', 'loc_x', 'available', g % 50, 'pad', repeat('x', 200)),
             now() - interval '40 days', now() - interval '40 days'
      from generate_series(1, ${EVENTS}) g`.execute(db);
    if (STATS === 'fresh') await sql`vacuum analyze outbox`.execute(db);

    const before = new Date(Date.now() - 30 * 86_400_000);
    const run = chunkedPurge((after) => purgeSettledEvents(db, before, RETENTION_CHUNK, after));
    const meter = await cpuMeter(dbh.url, undefined);
    const t0 = performance.now();
    let removed = 0;
    let runs = 0;
    for (let n = -1; n !== 0; runs++) removed += n = await run();
    const secs = (performance.now() - t0) / 1000;
    const cpu = await meter.stop();
    const t1 = performance.now();
    await run();
    const idleMs = performance.now() - t1;
    const figures = {
      events: EVENTS,
      stats: STATS,
      removed,
      runs,
      seconds: +secs.toFixed(2),
      rows_per_s: Math.round(removed / secs),
      node_ms_per_1000: +((cpu.client_ms / removed) * 1000).toFixed(2),
      pg_ms_per_1000: +((cpu.pg_ms / removed) * 1000).toFixed(2),
      idle_run_ms: +idleMs.toFixed(2),
      load_avg: loadAverage(),
    };
    process.stdout.write(
      `removed ${removed.toLocaleString('en')} events in ${runs} runs, ${figures.seconds} s = ${figures.rows_per_s.toLocaleString('en')} rows/s; ` +
        `CPU per 1,000 rows ${figures.node_ms_per_1000} ms node + ${figures.pg_ms_per_1000} ms PostgreSQL; a run finding nothing ${figures.idle_run_ms} ms\n`,
    );
    benchLine('retention', figures);
  } finally {
    await database.close();
    await dbh.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
