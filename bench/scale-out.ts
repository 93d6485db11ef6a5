/**
 * Scale-out on one machine (issue 17, targets: "checkout throughput with 2 API processes + 1 worker vs
 * 1 `all` process on the same machine, and the CPU per checkout of each role").
 *
 * Workload: the checkout shop of bench/_checkout-seed.ts (`skus` SKUs, default 300, five promotions),
 * anonymous web carts of 3 distinct spread SKUs priced beforehand; `n` checkouts per layout (default
 * 1,200) at `clients` connections (default 64), home delivery, test card. Two layouts on one fresh
 * PostgreSQL database, run one after the other with separate carts:
 *   - `all`: one `omnia serve --role all` process (HTTP and the consumers);
 *   - `split`: two `--role api` processes (HTTP only; half the connections each, no sticky sessions)
 *     and one `--role worker` (outbox, consumers, jobs).
 * Each run reports checkouts/s while the load runs, p50/p99, the seconds the consumers then need to
 * work off their backlog, and CPU per checkout (backlog included) of every process by role and of
 * PostgreSQL's backends, from /proc (100 ticks a second).
 *
 *   npm run bench -- scale-out [--skus 300] [--n 1200] [--clients 64]
 */
import os from 'node:os';
import { sql } from 'kysely';
import { benchDatabase, benchLine, cannonTimed, startServer, stopServer } from './_lib.js';
import { benchAddress, drained, pgCpuMeter, procTicks, seedShop } from './_checkout-seed.js';
import { createOmnia } from '../src/server.js';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/log.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}
const SKUS = arg('skus', 300);
const N = arg('n', 1200);
const CLIENTS = arg('clients', 64);
const body = JSON.stringify({
  delivery: { method: 'home', address: benchAddress },
  payment: { provider: 'test', card_number: '4242424242424242' },
});

async function main() {
  const dbh = await benchDatabase('scaleout');
  // The seeding process serves nothing and runs no consumers; it stays open to read the database.
  const config = { ...loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: dbh.url, OMNIA_DB_POOL: '8' }), jobs: false };
  const omnia = await createOmnia({ config, logger: createLogger('silent') });
  const s = omnia.services;
  try {
    process.stdout.write(
      `workload: ${SKUS} SKUs, 5 promotions, 3-line spread carts; ${N} checkouts per layout at ${CLIENTS} clients; layouts: 1 all vs 2 api + 1 worker\n`,
    );
    const { key, skus } = await seedShop(omnia, SKUS);
    const web = {
      kind: 'api_key' as const,
      keyKind: 'secret' as const,
      id: 'bench',
      channelId: (await s.network.requireChannel('web')).id,
      locationId: null,
    };
    const carts: string[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (carts.length < 2 * N) {
          const { cart } = await s.carts.create(web, {});
          carts.push(cart.id);
          const pick = new Set<string>();
          while (pick.size < 3) pick.add(skus[Math.floor(Math.random() * SKUS)]!);
          for (const sku of pick) await s.carts.addItem(web, cart.id, { sku, quantity: 1 });
        }
      }),
    );
    const env = { DATABASE_URL: dbh.url, OMNIA_DB_POOL: '32', LOG_LEVEL: 'warn' };
    const layouts = { all: [['all']], split: [['api'], ['api'], ['worker']] } as const;
    const results: Record<string, unknown> = {};
    let next = 0;
    for (const [name, roles] of Object.entries(layouts)) {
      const procs = await Promise.all(
        roles.map(([role]) => startServer(['--role', role], { ...env, OMNIA_ROLE: role })),
      );
      const apis = procs.filter((_, i) => roles[i]![0] !== 'worker');
      const ids = carts.slice(next, next + N);
      next += N;
      const before = await Promise.all(procs.map((p) => procTicks(p.proc.pid!)));
      const pg = pgCpuMeter(omnia, 250);
      const t0 = performance.now();
      // Round-robin over the API processes: each gets its share of the connections and of the carts.
      let cursor = 0;
      const timed = await Promise.all(
        apis.map((p) =>
          cannonTimed({
            url: p.base,
            connections: Math.max(1, Math.round(CLIENTS / apis.length)),
            amount: Math.round(N / apis.length),
            timeout: 60,
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body,
            requests: [{ setupRequest: (req) => ({ ...req, path: `/v1/carts/${ids[cursor++ % N]}/checkout` }) }],
          }),
        ),
      );
      // to the last response of any API process (_lib.ts cannonTimed), not autocannon's next tick
      const secs = (Math.max(...timed.map((r) => r.lastAt)) - t0) / 1000;
      const runs = timed.map((r) => r.result);
      const drainS = await drained(omnia);
      const after = await Promise.all(procs.map((p) => procTicks(p.proc.pid!)));
      const pgMs = await pg.stop();
      const ok = runs.reduce((n, r) => n + r['2xx'], 0);
      const byRole: Record<string, number> = {};
      roles.forEach(([role], i) => {
        byRole[role] = (byRole[role] ?? 0) + ((after[i]! - before[i]!) * 10) / Math.max(1, ok);
      });
      const p99 = Math.max(...runs.map((r) => r.latency.p99));
      const p50 = Math.max(...runs.map((r) => r.latency.p50));
      results[name] = {
        processes: roles.map(([r]) => r),
        checkouts: ok,
        non_2xx: runs.reduce((n, r) => n + r.non2xx, 0),
        per_s: Math.round(ok / secs),
        p50_ms: p50,
        p99_ms: p99,
        drain_s: +drainS.toFixed(1),
        cpu_ms_per_checkout: {
          ...Object.fromEntries(Object.entries(byRole).map(([k, v]) => [k, +v.toFixed(2)])),
          postgresql: +(pgMs / Math.max(1, ok)).toFixed(2),
        },
      };
      process.stdout.write(`${name}: ${JSON.stringify(results[name])}\n`);
      await Promise.all(procs.map((p) => stopServer(p)));
    }
    const oversold = await sql<{ n: number }>`select count(*)::int as n from stock_levels where reserved > on_hand`
      .execute(omnia.ctx.db)
      .catch(() => ({ rows: [{ n: -1 }] }));
    const a = results.all as { per_s: number };
    const b = results.split as { per_s: number };
    benchLine('scale-out', {
      db: 'postgresql',
      skus: SKUS,
      checkouts_per_layout: N,
      clients: CLIENTS,
      ...results,
      split_vs_all: +(b.per_s / Math.max(1, a.per_s)).toFixed(2),
      oversold_levels: oversold.rows[0]!.n,
      load_avg: os.loadavg().map((x) => +x.toFixed(1)),
    });
  } finally {
    await omnia.close();
    await dbh.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
