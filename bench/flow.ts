/**
 * The whole shopper flow over HTTP (issue 17): create a cart, add a line, ask for the delivery
 * options, check out with home delivery and the test card — four requests per flow, each flow a new
 * cart. Workload: the checkout bench's shop (bench/_checkout-seed.ts: `skus` SKUs, default 300, with
 * 1,000,000 units each, five promotions), one line of 1–2 units of a random SKU per cart, `clients`
 * concurrent shoppers (default 32), `flows` flows per client kind (default 1,500), PostgreSQL, the
 * outbox consumers in process (`--jobs 0` turns them off).
 *
 * Two clients, one after the other on the same server: node's http.Agent with keep-alive (one socket
 * per shopper, reused for its four requests and its next flows), then the global fetch (undici,
 * also keep-alive, heavier per request). The client runs in this process, on the same cores as the
 * server: what it spends is taken from the server.
 *
 *   npm run bench -- flow [--skus 300] [--flows 1500] [--clients 32] [--jobs 1|0] [--fetch 1|0] [--keep 1]
 *
 * Measured: see the head of docs/scaling.md (figures with the machine's load average beside them).
 */
import os from 'node:os';
import { benchDatabase, benchLine, summarize } from './_lib.js';
import { keepAliveClient, type Send } from './_keepalive.js';
import { benchAddress, cpuMeter, drained, seedShop } from './_checkout-seed.js';
import { createOmnia } from '../src/server.js';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/log.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}
const SKUS = arg('skus', 300);
const FLOWS = arg('flows', 1500);
const CLIENTS = arg('clients', 32);
const JOBS = arg('jobs', 1) === 1;
const WITH_FETCH = arg('fetch', 1) === 1;
/** --keep 1: leave the database for inspection (its URL is printed) instead of dropping it. */
const KEEP = arg('keep', 0) === 1;

function fetchClient(base: string, headers: Record<string, string>): { send: Send; close(): void } {
  const send: Send = async (method, path, body) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? { authorization: headers.authorization! } : headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  return { send, close: () => undefined };
}

const checkoutBody = {
  delivery: { method: 'home', address: benchAddress },
  payment: { provider: 'test', card_number: '4242424242424242' },
};

/** One shopper's flow; the step that failed and its status, or null. */
async function flow(send: Send, sku: string, quantity: number): Promise<string | null> {
  const created = await send('POST', '/v1/carts', {});
  if (created.status !== 201 && created.status !== 200) return `create ${created.status}`;
  const id = String(created.body.id);
  const added = await send('POST', `/v1/carts/${id}/items`, { sku, quantity });
  if (added.status >= 300) return `add ${added.status}`;
  const options = await send('GET', `/v1/carts/${id}/delivery-options`);
  if (options.status >= 300) return `options ${options.status}`;
  const done = await send('POST', `/v1/carts/${id}/checkout`, checkoutBody);
  if (done.status >= 300) return `checkout ${done.status} ${String(done.body.type ?? '')}`;
  return null;
}

async function run(
  omnia: Awaited<ReturnType<typeof createOmnia>>,
  kind: string,
  client: { send: Send; close(): void },
  skus: string[],
) {
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  let started = 0;
  const meter = cpuMeter(omnia);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (started < FLOWS) {
        started++;
        const a = performance.now();
        const failed = await flow(
          client.send,
          skus[Math.floor(Math.random() * skus.length)]!,
          1 + Math.floor(Math.random() * 2),
        ).catch((e: Error) => `error ${e.message}`);
        latencies.push(performance.now() - a);
        if (failed) failures.set(failed, (failures.get(failed) ?? 0) + 1);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  client.close();
  // CPU per flow with the consumers' share: measured once the backlog they left is worked off.
  const drainS = JOBS ? await drained(omnia) : 0;
  const spent = await meter.stop();
  const failed = [...failures.values()].reduce((a, b) => a + b, 0);
  const figures = {
    flows: FLOWS,
    ok: FLOWS - failed,
    failed,
    per_s: Math.round((FLOWS - failed) / secs),
    secs: +secs.toFixed(1),
    ...summarize(latencies),
    drain_s: +drainS.toFixed(1),
    cpu_ms_per_flow: { node: +(spent.node_ms / FLOWS).toFixed(2), pg: +(spent.pg_ms / FLOWS).toFixed(2) },
  };
  process.stdout.write(
    `${kind}: ${figures.ok}/${FLOWS} flows in ${figures.secs} s = ${figures.per_s} flows/s (${4 * figures.per_s} requests/s), flow p50 ${figures.p50_ms} ms, p99 ${figures.p99_ms} ms` +
      `; backlog worked off in ${figures.drain_s} s; CPU per flow ${figures.cpu_ms_per_flow.node} ms node + ${figures.cpu_ms_per_flow.pg} ms PostgreSQL` +
      (failed ? `; failures ${JSON.stringify(Object.fromEntries(failures))}` : '') +
      '\n',
  );
  return figures;
}

async function main() {
  const dbh = await benchDatabase('flow');
  const config = {
    ...loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: dbh.url, OMNIA_DB_POOL: '32' }),
    jobs: JOBS,
  };
  const omnia = await createOmnia({ config, logger: createLogger('silent') });
  try {
    process.stdout.write(
      `workload: ${SKUS} SKUs × 1,000,000 units, 5 promotions; ${FLOWS} flows (create cart, add 1 line, delivery options, checkout) per client kind at ${CLIENTS} clients; outbox consumers ${JOBS ? 'on' : 'off'}\n`,
    );
    const { key, skus } = await seedShop(omnia, SKUS);
    const base = await omnia.app.listen({ host: '127.0.0.1', port: 0 });
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    // A short warm-up (JIT, caches, pool connections), not counted.
    const warm = keepAliveClient(base, headers.authorization, CLIENTS);
    for (let i = 0; i < 20; i++) await flow(warm.send, skus[i % skus.length]!, 1);
    warm.close();
    const keepAlive = await run(
      omnia,
      'http.Agent keep-alive',
      keepAliveClient(base, headers.authorization, CLIENTS),
      skus,
    );
    const viaFetch = WITH_FETCH ? await run(omnia, 'fetch', fetchClient(base, headers), skus) : null;
    benchLine('flow', {
      db: 'postgresql',
      outbox_consumers: JOBS,
      skus: SKUS,
      clients: CLIENTS,
      requests_per_flow: 4,
      keep_alive: keepAlive,
      ...(viaFetch ? { fetch: viaFetch } : {}),
      load_avg: os.loadavg().map((x) => +x.toFixed(1)),
    });
  } finally {
    await omnia.close();
    if (KEEP) process.stdout.write(`database kept: ${dbh.url}\n`);
    else await dbh.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
