/**
 * Product page benchmark (issue 3), over HTTP against `omnia serve` on 127.0.0.1, on PGlite and on
 * PostgreSQL.
 *
 *   npm run bench -- products [--stores 10] [--products 300] [--duration 10] [--connections 50] [--only pglite|pg]
 *
 * Workload per backend: `omnia seed --demo --stores S --products P` (default 10 stores, 300
 * products, ~1,400 SKUs with stock), a read-only API key, then `omnia serve` as a child process
 * (one process, jobs on, LOG_LEVEL=warn). autocannon in this process sends
 * GET /v1/products/{id} with `connections` connections for `duration` seconds, cycling through 100
 * product ids, after a 3-second warm-up. Reported: req/s, p50/p99 latency, errors/non-2xx, the server's idle RSS after
 * start, and (PGlite) the cold start of `omnia serve` on the existing data folder to the first 200
 * from /ready (median of 3 restarts). Then `omnia import products` of an `import-rows`-row CSV
 * (default 100,000 rows = 20,000 products × 5 sizes, valid GTINs, every 7th row on sale) into the
 * same database, timed by the importer's own report. Targets: ≥ 10,000 req/s, p99 ≤ 5 ms, RSS ≤ 150 MB, ≤ 2 s.
 */
import { parseArgs } from 'node:util';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { benchDatabase, benchLine } from './_lib.js';

const { values } = parseArgs({
  options: {
    stores: { type: 'string', default: '10' },
    products: { type: 'string', default: '300' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    only: { type: 'string' },
    'import-rows': { type: 'string', default: '100000' },
  },
});
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/omnia.js');
const log = (s: string) => process.stdout.write(`${s}\n`);

function cli(args: string[], target: string[]): string {
  const res = spawnSync(process.execPath, [BIN, ...args, ...target], {
    env: { ...process.env, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.status !== 0) throw new Error(`omnia ${args.join(' ')} failed (${res.status}): ${res.stderr}`);
  return res.stdout;
}

interface Server {
  proc: ChildProcess;
  base: string;
  readyMs: number;
}

/** Spawns `omnia serve` and times it from spawn to the first 200 of /ready. */
async function startServer(target: string[]): Promise<Server> {
  const t0 = performance.now();
  const proc = spawn(process.execPath, [BIN, 'serve', ...target, '--port', '0', '--no-demo'], {
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /API:\s+(http:\/\/[^\s/]+)\/v1/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (c) => reject(new Error(`server exited ${c}: ${out}`)));
  });
  for (;;) {
    const ok = await fetch(`${base}/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  return { proc, base, readyMs: Math.round(performance.now() - t0) };
}

async function stopServer(s: Server): Promise<void> {
  const exited = new Promise((r) => s.proc.once('exit', r));
  s.proc.kill('SIGTERM');
  await exited;
}

function writeCsv(rows: number): string {
  const sizes = ['XS', 'S', 'M', 'L', 'XL'];
  const check = (b: string) => {
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += Number(b[i]) * (i % 2 ? 3 : 1);
    return (10 - (sum % 10)) % 10;
  };
  const lines = [
    'product_code,name,brand,category,tax_class,sku,gtin,size,colour,price,currency,sale_price,weight_g,unit_cost',
  ];
  for (let i = 0; i < rows; i++) {
    const p = Math.floor(i / 5);
    const body = String(842000000000 + i);
    lines.push(
      `IMP${p},"Camiseta ""básica"" ${p}",Nómada,men/tshirts,standard,IMP${p}-${sizes[i % 5]},${body}${check(body)},${sizes[i % 5]},Negro,19.95,EUR,${i % 7 === 0 ? '14.95' : ''},200,6.50`,
    );
  }
  const file = path.join(os.tmpdir(), `omnia-bench-import-${process.pid}.csv`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function runBackend(kind: 'pglite' | 'pg') {
  const db = kind === 'pg' ? await benchDatabase('products') : undefined;
  const dir = kind === 'pglite' ? fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-bench-products-')) : undefined;
  const target = db ? ['--database-url', db.url] : ['--data-dir', dir!];
  try {
    log(`[${kind}] seeding the demo: ${values.stores} stores, ${values.products} products`);
    const seeded = JSON.parse(
      cli(['seed', '--demo', '--stores', values.stores!, '--products', values.products!, '--json'], target),
    ) as { skus: number; ms: { total: number } };
    const key = (
      JSON.parse(cli(['api-key', 'create', '--channel', 'web', '--scopes', 'catalog:read', '--json'], target)) as {
        key: string;
      }
    ).key;

    const restarts: number[] = [];
    let server = await startServer(target);
    restarts.push(server.readyMs);
    if (kind === 'pglite') {
      // Restarts on the existing embedded database: the cold start a user sees after the first run.
      for (let i = 0; i < 2; i++) {
        await stopServer(server);
        server = await startServer(target);
        restarts.push(server.readyMs);
      }
    }
    await new Promise((r) => setTimeout(r, 3000));
    const idleRss = rssMb(server.proc.pid!);
    const auth = { authorization: `Bearer ${key}` };
    const list = (await (await fetch(`${server.base}/v1/products?limit=100`, { headers: auth })).json()) as {
      items: { id: string }[];
    };
    const ids = list.items.map((p) => p.id);
    if (!ids.length) throw new Error('no products to read');
    let i = 0;
    const load = (duration: number) =>
      autocannon({
        url: server.base,
        connections: CONNECTIONS,
        duration,
        headers: auth,
        requests: [
          { method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/products/${ids[i++ % ids.length]}` }) },
        ],
      });
    // Warm-up (not counted): JIT compilation, the first fill of the product cache, pool connections.
    await load(3);
    log(`[${kind}] GET /v1/products/{id}: ${CONNECTIONS} connections, ${DURATION} s, ${ids.length} products`);
    const result = await load(DURATION);
    const loadedRss = rssMb(server.proc.pid!);
    await stopServer(server);
    let imported: { rows: number; imported: number; duration_ms: number } | undefined;
    const importRows = Number(values['import-rows']);
    if (importRows > 0) {
      const file = writeCsv(importRows);
      try {
        log(`[${kind}] omnia import products: ${importRows} rows`);
        imported = JSON.parse(cli(['import', 'products', file, '--json'], target)) as typeof imported;
      } finally {
        fs.rmSync(file, { force: true });
      }
    }
    const sorted = [...restarts].sort((a, b) => a - b);
    const figures = {
      skus: seeded.skus,
      seed_ms: seeded.ms.total,
      req_per_s: Math.round(result.requests.average),
      p50_ms: result.latency.p50,
      p99_ms: result.latency.p99,
      errors: result.errors + result.timeouts,
      non_2xx: result.non2xx,
      idle_rss_mb: idleRss,
      loaded_rss_mb: loadedRss,
      ready_ms: kind === 'pglite' ? sorted[Math.floor(sorted.length / 2)] : restarts[0],
      ready_ms_all: restarts,
      ...(imported
        ? {
            import_rows: imported.rows,
            import_ok: imported.imported,
            import_ms: imported.duration_ms,
            import_rows_per_s: Math.round(imported.imported / (imported.duration_ms / 1000)),
          }
        : {}),
    };
    log(`[${kind}] ${JSON.stringify(figures)}`);
    return figures;
  } finally {
    await db?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

const out: Record<string, unknown> = {
  connections: CONNECTIONS,
  duration_s: DURATION,
  stores: Number(values.stores),
  products: Number(values.products),
  cpus: os.cpus().length,
  load1: +os.loadavg()[0]!.toFixed(1),
};
for (const kind of ['pglite', 'pg'] as const) {
  if (values.only && values.only !== kind) continue;
  out[kind] = await runBackend(kind);
}
benchLine('products', out);
