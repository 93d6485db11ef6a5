/**
 * Inventory benchmark (issue 4) on PostgreSQL, over HTTP against `omnia serve` on 127.0.0.1.
 *
 *   npm run bench -- inventory [--stores 500] [--skus 20000] [--duration 5] [--pool 20] [--keep] [--database-url URL]
 *     [--only naive,hot,sellout,spread,avail,reads,bare,doctor] [--read-clients 8] [--server-root DIR]
 *
 * --keep leaves the database; --database-url reuses one a previous --keep run seeded (the 10M-row
 * seed takes minutes), adding fresh hot SKUs. --only runs some phases; --server-root starts the
 * server from another checkout (a worktree of the old code) for same-machine before/after pairs.
 * Every HTTP phase reports CPU per operation (server process, PostgreSQL backends, this client) and
 * the load average, since the machine is shared (bench/_inventory-cpu.ts).
 *
 * Workload: `stores` stores + 4 warehouses, `skus` SKUs in the catalog, demo stock on every SKU ×
 * location through InventoryService.seedDemoStock (stores × skus rows plus their ledger receipts).
 * Measures, each for `duration` seconds with autocannon:
 *  - one hot SKU (stock at one warehouse): reservations/s at 1, 16, 64, 256 clients, first with
 *    the naive one-transaction-per-request path (OMNIA_INVENTORY_COALESCE=0), then coalesced;
 *    oversell = granted − stock on a sell-out run at 256 clients (must be 0);
 *  - rejections/s once that SKU is sold out (sold-out hints, no row touched);
 *  - reservations/s spread over all SKUs (64 clients);
 *  - p50/p99 of a single-SKU availability GET and of a 50-SKU near-me query (8 clients); the same two
 *    with `fields=total` (no location list: `available` and `location_count`), skipped when the
 *    server (an older --server-root) does not answer it; and the single-SKU full answer under a
 *    popularity curve (80 % of reads on 500 hot SKUs, the rest uniform over all);
 *  - the same two reads in process, one at a time, alternating the read the availability summary
 *    replaced (every stock row of the SKUs, atp() each) with InventoryService.availability (one
 *    summary row per SKU): `read_iterations` of each, so their ratio holds whatever the machine load;
 *  - the reference: a bare `UPDATE … WHERE on_hand - reserved >= 1` autocommit loop on one row
 *    from 1 and 64 connections.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { sql } from 'kysely';
import autocannon from 'autocannon';
import {
  benchAuth,
  benchDatabase,
  benchLine,
  cannon,
  startServer as startOmnia,
  stopServer,
  summarize,
} from './_lib.js';
import { cpuMeter, loadAverage, perOp, startServerAt } from './_inventory-cpu.js';
import { connect } from '../src/platform/db/connect.js';
import { migrate } from '../src/platform/db/migrate.js';
import { systemClock } from '../src/platform/clock.js';
import { NetworkService } from '../src/network/index.js';
import { CatalogService } from '../src/catalog/index.js';
import { atp, InventoryService } from '../src/inventory/index.js';
import { distanceKm } from '../src/network/index.js';

const { values } = parseArgs({
  options: {
    stores: { type: 'string', default: '500' },
    skus: { type: 'string', default: '20000' },
    duration: { type: 'string', default: '5' },
    pool: { type: 'string', default: '20' },
    keep: { type: 'boolean' },
    'database-url': { type: 'string' },
    only: { type: 'string', default: 'naive,hot,sellout,spread,avail,reads,bare,doctor' },
    'read-clients': { type: 'string', default: '8' },
    'server-root': { type: 'string' },
  },
});
const ONLY = new Set(values.only.split(','));
const READ_CLIENTS = Number(values['read-clients']);
const STORES = Number(values.stores);
const SKUS = Number(values.skus);
const DURATION = Number(values.duration);
const log = (s: string) => process.stdout.write(`${s}\n`);
const address = { line1: 'Calle 1', city: 'Madrid', postal_code: '28001', country: 'ES' };

function startServer(url: string, env: Record<string, string>) {
  const args = ['--database-url', url];
  const all = { OMNIA_DB_POOL: String(values.pool), ...env };
  return values['server-root'] ? startServerAt(values['server-root'], args, all) : startOmnia(args, all);
}

/** autocannon with the phase's CPU per answered request (2xx + non-2xx) in `figures[name_cpu]`. */
async function measured(
  figures: Record<string, unknown>,
  name: string,
  url: string,
  pid: number | undefined,
  opts: autocannon.Options,
): Promise<autocannon.Result> {
  const meter = await cpuMeter(url, pid);
  const r = await cannon(opts);
  const cpu = perOp(await meter.stop(), r['2xx'] + r.non2xx);
  figures[`${name}_cpu`] = cpu;
  log(
    `  ${name}: CPU per request ${cpu.server_ms_per_op} ms server + ${cpu.pg_ms_per_op} ms PostgreSQL + ${cpu.client_ms_per_op} ms client; load ${cpu.load}`,
  );
  return r;
}

async function bareUpdateLoop(url: string, connections: number): Promise<{ rps: number; connections: number }> {
  // PostgreSQL's max_connections is shared with everything else on the machine: use what we get.
  const clients: pg.Client[] = [];
  for (let i = 0; i < connections; i++) {
    const c = new pg.Client({ connectionString: url });
    try {
      await c.connect();
      clients.push(c);
    } catch {
      break;
    }
  }
  if (clients.length < connections)
    log(`bare UPDATE loop: only ${clients.length} of ${connections} connections available`);
  await clients[0]!.query('create table if not exists bench_ref (id int primary key, on_hand int, reserved int)');
  await clients[0]!.query(
    'insert into bench_ref values (1, 2000000000, 0) on conflict (id) do update set reserved = 0',
  );
  let n = 0;
  const until = Date.now() + DURATION * 1000;
  await Promise.all(
    clients.map(async (c) => {
      while (Date.now() < until) {
        await c.query('update bench_ref set reserved = reserved + 1 where id = 1 and on_hand - reserved >= 1');
        n++;
      }
    }),
  );
  await Promise.all(clients.map((c) => c.end()));
  return { rps: Math.round(n / DURATION), connections: clients.length };
}

async function main() {
  log(
    `inventory bench: ${STORES} stores + 4 warehouses × ${SKUS} SKUs (${((STORES + 4) * SKUS).toLocaleString()} stock rows), ${DURATION}s per phase, PostgreSQL`,
  );
  const dbx = values['database-url']
    ? { url: values['database-url'], drop: async () => {} }
    : await benchDatabase('inventory');
  if (values.keep || values['database-url']) log(`database: ${dbx.url}`);
  log(`load average ${loadAverage()}${values['server-root'] ? `; server from ${values['server-root']}` : ''}`);
  const database = await connect({ databaseUrl: dbx.url, poolSize: 8 });
  const figures: Record<string, unknown> = {
    stores: STORES,
    skus: SKUS,
    stock_rows: (STORES + 4) * SKUS,
    duration_s: DURATION,
  };
  try {
    await migrate(database.db);
    const db = database.db;
    const network = new NetworkService(db, systemClock);
    const catalog = new CatalogService(db, systemClock, network);
    const inventory = new InventoryService({ db, clock: systemClock, network, catalog });
    const auth = await benchAuth(db, network);

    const skus = Array.from({ length: SKUS }, (_, i) => `B-${String(i).padStart(6, '0')}`);
    const run = Math.random().toString(36).slice(2, 7).toUpperCase();
    const hot = ['NAIVE', 'COAL', 'SELLOUT'].map((h) => `HOT-${run}-${h}`);
    const seededAlready = (await catalog.getVariants([skus[SKUS - 1]!])).size === 1;
    let t0 = performance.now();
    if (!seededAlready) {
      for (let i = 0; i < STORES; i += 250) {
        await network.createLocations(
          Array.from({ length: Math.min(250, STORES - i) }, (_, j) => ({
            code: `s${i + j}`,
            type: 'store' as const,
            name: `Store ${i + j}`,
            lat: 36 + (((i + j) * 7919) % 700) / 100,
            lng: -9 + (((i + j) * 104729) % 1200) / 100,
            address,
            capabilities: ['pickup' as const, 'ship_from_store' as const],
          })),
        );
      }
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
      figures.setup_catalog_s = +((performance.now() - t0) / 1000).toFixed(1);
      log(`network + catalog: ${figures.setup_catalog_s}s`);
      t0 = performance.now();
      const seeded = await inventory.seedDemoStock({ seed: 42, skus });
      // vacuum as well as analyse: the first phases after a fresh seed otherwise pay for setting every
      // page's hint bits and visibility (measured: spread 808/s fresh against 1,312–1,666/s reused, on
      // the same database), which a production server's autovacuum does after a bulk load
      await sql`vacuum analyze`.execute(db);
      figures.seed_s = +((performance.now() - t0) / 1000).toFixed(1);
      log(`seeded ${seeded.rows.toLocaleString()} stock rows with ledger in ${figures.seed_s}s`);
    } else log('reusing the seeded database');
    await catalog.createProduct({
      code: `hot-${run.toLowerCase()}`,
      name: 'Hot',
      variants: hot.map((sku) => ({ sku })),
    });
    const whs = [await network.requireLocation('wh0')];
    const HOT_STOCK = 10_000_000;
    const SELLOUT = 5_000;
    await inventory.recordMovement({ sku: hot[0]!, location_id: whs[0]!.id, type: 'receipt', quantity: HOT_STOCK });
    await inventory.recordMovement({ sku: hot[1]!, location_id: whs[0]!.id, type: 'receipt', quantity: HOT_STOCK });
    await inventory.recordMovement({ sku: hot[2]!, location_id: whs[0]!.id, type: 'receipt', quantity: SELLOUT });
    const { key } = await auth.createApiKey({ channel: 'web', scopes: ['inventory:read', 'reservations:write'] });
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const reserveBody = (sku: string) =>
      JSON.stringify({ lines: [{ sku, quantity: 1 }], ttl_seconds: 3600, reference: 'bench' });
    const ok = (r: autocannon.Result) => r['2xx'];

    const post = (body: string, connections: number, extra: Partial<autocannon.Options> = {}) => ({
      url: `${server!.base}/v1/reservations`,
      method: 'POST' as const,
      headers,
      body,
      connections,
      ...(extra.amount ? {} : { duration: DURATION }),
      ...extra,
    });
    const pid = () => server!.proc.pid;
    let server: Awaited<ReturnType<typeof startServer>> | undefined;

    // -- naive path ------------------------------------------------------------------------------
    if (ONLY.has('naive')) {
      server = await startServer(dbx.url, { OMNIA_INVENTORY_COALESCE: '0', OMNIA_JOBS: 'false' });
      for (const c of [1, 16, 64, 256]) {
        const r = await measured(figures, `naive_hot_c${c}`, dbx.url, pid(), post(reserveBody(hot[0]!), c));
        figures[`naive_hot_rps_c${c}`] = Math.round(ok(r) / r.duration);
        figures[`naive_hot_p99_ms_c${c}`] = r.latency.p99;
        log(
          `naive hot SKU, ${c} clients: ${figures[`naive_hot_rps_c${c}`]} reservations/s (p99 ${r.latency.p99} ms, errors ${r.non2xx + r.errors})`,
        );
      }
      await stopServer(server);
    }

    // -- coalesced -------------------------------------------------------------------------------
    server = await startServer(dbx.url, { OMNIA_JOBS: 'false' });
    if (ONLY.has('hot'))
      for (const c of [1, 16, 64, 256]) {
        const r = await measured(figures, `hot_c${c}`, dbx.url, pid(), post(reserveBody(hot[1]!), c));
        figures[`hot_rps_c${c}`] = Math.round(ok(r) / r.duration);
        figures[`hot_p99_ms_c${c}`] = r.latency.p99;
        log(
          `coalesced hot SKU, ${c} clients: ${figures[`hot_rps_c${c}`]} reservations/s (p99 ${r.latency.p99} ms, errors ${r.non2xx + r.errors})`,
        );
      }
    if (ONLY.has('sellout')) {
      // sell-out: 256 clients race for SELLOUT units; every grant must be backed by stock
      const sell = await cannon(post(reserveBody(hot[2]!), 256, { amount: SELLOUT * 3 }));
      const reservedRow = await pg_query(
        dbx.url,
        `select sum(l.quantity)::int as n from reservation_lines l join reservations r on r.id = l.reservation_id where l.sku = $1 and r.status = 'active'`,
        [hot[2]!],
      );
      figures.sellout_stock = SELLOUT;
      figures.sellout_granted = ok(sell);
      figures.oversell = Math.max(0, ok(sell) - SELLOUT) + Math.max(0, Number(reservedRow[0].n) - SELLOUT);
      log(`sell-out at 256 clients: ${ok(sell)} granted of ${SELLOUT} (oversell ${figures.oversell})`);
      const rej = await cannon(post(reserveBody(hot[2]!), 64));
      figures.soldout_rejections_rps = Math.round(rej.non2xx / rej.duration);
      figures.soldout_unexpected_2xx = rej['2xx'];
      log(`sold out, 64 clients: ${figures.soldout_rejections_rps} rejections/s`);
    }

    if (ONLY.has('spread')) {
      // spread over many SKUs
      let n = Math.floor(Math.random() * SKUS);
      const spread = await measured(figures, 'spread', dbx.url, pid(), {
        url: `${server.base}/v1/reservations`,
        connections: 64,
        duration: DURATION,
        requests: [
          {
            method: 'POST',
            headers,
            setupRequest: (req) => ({ ...req, body: reserveBody(skus[(n++ * 7919) % SKUS]!) }),
          },
        ],
      });
      figures.spread_rps = Math.round(ok(spread) / spread.duration);
      figures.spread_p99_ms = spread.latency.p99;
      figures.spread_rejected = spread.non2xx;
      log(
        `spread over ${SKUS} SKUs, 64 clients: ${figures.spread_rps} reservations/s (p99 ${spread.latency.p99} ms; ${spread.non2xx} rejected: sold-out rows)`,
      );
    }

    if (ONLY.has('avail')) {
      // availability latency
      let m = 0;
      const single = await measured(figures, 'availability_1sku', dbx.url, pid(), {
        url: server.base,
        connections: READ_CLIENTS,
        duration: DURATION,
        requests: [
          {
            method: 'GET',
            headers,
            setupRequest: (req) => ({ ...req, path: `/v1/availability?sku=${skus[(m++ * 104729) % SKUS]}` }),
          },
        ],
      });
      figures.availability_1sku = {
        clients: READ_CLIENTS,
        p50_ms: single.latency.p50,
        p99_ms: single.latency.p99,
        rps: Math.round(single.requests.average),
        errors: single.non2xx,
        bytes_per_answer: Math.round(single.throughput.total / Math.max(1, single['2xx'])),
      };
      log(
        `single-SKU availability, ${READ_CLIENTS} clients: p50 ${single.latency.p50} ms, p99 ${single.latency.p99} ms (${Math.round(single.requests.average)}/s)`,
      );
      const near = await measured(figures, 'availability_50sku_near', dbx.url, pid(), {
        url: `${server.base}/v1/availability/query`,
        connections: READ_CLIENTS,
        duration: DURATION,
        requests: [
          {
            method: 'POST',
            headers,
            setupRequest: (req) => {
              const base = (m++ * 7) % (SKUS - 50);
              return {
                ...req,
                body: JSON.stringify({ skus: skus.slice(base, base + 50), lat: 40.4, lng: -3.7, radius_km: 100 }),
              };
            },
          },
        ],
      });
      figures.availability_50sku_near = {
        clients: READ_CLIENTS,
        p50_ms: near.latency.p50,
        p99_ms: near.latency.p99,
        rps: Math.round(near.requests.average),
        errors: near.non2xx,
        bytes_per_answer: Math.round(near.throughput.total / Math.max(1, near['2xx'])),
      };
      log(
        `50-SKU near-me query, ${READ_CLIENTS} clients: p50 ${near.latency.p50} ms, p99 ${near.latency.p99} ms (${Math.round(near.requests.average)}/s)`,
      );

      /** One more read phase like the two above, its figures under `name`. */
      const readPhase = async (name: string, label: string, request: autocannon.Request) => {
        const res = await measured(figures, name, dbx.url, pid(), {
          url: server!.base,
          connections: READ_CLIENTS,
          duration: DURATION,
          requests: [{ headers, ...request }],
        });
        figures[name] = {
          clients: READ_CLIENTS,
          p50_ms: res.latency.p50,
          p99_ms: res.latency.p99,
          rps: Math.round(res.requests.average),
          errors: res.non2xx,
          bytes_per_answer: Math.round(res.throughput.total / Math.max(1, res['2xx'])),
        };
        log(
          `${label}, ${READ_CLIENTS} clients: p50 ${res.latency.p50} ms, p99 ${res.latency.p99} ms (${Math.round(res.requests.average)}/s, ${(figures[name] as { bytes_per_answer: number }).bytes_per_answer} B per answer)`,
        );
      };
      // fields=total (an older server ignores the query parameter and refuses the body field: skip)
      const probe = await fetch(`${server.base}/v1/availability?sku=${skus[0]}&fields=total`, { headers });
      if ('location_count' in ((await probe.json()) as object)) {
        await readPhase('availability_1sku_total', 'single-SKU availability, fields=total', {
          method: 'GET',
          setupRequest: (req) => ({
            ...req,
            path: `/v1/availability?sku=${skus[(m++ * 104729) % SKUS]}&fields=total`,
          }),
        });
        await readPhase('availability_50sku_near_total', '50-SKU near-me query, fields=total', {
          method: 'POST',
          path: '/v1/availability/query',
          setupRequest: (req) => {
            const base = (m++ * 7) % (SKUS - 50);
            const near = { lat: 40.4, lng: -3.7, radius_km: 100, fields: 'total' };
            return { ...req, body: JSON.stringify({ skus: skus.slice(base, base + 50), ...near }) };
          },
        });
      } else log('fields=total: not answered by this server, its phases skipped');
      // a popularity curve: 80 % of reads on 500 hot SKUs (spread over the catalogue), the rest uniform
      let seed = 12345;
      const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
      const HOT_SKUS = Math.min(500, SKUS);
      await readPhase('availability_1sku_popular', 'single-SKU availability, 80 % on 500 hot SKUs', {
        method: 'GET',
        setupRequest: (req) => {
          const i =
            rand() < 0.8
              ? (Math.floor(rand() * HOT_SKUS) * Math.floor(SKUS / HOT_SKUS)) % SKUS
              : Math.floor(rand() * SKUS);
          return { ...req, path: `/v1/availability?sku=${skus[i]}` };
        },
      });
    }
    await stopServer(server);

    if (ONLY.has('reads')) {
      // in process: the stock-row read the summary replaced against the summary, alternating
      const READS = 300;
      const web = await network.requireChannel('web');
      const snap = await network.snapshot();
      const holding = snap.locations.filter((l) => l.active && l.type !== 'pickup_point');
      const nearIds = holding.filter((l) => distanceKm(40.4, -3.7, l.lat, l.lng) <= 100).map((l) => l.id);
      // What InventoryService.availability did before the summary: every stock row of the SKUs at the
      // channel's locations (within the radius), atp() each, listed by distance or by what they promise.
      const fromRows = async (list: string[], near: boolean) => {
        const ids = near ? nearIds : undefined;
        const wanted = new Set(ids ?? holding.map((l) => l.id));
        const rows = await sql<{
          sku: string;
          location_id: string;
          on_hand: number;
          reserved: number;
          safety_stock: number;
        }>`
        select sku, location_id, on_hand, reserved, safety_stock from stock_levels
        where sku = any(${list}::text[]) ${ids ? sql`and location_id = any(${ids}::text[])` : sql``}`.execute(db);
        return list.map((sku) => {
          const locations = rows.rows
            .filter((r) => r.sku === sku && wanted.has(r.location_id))
            .map((r) => {
              const l = snap.locationById.get(r.location_id)!;
              const d = near ? Math.round(distanceKm(40.4, -3.7, l.lat, l.lng) * 100) / 100 : null;
              return { location_id: r.location_id, available: atp(r, web.stock_policy), distance_km: d };
            })
            .filter((l) => l.available > 0)
            .sort((a, b) => (near ? a.distance_km! - b.distance_km! : b.available - a.available));
          return { sku, available: locations.reduce((n, l) => n + l.available, 0), locations };
        });
      };
      const lat = { rows1: [] as number[], sum1: [] as number[], rows50: [] as number[], sum50: [] as number[] };
      const time = async (into: number[], f: () => Promise<unknown>) => {
        const t = performance.now();
        await f();
        into.push(performance.now() - t);
      };
      for (let i = 0; i < READS; i++) {
        const one = [skus[(i * 104729) % SKUS]!];
        const base = (i * 7) % (SKUS - 50);
        const fifty = skus.slice(base, base + 50);
        await time(lat.rows1, () => fromRows(one, false));
        await time(lat.sum1, () => inventory.availability({ channel: 'web', skus: one }));
        await time(lat.rows50, () => fromRows(fifty, true));
        await time(lat.sum50, () =>
          inventory.availability({ channel: 'web', skus: fifty, lat: 40.4, lng: -3.7, radius_km: 100 }),
        );
      }
      const reads = {
        read_1sku_stock_rows: summarize(lat.rows1),
        read_1sku_summary: summarize(lat.sum1),
        read_50sku_near_stock_rows: summarize(lat.rows50),
        read_50sku_near_summary: summarize(lat.sum50),
      };
      Object.assign(figures, { read_iterations: READS, ...reads });
      const pp = (x: { p50_ms: number; p99_ms: number }) => `p50 ${x.p50_ms} ms p99 ${x.p99_ms} ms`;
      log(`in process, 1 SKU: stock rows ${pp(reads.read_1sku_stock_rows)}; summary ${pp(reads.read_1sku_summary)}`);
      log(
        `in process, 50 SKUs near: stock rows ${pp(reads.read_50sku_near_stock_rows)}; summary ${pp(reads.read_50sku_near_summary)}`,
      );
    }
    if (ONLY.has('bare')) {
      // reference: the bare one-row update loop
      figures.bare_update_rps_c1 = (await bareUpdateLoop(dbx.url, 1)).rps;
      const bare64 = await bareUpdateLoop(dbx.url, 64);
      figures.bare_update_rps_c64 = bare64.rps;
      if (bare64.connections !== 64) figures.bare_update_c64_connections = bare64.connections;
      log(
        `bare UPDATE loop on one row: ${figures.bare_update_rps_c1}/s from 1 connection, ${figures.bare_update_rps_c64}/s from 64`,
      );
      const ratio = (a: unknown, b: unknown) => +(Number(a) / Number(b)).toFixed(2);
      figures.ratio_hot_c64_vs_bare_c64 = ratio(figures.hot_rps_c64, figures.bare_update_rps_c64);
      figures.ratio_hot_c256_vs_bare_c64 = ratio(figures.hot_rps_c256, figures.bare_update_rps_c64);
      figures.ratio_hot_c1_vs_bare_c1 = ratio(figures.hot_rps_c1, figures.bare_update_rps_c1);
      figures.ratio_coalesced_vs_naive_c64 = ratio(figures.hot_rps_c64, figures.naive_hot_rps_c64);
    }
    if (ONLY.has('doctor')) {
      const doctor = await import('../src/platform/doctor.js').then((d) =>
        d.runChecks(db, [...d.platformChecks, ...inventoryChecksList()], new Date()),
      );
      figures.doctor_ok = doctor.every((c) => c.result.status !== 'fail');
      log(
        `doctor after the run: ${figures.doctor_ok ? 'all invariants hold' : JSON.stringify(doctor.filter((c) => c.result.status === 'fail'))}`,
      );
    }
  } finally {
    await database.close();
    if (!values.keep) await dbx.drop();
  }
  figures.load_end = loadAverage();
  benchLine('inventory', figures);
}

import { inventoryChecks } from '../src/inventory/index.js';
function inventoryChecksList() {
  return inventoryChecks;
}

async function pg_query(url: string, text: string, params: unknown[]) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows;
  } finally {
    await c.end();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
