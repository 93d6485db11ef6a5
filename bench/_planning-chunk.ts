/**
 * What the planning chunk tools share (bench/planning-explain.ts, bench/_planning-parts.ts): a kept
 * benchmark database opened with one connection, its stores' regions and warehouses, the benchmark's
 * run parameters, and the last long statement sent (the chunk's, captured to explain or cut apart).
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { DB } from '../src/platform/db/schema.js';
import { PG_ADMIN_URL } from './_lib.js';
import { exposeClient } from '../src/platform/db/pg-client.js';
import * as runSql from '../src/planning/index.js';

export interface ChunkBench {
  db: Kysely<DB>;
  regionOf: Map<string, string | null>;
  warehouseOf: Map<string, string>;
  p: Parameters<typeof runSql.planChunk>[5];
  /** The last statement longer than 2,000 characters (a chunk's), with its parameters. */
  last(): { sql: string; params: readonly unknown[] } | null;
  /**
   * Runs `f` in a transaction that is rolled back, with the chunk settings of compute.ts and fresh
   * result and proposal tables for `runId`; `cpu()` is the backend's CPU seconds so far (utime +
   * stime from /proc: a steadier figure than wall time on a shared machine).
   */
  inRollback(runId: string, f: (trx: Kysely<DB>, cpu: () => number) => Promise<void>): Promise<void>;
}

/** `--database NAME` (required) and `--chunk N` (pairs, default 250,000) from the command line. */
export function chunkArgs(): { name: string; chunk: number } {
  const i = process.argv.indexOf('--database');
  if (i < 0) throw new Error('--database NAME (a database kept by npm run bench -- planning --keep)');
  const c = process.argv.indexOf('--chunk');
  return { name: process.argv[i + 1]!, chunk: c > 0 ? Number(process.argv[c + 1]) : 250_000 };
}

export async function openChunkBench(name: string): Promise<ChunkBench> {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  let last: { sql: string; params: readonly unknown[] } | null = null;
  // Each client answers pg-client.ts's marker, so the COPY path (chunk-copy.ts) runs here too.
  const pool = new pg.Pool({ connectionString: u.toString(), max: 1 });
  pool.on('connect', exposeClient);
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    log: (e) => {
      if (e.level === 'query' && e.query.sql.length > 2000) last = { sql: e.query.sql, params: e.query.parameters };
    },
  });
  const stores = await sql<{ id: string; region: string | null }>`
    select id, address ->> 'region' as region from locations where type = 'store'`.execute(db);
  const whs = await sql<{ id: string }>`select id from locations where type = 'warehouse' order by id`.execute(db);
  return {
    db,
    regionOf: new Map(stores.rows.map((s) => [s.id, s.region])),
    warehouseOf: new Map(stores.rows.map((s, n) => [s.id, whs.rows[n % whs.rows.length]!.id])),
    p: {
      service_level: 0.95,
      review_days: 2,
      lead_days: 1,
      max_rule: 'order_up_to' as const,
      min_observed_days: 7,
      transfer_lead_days: 1,
      min_lot: 2,
      z: runSql.inverseNormalCdf(0.95),
    },
    last: () => last,
    inRollback: (runId, f) =>
      db
        .transaction()
        .execute(async (trx) => {
          await sql`set local work_mem = '96MB'`.execute(trx);
          await sql`set local jit = off`.execute(trx);
          for (const t of ['results', 'proposals']) {
            const table = `planning_${t}_${runId.toLowerCase()}`;
            await sql`drop table if exists ${sql.table(table)}`.execute(trx);
            await sql`create table ${sql.table(table)} (like ${sql.table(`planning_${t}`)} including defaults including constraints)`.execute(
              trx,
            );
          }
          const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid;
          const cpu = () => {
            const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
            return (Number(f[11]) + Number(f[12])) / 100;
          };
          await f(trx, cpu);
          throw new Error('rollback');
        })
        .catch((e: Error) => {
          if (e.message !== 'rollback') throw e;
        }),
  };
}
