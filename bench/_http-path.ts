/**
 * The HTTP path per request (issue 17): what the server spends outside the handlers, for
 * same-machine before/after pairs and profiles.
 *
 *   node --import tsx bench/_http-path.ts [--trees /work/main,/tmp/wt-old] [--rounds 3] [--duration 5]
 *        [--connections 64] [--only health,health_auth,avail_sec,avail_pub,unauth,reserve] [--prof DIR]
 *        [--node-flag=--perf-basic-prof] [--env NODE_ENV=production] [--rate 800]
 *
 * Seeds one small PostgreSQL database (2 warehouses, one channel, 2,000 SKUs with deep stock at one,
 * a secret key and a publishable key), then for each round starts `omnia serve` from each tree's
 * dist/omnia.mjs in turn (build it first: `node scripts/build.mjs` in the tree) and drives, each
 * for `duration` seconds after a 1 s warm-up:
 *  - health:    GET /health (public, no Authorization): the floor of our app;
 *  - health_auth: the same with the secret key (the onRequest hook authenticates any credential sent);
 *  - avail_sec: GET /v1/availability?sku=… with the secret key (a cached answer: a cheap handler);
 *  - avail_pub: the same with the publishable key;
 *  - unauth:    the same without Authorization (401 problem+json: the error path);
 *  - reserve:   POST /v1/reservations, one line each, spread over the SKUs (a transaction).
 * A tree may carry settings of its own for its server: `/tmp/wt-old+NODE_ENV=production`. The trees alternate, in an order that flips every round, so a burst of load on the shared machine
 * hits both alike. With --rate the measured run offers that many requests a second in all (the
 * reservations coalesce into batches, so their CPU per request depends on the rate reached). Prints requests/s and CPU per request of the server process and the PostgreSQL
 * backends (bench/_inventory-cpu.ts), with the load average; the medians close with a BENCH line.
 * With --prof the server runs under `node --cpu-prof` and writes a profile per run into DIR (a
 * wall-clock sampler: on a loaded machine the time a process waits for a core after a socket write
 * shows as `writev`); --node-flag passes flags to the server's node (`--perf-basic-prof` for `perf`).
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import autocannon from 'autocannon';
import { benchAuth, benchDatabase, benchLine, cannon, startServer, stopServer } from './_lib.js';
import { cpuMeter, perOp } from './_inventory-cpu.js';
import { connect } from '../src/platform/db/connect.js';
import { migrate } from '../src/platform/db/migrate.js';
import { systemClock } from '../src/platform/clock.js';
import { NetworkService } from '../src/network/index.js';
import { CatalogService } from '../src/catalog/index.js';
import { InventoryService } from '../src/inventory/index.js';

const { values } = parseArgs({
  options: {
    trees: { type: 'string', default: process.cwd() },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '64' },
    only: { type: 'string', default: 'health,health_auth,avail_sec,avail_pub,unauth,reserve' },
    'node-flag': { type: 'string', multiple: true },
    env: { type: 'string', multiple: true },
    rate: { type: 'string' },
    prof: { type: 'string' },
  },
});
const trees = values.trees.split(',');
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const PHASES = values.only.split(',');
const SKUS = 2_000;
// A fixed offered rate (autocannon's overallRate): batching servers then work alike whatever the load.
const RATE = values.rate ? { overallRate: Number(values.rate) } : {};
const log = (s: string) => process.stdout.write(`${s}\n`);
const address = { line1: 'Calle 1', city: 'Madrid', postal_code: '28001', country: 'ES' };

async function seed(url: string) {
  const database = await connect({ databaseUrl: url, poolSize: 4 });
  try {
    await migrate(database.db);
    const db = database.db;
    const network = new NetworkService(db, systemClock);
    const catalog = new CatalogService(db, systemClock, network);
    const inventory = new InventoryService({ db, clock: systemClock, network, catalog });
    await network.createLocations(
      [0, 1].map((i) => ({
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
    const skus = Array.from({ length: SKUS }, (_, i) => `H-${String(i).padStart(5, '0')}`);
    for (let i = 0; i < SKUS; i += 500)
      await catalog.createProduct({
        code: `p${i}`,
        name: `P ${i}`,
        variants: skus.slice(i, i + 500).map((sku) => ({ sku })),
      });
    // Deep stock at one warehouse, so the reservations phases never sell a SKU out.
    const wh = await network.requireLocation('wh0');
    for (let i = 0; i < SKUS; i += 8)
      await Promise.all(
        skus
          .slice(i, i + 8)
          .map((sku) => inventory.recordMovement({ sku, location_id: wh.id, type: 'receipt', quantity: 10_000_000 })),
      );
    const auth = await benchAuth(database.db, network);
    const secret = await auth.createApiKey({ channel: 'web', scopes: ['inventory:read', 'reservations:write'] });
    const publishable = await auth.createApiKey({ channel: 'web', kind: 'publishable' });
    return { skus, secret: secret.key, publishable: publishable.key };
  } finally {
    await database.close();
  }
}

const bench = await benchDatabase('http_path');
try {
  const { skus, secret, publishable } = await seed(bench.url);
  let n = Math.floor(Math.random() * SKUS);
  const nextSku = () => skus[(n++ * 7919) % SKUS]!;
  const phases: Record<string, (base: string) => autocannon.Options> = {
    health: (base) => ({ url: `${base}/health` }),
    health_auth: (base) => ({ url: `${base}/health`, headers: { authorization: `Bearer ${secret}` } }),
    avail_sec: (base) => ({
      url: base,
      requests: [
        {
          method: 'GET',
          headers: { authorization: `Bearer ${secret}` },
          setupRequest: (req) => ({ ...req, path: `/v1/availability?sku=${nextSku()}` }),
        },
      ],
    }),
    avail_pub: (base) => ({
      url: base,
      requests: [
        {
          method: 'GET',
          headers: { authorization: `Bearer ${publishable}` },
          setupRequest: (req) => ({ ...req, path: `/v1/availability?sku=${nextSku()}` }),
        },
      ],
    }),
    unauth: (base) => ({ url: `${base}/v1/availability?sku=${skus[0]}` }),
    reserve: (base) => ({
      url: `${base}/v1/reservations`,
      requests: [
        {
          method: 'POST',
          headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
          setupRequest: (req) => ({
            ...req,
            body: JSON.stringify({ lines: [{ sku: nextSku(), quantity: 1 }], ttl_seconds: 3600, reference: 'bench' }),
          }),
        },
      ],
    }),
  };
  type Row = { rps: number; server_us: number; pg_us: number; load: string; non2xx: number };
  const results = new Map<string, Row[]>();
  for (let round = 0; round < Number(values.rounds); round++)
    for (const tree of round % 2 ? [...trees].reverse() : trees) {
      const nodeArgs = [
        ...(values.prof ? ['--cpu-prof', `--cpu-prof-dir=${values.prof}`] : []),
        ...(values['node-flag'] ?? []),
      ];
      const server = await startServer(
        ['--database-url', bench.url, '--no-jobs'],
        {
          OMNIA_DB_POOL: '20',
          ...Object.fromEntries([...(values.env ?? []), ...tree.split('+').slice(1)].map((e) => e.split('=', 2))),
        },
        { bin: path.join(tree.split('+')[0]!, 'dist/omnia.mjs'), nodeArgs },
      );
      try {
        for (const phase of PHASES) {
          const opts = phases[phase]!(server.base);
          await cannon({ ...opts, connections: CONNECTIONS, duration: 1 });
          const meter = await cpuMeter(bench.url, server.proc.pid);
          const res = await cannon({ ...opts, connections: CONNECTIONS, duration: DURATION, ...RATE });
          const answered = res['2xx'] + res.non2xx;
          const cpu = perOp(await meter.stop(), answered);
          const row: Row = {
            rps: Math.round(answered / DURATION),
            server_us: Math.round(cpu.server_ms_per_op * 1000),
            pg_us: Math.round(cpu.pg_ms_per_op * 1000),
            load: cpu.load,
            non2xx: res.non2xx,
          };
          const key = `${tree} ${phase}`;
          results.set(key, [...(results.get(key) ?? []), row]);
          log(
            `round ${round} ${tree} ${phase}: ${row.rps}/s (non-2xx ${res.non2xx}, errors ${res.errors}); server ${row.server_us} µs + PostgreSQL ${row.pg_us} µs per request; load ${row.load}`,
          );
        }
      } finally {
        server.proc.kill('SIGINT');
        await stopServer(server);
      }
    }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const figures: Record<string, unknown> = { connections: CONNECTIONS, duration_s: DURATION, skus: SKUS };
  for (const [key, rows] of results)
    figures[key] = {
      rps_median: median(rows.map((r) => r.rps)),
      server_us_median: median(rows.map((r) => r.server_us)),
      pg_us_median: median(rows.map((r) => r.pg_us)),
      load_last: rows.at(-1)!.load,
    };
  benchLine('http-path', figures);
} finally {
  await bench.drop();
}
