/**
 * Availability reads with and without a read replica (issue 17 point 6), over HTTP against `omnia serve`.
 *
 *   npm run bench -- replica [--stores 50] [--skus 2000] [--duration 5] [--clients 8] [--pool 20]
 *                            [--keep] [--database-url URL]
 *
 * Starts (or reuses) the local hot standby with scripts/pg-standby.mjs, seeds `stores` stores + 4
 * warehouses × `skus` SKUs of demo stock, then runs the same two reads twice, first with every read
 * on the primary, then with DATABASE_READ_URL on the standby: single-SKU GET /v1/availability and a
 * 50-SKU near-me POST /v1/availability/query, `clients` connections for `duration` seconds each.
 * Where the reads went is counted by the servers themselves (pg_stat_database.xact_commit of the
 * benchmark's database on each server, before and after each phase).
 *
 * On one machine the standby shares the cores with the primary and the API process: the replica
 * moves work, it does not add CPU. The figure that matters here is that the replica's phase
 * commits its reads on the standby and answers as fast; the throughput gain needs another machine.
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { sql } from 'kysely';
import type autocannon from 'autocannon';
import { benchAuth, benchDatabase, benchLine, cannon, startServer, stopServer } from './_lib.js';
import { connect } from '../src/platform/db/connect.js';
import { migrate } from '../src/platform/db/migrate.js';
import { systemClock } from '../src/platform/clock.js';
import { NetworkService } from '../src/network/index.js';
import { CatalogService } from '../src/catalog/index.js';
import { InventoryService } from '../src/inventory/index.js';

const { values } = parseArgs({
  options: {
    stores: { type: 'string', default: '50' },
    skus: { type: 'string', default: '2000' },
    duration: { type: 'string', default: '5' },
    clients: { type: 'string', default: '8' },
    pool: { type: 'string', default: '20' },
    keep: { type: 'boolean' },
    'database-url': { type: 'string' },
  },
});
const STORES = Number(values.stores);
const SKUS = Number(values.skus);
const DURATION = Number(values.duration);
const CLIENTS = Number(values.clients);
const log = (s: string) => process.stdout.write(`${s}\n`);
const address = { line1: 'Calle 1', city: 'Madrid', postal_code: '28001', country: 'ES' };
const onDb = (url: string, name: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();

async function commits(url: string, db: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ n: number }>('select xact_commit::int8 as n from pg_stat_database where datname = $1', [
      db,
    ]);
    return Number(r.rows[0]?.n ?? 0);
  } finally {
    await c.end();
  }
}

async function caughtUp(primaryUrl: string, standbyUrl: string): Promise<void> {
  const p = new pg.Client({ connectionString: primaryUrl });
  const s = new pg.Client({ connectionString: standbyUrl });
  await p.connect();
  await s.connect();
  try {
    const lsn = (await p.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')).rows[0]!.lsn;
    for (let i = 0; i < 1200; i++) {
      const r = await s.query<{ ok: boolean }>('select pg_last_wal_replay_lsn() >= $1::pg_lsn as ok', [lsn]);
      if (r.rows[0]!.ok) return;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    throw new Error('the standby did not catch up in 120 s');
  } finally {
    await p.end();
    await s.end();
  }
}

async function main() {
  const out = execFileSync('node', ['scripts/pg-standby.mjs'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const standby = JSON.parse(out.trim().split('\n').pop()!) as { status: string; url: string };
  log(`replica bench: standby ${standby.status} at ${standby.url}`);
  log(`${STORES} stores + 4 warehouses × ${SKUS} SKUs, ${CLIENTS} clients, ${DURATION}s per phase`);
  const dbx = values['database-url']
    ? { url: values['database-url'], drop: async () => {} }
    : await benchDatabase('replica');
  const name = new URL(dbx.url).pathname.slice(1);
  const replicaUrl = onDb(standby.url, name);
  const database = await connect({ databaseUrl: dbx.url, poolSize: 8 });
  const figures: Record<string, unknown> = { stores: STORES, skus: SKUS, clients: CLIENTS, duration_s: DURATION };
  try {
    await migrate(database.db);
    const db = database.db;
    const network = new NetworkService(db, systemClock);
    const catalog = new CatalogService(db, systemClock, network);
    const inventory = new InventoryService({ db, clock: systemClock, network, catalog });
    const auth = await benchAuth(db, network);
    const skus = Array.from({ length: SKUS }, (_, i) => `R-${String(i).padStart(6, '0')}`);
    if ((await catalog.getVariants([skus[SKUS - 1]!])).size === 0) {
      for (let i = 0; i < STORES; i += 250)
        await network.createLocations(
          Array.from({ length: Math.min(250, STORES - i) }, (_, j) => ({
            code: `s${i + j}`,
            type: 'store' as const,
            name: `Store ${i + j}`,
            lat: 36 + (((i + j) * 7919) % 700) / 100,
            lng: -9 + (((i + j) * 104729) % 1200) / 100,
            address,
            capabilities: ['pickup' as const],
          })),
        );
      await network.createLocations(
        Array.from({ length: 4 }, (_, i) => ({
          code: `wh${i}`,
          type: 'warehouse' as const,
          name: `WH ${i}`,
          lat: 40 + i,
          lng: -3 - i,
          address,
          capabilities: ['ship' as const],
        })),
      );
      await network.createChannel({ code: 'web', type: 'web', name: 'Web', stock_policy: { safety_stock: 0 } });
      for (let i = 0; i < SKUS; i += 500)
        await catalog.createProduct({
          code: `p${i}`,
          name: `P ${i}`,
          variants: skus.slice(i, i + 500).map((sku) => ({ sku })),
        });
      const seeded = await inventory.seedDemoStock({ seed: 42, skus });
      await sql`analyze`.execute(db);
      log(`seeded ${seeded.rows.toLocaleString()} stock rows`);
    } else log('reusing the seeded database');
    const { key } = await auth.createApiKey({ channel: 'web', scopes: ['inventory:read'] });
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    await caughtUp(dbx.url, onDb(standby.url, 'postgres'));

    for (const phase of ['primary', 'replica'] as const) {
      const env: Record<string, string> = { OMNIA_DB_POOL: String(values.pool), OMNIA_JOBS: 'false' };
      if (phase === 'replica') env.DATABASE_READ_URL = replicaUrl;
      const server = await startServer(['--database-url', dbx.url], env);
      let m = 0;
      const run = (opts: autocannon.Options) => cannon({ connections: CLIENTS, duration: DURATION, ...opts });
      // Warm-up (JIT, pools, caches), not counted: otherwise the first phase pays for it.
      await cannon({
        url: server.base,
        connections: CLIENTS,
        duration: 1,
        requests: [
          {
            method: 'GET',
            headers,
            setupRequest: (req) => ({ ...req, path: `/v1/availability?sku=${skus[m++ % SKUS]}` }),
          },
        ],
      });
      const before = { primary: await commits(dbx.url, name), standby: await commits(replicaUrl, name) };
      const single = await run({
        url: server.base,
        requests: [
          {
            method: 'GET',
            headers,
            setupRequest: (req) => ({ ...req, path: `/v1/availability?sku=${skus[(m++ * 104729) % SKUS]}` }),
          },
        ],
      });
      const near = await run({
        url: `${server.base}/v1/availability/query`,
        requests: [
          {
            method: 'POST',
            headers,
            setupRequest: (req) => {
              const base = (m++ * 7) % Math.max(1, SKUS - 50);
              const body = { skus: skus.slice(base, base + 50), lat: 40.4, lng: -3.7, radius_km: 300 };
              return { ...req, body: JSON.stringify(body) };
            },
          },
        ],
      });
      await stopServer(server);
      const after = { primary: await commits(dbx.url, name), standby: await commits(replicaUrl, name) };
      const requests = single.requests.total + near.requests.total;
      figures[phase] = {
        availability_1sku: { p50_ms: single.latency.p50, p99_ms: single.latency.p99, rps: single.requests.average },
        availability_50sku_near: { p50_ms: near.latency.p50, p99_ms: near.latency.p99, rps: near.requests.average },
        errors: single.non2xx + near.non2xx + single.errors + near.errors,
        requests,
        primary_commits: after.primary - before.primary,
        standby_commits: after.standby - before.standby,
      };
      log(
        `${phase}: 1 SKU p50 ${single.latency.p50} ms p99 ${single.latency.p99} ms (${Math.round(single.requests.average)}/s); ` +
          `50 near p50 ${near.latency.p50} ms p99 ${near.latency.p99} ms (${Math.round(near.requests.average)}/s); ` +
          `${requests} requests, commits on primary ${after.primary - before.primary}, on standby ${after.standby - before.standby}`,
      );
    }
    benchLine('replica', figures);
  } finally {
    await database.close();
    if (!values.keep && !values['database-url']) await dbx.drop();
    else log(`database kept: ${dbx.url}`);
    // A standby this run started is stopped again (its folder stays, for a quick restart).
    if (standby.status !== 'running') execFileSync('node', ['scripts/pg-standby.mjs', '--stop'], { stdio: 'ignore' });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
