/**
 * Where a shopper flow's CPU goes, step by step (issue 17): the four requests of `bench/flow.ts`
 * (create a cart, add a line, delivery options, checkout), each run as its own phase over `n` carts
 * at `clients` concurrent keep-alive clients, the consumers' backlog worked off inside the phase, with
 * the CPU of this process (server + client) and of PostgreSQL's backends per request. Not a
 * benchmark of the flow (that is flow.ts): a breakdown for choosing what to cut.
 *
 *   node --import tsx bench/_flow-steps.ts [--skus 300] [--n 1000] [--clients 32] [--rounds 2]
 */
import os from 'node:os';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import pg from 'pg';
import { parseArgs } from 'node:util';
import { benchDatabase, benchLine } from './_lib.js';
import { keepAliveClient } from './_keepalive.js';
import { benchAddress, cpuMeter, drained, seedShop } from './_checkout-seed.js';
import { createOmnia } from '../src/server.js';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/log.js';

const { values } = parseArgs({
  options: {
    skus: { type: 'string', default: '300' },
    n: { type: 'string', default: '1000' },
    clients: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '2' },
    split: { type: 'string', default: '0' },
    prof: { type: 'string' },
    statements: { type: 'string', default: '0' },
  },
});
const SKUS = Number(values.skus);
const N = Number(values.n);
const CLIENTS = Number(values.clients);
const ROUNDS = Number(values.rounds);
/** --split 1: the consumers stay stopped during each phase's requests and work off its backlog after, measured apart. */
const SPLIT = values.split === '1';
/** --prof DIR: V8 CPU profiles of the last round's steps, one file per step (and, with --split 1, of the consumers' work after each). */
const PROF = values.prof;
/** --statements 1: the statements each step sends per request (consumers included), listed by text for the last round. */
const STATEMENTS = values.statements === '1';
let counting: Map<string, number> | null = null;
if (STATEMENTS) {
  const query = pg.Client.prototype.query;
  (pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown }).query = function (
    this: pg.Client,
    ...a: unknown[]
  ) {
    if (counting) {
      const q = a[0] as string | { text?: string };
      const text = (typeof q === 'string' ? q : (q.text ?? '?')).replace(/\s+/g, ' ').slice(0, 120);
      counting.set(text, (counting.get(text) ?? 0) + 1);
    }
    return (query as (...x: unknown[]) => unknown).apply(this, a);
  };
}

async function profiled<T>(file: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!file) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

async function phase(
  omnia: Awaited<ReturnType<typeof createOmnia>>,
  items: number,
  one: (i: number) => Promise<void>,
  label: string,
  prof?: string,
): Promise<{ per_s: number; node_ms: number; pg_ms: number; consumers?: { node_ms: number; pg_ms: number } }> {
  const meter = cpuMeter(omnia);
  const seen = new Map<string, number>();
  if (STATEMENTS) counting = seen;
  let next = 0;
  const t0 = performance.now();
  await profiled(prof && `${prof}/${label}-requests.cpuprofile`, () =>
    Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < items) await one(next++);
      }),
    ),
  );
  const secs = (performance.now() - t0) / 1000;
  const per = (ms: number) => +(ms / items).toFixed(2);
  if (!SPLIT) {
    await drained(omnia);
    if (STATEMENTS) {
      counting = null;
      const total = [...seen.values()].reduce((x, y) => x + y, 0);
      process.stdout.write(`  ${(total / items).toFixed(1)} statements per request\n`);
      for (const [t, n] of [...seen].sort((x, y) => y[1] - x[1]).filter(([, n]) => n / items >= 0.05))
        process.stdout.write(`    ${(n / items).toFixed(2)} ${t}\n`);
    }
    const spent = await meter.stop();
    return { per_s: Math.round(items / secs), node_ms: per(spent.node_ms), pg_ms: per(spent.pg_ms) };
  }
  const spent = await meter.stop();
  const after = cpuMeter(omnia);
  await profiled(prof && `${prof}/${label}-consumers.cpuprofile`, async () => {
    omnia.ctx.jobs.start();
    omnia.ctx.jobs.kick('outbox.dispatch');
    await drained(omnia);
    await omnia.ctx.jobs.stop();
  });
  const worked = await after.stop();
  return {
    per_s: Math.round(items / secs),
    node_ms: per(spent.node_ms),
    pg_ms: per(spent.pg_ms),
    consumers: { node_ms: per(worked.node_ms), pg_ms: per(worked.pg_ms) },
  };
}

async function main() {
  const dbh = await benchDatabase('flowsteps');
  const config = { ...loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: dbh.url, OMNIA_DB_POOL: '32' }), jobs: !SPLIT };
  const omnia = await createOmnia({ config, logger: createLogger('silent') });
  try {
    const { key, skus } = await seedShop(omnia, SKUS);
    const base = await omnia.app.listen({ host: '127.0.0.1', port: 0 });
    const c = keepAliveClient(base, `Bearer ${key}`, CLIENTS);
    const expect = (step: string, status: number, ok: number[]) => {
      if (!ok.includes(status)) throw new Error(`${step}: ${status}`);
    };
    const rounds: Record<string, unknown>[] = [];
    for (let r = 0; r <= ROUNDS; r++) {
      const n = r === 0 ? 50 : N; // round 0 warms up (JIT, caches, pool)
      const ids: string[] = new Array(n);
      const last = r === ROUNDS ? PROF : undefined;
      const create = await phase(
        omnia,
        n,
        async (i) => {
          const a = await c.send('POST', '/v1/carts', {});
          expect('create', a.status, [200, 201]);
          ids[i] = String(a.body.id);
        },
        'create',
        last,
      );
      const add = await phase(
        omnia,
        n,
        async (i) => {
          const a = await c.send('POST', `/v1/carts/${ids[i]}/items`, {
            sku: skus[Math.floor(Math.random() * skus.length)],
            quantity: 1,
          });
          expect('add', a.status, [200, 201]);
        },
        'add',
        last,
      );
      const options = await phase(
        omnia,
        n,
        async (i) => {
          const a = await c.send('GET', `/v1/carts/${ids[i]}/delivery-options`);
          expect('options', a.status, [200]);
        },
        'options',
        last,
      );
      const checkout = await phase(
        omnia,
        n,
        async (i) => {
          const a = await c.send('POST', `/v1/carts/${ids[i]}/checkout`, {
            delivery: { method: 'home', address: benchAddress },
            payment: { provider: 'test', card_number: '4242424242424242' },
          });
          expect('checkout', a.status, [200, 201]);
        },
        'checkout',
        last,
      );
      if (r === 0) continue;
      const row = { create, add, options, checkout };
      rounds.push(row);
      for (const [step, f] of Object.entries(row))
        process.stdout.write(
          `round ${r} ${step.padEnd(8)} ${f.per_s}/s  node ${f.node_ms} ms + PostgreSQL ${f.pg_ms} ms per request${f.consumers ? `; consumers after: node ${f.consumers.node_ms} + PostgreSQL ${f.consumers.pg_ms} ms` : ''}\n`,
        );
    }
    c.close();
    benchLine('flow-steps', {
      n: N,
      clients: CLIENTS,
      skus: SKUS,
      rounds,
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
