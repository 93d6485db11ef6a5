/**
 * The quote API alone, for same-machine before/after pairs and profiles:
 *
 *   node --import tsx bench/_pricing-http.ts [--trees /work/main,/tmp/wt-old] [--rounds 3] [--duration 5]
 *        [--connections 32] [--explain] [--prof DIR]
 *
 * Seeds one PostgreSQL database (bench/_pricing-seed.ts: 200 promotions, 20-line baskets), then for
 * each round starts `omnia serve` from each tree's dist/omnia.mjs in turn (build it first:
 * `node scripts/build.mjs` in the tree), warms it up for 2 s, drives POST /v1/pricing/quote with
 * autocannon for `duration` seconds and stops it; the trees alternate (in an order that flips every
 * round) so a burst of load on the shared machine hits both alike. Prints quotes/s and the server's
 * and this client's CPU per quote (from /proc and process.cpuUsage). With --prof the server runs
 * under `node --cpu-prof` and writes its profile into DIR.
 */
import { parseArgs } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { benchDatabase, benchLine, cannon, startServer, stopServer } from './_lib.js';
import { procTicks } from './_checkout-seed.js';
import { seedPricing } from './_pricing-seed.js';

const { values } = parseArgs({
  options: {
    trees: { type: 'string', default: process.cwd() },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '32' },
    explain: { type: 'boolean', default: false },
    prof: { type: 'string' },
  },
});
const trees = values.trees.split(',');
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const log = (s: string) => process.stdout.write(`${s}\n`);

function start(tree: string, url: string) {
  const nodeArgs = values.prof ? ['--cpu-prof', `--cpu-prof-dir=${values.prof}`] : [];
  return startServer(
    ['--database-url', url, '--no-jobs'],
    { OMNIA_DB_POOL: '20' },
    { bin: path.join(tree, 'dist/omnia.mjs'), nodeArgs },
  );
}

const bench = await benchDatabase('pricing_http');
try {
  const seeded = await seedPricing(bench.url, { promos: 200, lines: 20, pool: 4 });
  const { key } = await seeded.auth.createApiKey({ channel: 'web', scopes: ['pricing:read'] });
  await seeded.database.close();
  const bodies = seeded.bodies;
  const results = new Map(trees.map((t) => [t, [] as { qps: number; server_us: number; client_us: number }[]]));
  const drive = async (base: string, duration: number) => {
    let r = 0;
    return cannon({
      url: `${base}/v1/pricing/quote${values.explain ? '?explain=true' : ''}`,
      connections: CONNECTIONS,
      duration,
      requests: [
        {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          setupRequest: (req) => ({ ...req, body: bodies[r++ % bodies.length]! }),
        },
      ],
    });
  };
  for (let round = 0; round < Number(values.rounds); round++)
    // the order flips every round, so a load that rises or falls over the run favours neither tree
    for (const tree of round % 2 ? [...trees].reverse() : trees) {
      const server = await start(tree, bench.url);
      try {
        await drive(server.base, 2);
        const ticks0 = await procTicks(server.proc.pid!);
        const cpu0 = process.cpuUsage();
        const res = await drive(server.base, DURATION);
        const client = process.cpuUsage(cpu0);
        const ok = Math.max(1, res['2xx']);
        const row = {
          qps: Math.round(res['2xx'] / DURATION),
          server_us: Math.round((((await procTicks(server.proc.pid!)) - ticks0) * 10_000) / ok),
          client_us: Math.round((client.user + client.system) / ok),
        };
        results.get(tree)!.push(row);
        log(
          `round ${round} ${tree}: ${row.qps} quotes/s (p99 ${res.latency.p99} ms, non-2xx ${res.non2xx}, errors ${res.errors}); server ${row.server_us} µs, client ${row.client_us} µs per quote; load ${os.loadavg()[0]!.toFixed(1)}`,
        );
      } finally {
        server.proc.kill('SIGINT');
        await stopServer(server);
      }
    }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const figures: Record<string, unknown> = { explain: values.explain, connections: CONNECTIONS, duration_s: DURATION };
  for (const [tree, rows] of results) {
    figures[tree] = {
      qps_median: median(rows.map((r) => r.qps)),
      server_us_median: median(rows.map((r) => r.server_us)),
      client_us_median: median(rows.map((r) => r.client_us)),
    };
  }
  benchLine('pricing-http', figures);
} finally {
  await bench.drop();
}
