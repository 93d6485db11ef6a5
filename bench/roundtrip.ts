/**
 * What one statement costs on this machine before it does any work: the floor under every figure of
 * docs/scaling.md. Omnia's own connection (`connect()`: the pg pool, Kysely, prepared statements) runs
 *   - `select`: one trivial prepared statement (one round trip),
 *   - `tx1`: a transaction of one one-row insert (begin, insert, commit: three round trips, a WAL flush),
 *   - `tx10`: a transaction of ten one-row inserts (twelve round trips, one WAL flush),
 * each `--n` times (default 20,000 statements' worth) from `--clients` concurrent callers (default 32,
 * the checkout benchmark's pool), and reports CPU per statement and per transaction: this process
 * (node) and the PostgreSQL backends of the benchmark's database, from /proc.
 *
 *   npm run bench -- roundtrip [--n 20000] [--clients 32]
 */
import { sql } from 'kysely';
import { benchDatabase, benchLine } from './_lib.js';
import { cpuMeter, loadAverage } from './_inventory-cpu.js';
import { connect } from '../src/platform/db/connect.js';
import type { Db } from '../src/platform/db/schema.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}
const N = arg('n', 20_000);
const CLIENTS = arg('clients', 32);

interface Figures {
  ops: number;
  statements: number;
  per_s: number;
  node_ms_per_statement: number;
  pg_ms_per_statement: number;
  ms_per_op: number;
}

/** Runs `op` `ops` times from CLIENTS callers; `statements` is how many statements one op sends. */
async function measure(url: string, ops: number, statements: number, op: (i: number) => Promise<unknown>) {
  const meter = await cpuMeter(url, undefined);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < ops) await op(next++);
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const cpu = await meter.stop();
  const total = ops * statements;
  return {
    ops,
    statements: total,
    per_s: Math.round(ops / secs),
    node_ms_per_statement: +(cpu.client_ms / total).toFixed(3),
    pg_ms_per_statement: +(cpu.pg_ms / total).toFixed(3),
    ms_per_op: +((cpu.client_ms + cpu.pg_ms) / ops).toFixed(3),
  } satisfies Figures;
}

async function main() {
  const dbh = await benchDatabase('roundtrip');
  const database = await connect({ databaseUrl: dbh.url, poolSize: CLIENTS });
  const db: Db = database.db;
  try {
    process.stdout.write(
      `workload: ${N.toLocaleString('en')} statements per kind from ${CLIENTS} callers on one pool of ${CLIENTS}; load ${loadAverage()}\n`,
    );
    await sql`create table rt (id bigserial primary key, v int not null, at timestamptz not null default now())`.execute(
      db,
    );
    // warm the pool and its prepared statements
    await Promise.all(Array.from({ length: CLIENTS }, (_, i) => sql`select ${i}::int as x`.execute(db)));

    const select = await measure(dbh.url, N, 1, (i) => sql`select ${i}::int as x`.execute(db));
    const tx1 = await measure(dbh.url, Math.round(N / 3), 3, (i) =>
      db.transaction().execute((trx) => sql`insert into rt (v) values (${i})`.execute(trx)),
    );
    const tx10 = await measure(dbh.url, Math.round(N / 12), 12, (i) =>
      db.transaction().execute(async (trx) => {
        for (let k = 0; k < 10; k++) await sql`insert into rt (v) values (${i * 10 + k})`.execute(trx);
      }),
    );
    for (const [name, f] of Object.entries({ select, tx1, tx10 }))
      process.stdout.write(
        `${name.padEnd(6)} ${f.ops.toLocaleString('en')} ops (${f.statements.toLocaleString('en')} statements) = ${f.per_s.toLocaleString('en')}/s; ` +
          `CPU per statement ${f.node_ms_per_statement} ms node + ${f.pg_ms_per_statement} ms PostgreSQL; per op ${f.ms_per_op} ms\n`,
      );
    benchLine('roundtrip', { clients: CLIENTS, n: N, select, tx1, tx10, load_avg: loadAverage() });
  } finally {
    await database.close();
    await dbh.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
