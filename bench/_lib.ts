/** Shared bits of the benchmarks: percentiles, the summary line, a PostgreSQL database of their own. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import type { Db } from '../src/platform/db/schema.js';
import { systemClock } from '../src/platform/clock.js';
import { AuthService } from '../src/platform/auth/service.js';
import type { NetworkService } from '../src/network/index.js';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(latenciesMs: number[]) {
  const s = [...latenciesMs].sort((a, b) => a - b);
  return {
    n: s.length,
    p50_ms: +percentile(s, 50).toFixed(2),
    p99_ms: +percentile(s, 99).toFixed(2),
    max_ms: +(s.at(-1) ?? 0).toFixed(2),
  };
}

/** The machine-readable closing line every benchmark prints. */
export function benchLine(name: string, figures: Record<string, unknown>): void {
  process.stdout.write(`BENCH ${JSON.stringify({ name, ...figures })}\n`);
}

export const PG_ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh PostgreSQL database for one benchmark run; drop() removes it. */
export async function benchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `omnia_b_${prefix}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

const OMNIA_BIN = new URL('../bin/omnia.js', import.meta.url).pathname;

/**
 * Starts `omnia serve` on a free loopback port and resolves with its base URL once it prints it.
 * `bin`: another entry (an old checkout's `bin/omnia.js` or `dist/omnia.mjs`, for before/after
 * pairs); `nodeArgs`: flags for node itself (`--cpu-prof`).
 */
export function startServer(
  args: string[],
  env: Record<string, string> = {},
  opts: { bin?: string; nodeArgs?: string[] } = {},
): Promise<{ proc: ChildProcess; base: string }> {
  const bin = opts.bin ?? OMNIA_BIN;
  // OMNIA_BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"): node flags for the
  // servers a benchmark starts, to profile them (NODE_OPTIONS refuses --cpu-prof).
  const fromEnv = (process.env.OMNIA_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(
    process.execPath,
    [...fromEnv, ...(opts.nodeArgs ?? []), bin, 'serve', '--port', '0', '--no-demo', ...args],
    {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      // an API process prints its API address; a worker only its probes
      const m = /(?:API|Probes):\s+(http:\/\/[^\s/,]+)(?:\/v1|\/health)/.exec(out);
      if (m) resolve({ proc, base: m[1]! });
    });
    proc.on('exit', (c) => reject(new Error(`server exited ${c}: ${out}`)));
  });
}

export async function stopServer(s: { proc: ChildProcess }): Promise<void> {
  if (s.proc.exitCode !== null) return;
  s.proc.kill('SIGTERM');
  await new Promise((r) => s.proc.once('exit', r));
}

/**
 * autocannon with `amount`, and the time its last response arrived. Given an amount, autocannon
 * resolves only at its next 1-second sampling tick after the last response, so the time until it
 * resolves overstates a short run by up to a second (a 7 s checkout run reads 7.0–8.0 s, a 2 s
 * ingestion run 3.0 s): rates are computed from `lastAt` instead (performance.now() of the last
 * response; `startedAt` is when this was called).
 */
export function cannonTimed(
  opts: autocannon.Options,
): Promise<{ result: autocannon.Result; startedAt: number; lastAt: number }> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    let lastAt = startedAt;
    const tracker = autocannon(opts, (err, result) => (err ? reject(err) : resolve({ result, startedAt, lastAt })));
    tracker.on('response', () => {
      lastAt = performance.now();
    });
  });
}

/** autocannon as a promise. */
export function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** The auth service a seeding benchmark makes its API keys with (a fixed 40-character pepper). */
export async function benchAuth(db: Db, network: NetworkService): Promise<AuthService> {
  const auth = new AuthService(
    db,
    systemClock,
    { channel: (x) => network.channel(x), location: (x) => network.location(x) },
    'x'.repeat(40),
  );
  await auth.init();
  return auth;
}
