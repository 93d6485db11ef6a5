import { type Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from './pglite-dialect.js';
import { createKysely } from './tx-guard.js';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { exposeClient } from './pg-client.js';
import { namingQuery, StatementNames } from './prepared.js';
import type { DB } from './schema.js';

export type DbKind = 'pg' | 'pglite';

export interface Database {
  db: Kysely<DB>;
  kind: DbKind;
  /** Where it lives, for messages: the URL without password, or the data folder. */
  where: string;
  /** The data-folder lock of the embedded database, so `serve` can record its URL in it. */
  lock?: DataDirLock;
  close(): Promise<void>;
}

// Same JS types on both backends: int8 (counts, sums, bigint money) as number, numeric as number.
// Our bigints are minor units and counts, far below 2^53.
const INT8 = 20;
const NUMERIC = 1700;
pg.types.setTypeParser(INT8, (v) => Number(v));
pg.types.setTypeParser(NUMERIC, (v) => Number(v));

export interface ConnectOptions {
  databaseUrl?: string | undefined;
  /** Data folder for PGlite; `memory://` (or undefined) for an in-memory database. */
  dataDir?: string | undefined;
  poolSize?: number;
  /** What holds the embedded folder, recorded in its lock file. */
  command?: string;
  /** Print the stack of each transaction-guard refusal (config `txGuardTrace`, `OMNIA_TX_GUARD_TRACE`). */
  txGuardTrace?: boolean | undefined;
  /** Send repeated statements as named prepared statements (config `pgPrepare`, default true; prepared.ts). */
  prepare?: boolean | undefined;
}

/** The client's `query` names repeated statements (prepared.ts). */
function prepareRepeated(client: pg.PoolClient, names: StatementNames): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = namingQuery(query, names);
}

export async function connect(opts: ConnectOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 20 });
    pool.on('error', () => {
      /* an idle client lost its connection; the pool replaces it */
    });
    // Repeated statements prepared once per connection (prepared.ts).
    const names = opts.prepare === false ? undefined : new StatementNames();
    pool.on('connect', (client) => {
      if (names) prepareRepeated(client, names);
      exposeClient(client); // COPY (pg-client.ts)
    });
    // A pool read inside a transaction is refused outside production (see tx-guard.ts): tests catch it.
    const db = createKysely<DB>(
      { dialect: new PostgresDialect({ pool }) },
      { guard: process.env.NODE_ENV !== 'production', trace: opts.txGuardTrace ?? false },
    );
    const where = opts.databaseUrl.replace(/:[^:@/]*@/, ':***@');
    return { db, kind: 'pg', where, close: () => db.destroy() };
  }
  const dir = opts.dataDir && opts.dataDir !== 'memory://' ? opts.dataDir : undefined;
  const lock = dir ? acquireDataDirLock(dir, opts.command ?? 'omnia') : undefined;
  try {
    const parsers = { [INT8]: (v: string) => Number(v), [NUMERIC]: (v: string) => Number(v) };
    const pglite = new PGlite(dir ? `${dir}/pgdata` : undefined, { parsers });
    await pglite.waitReady;
    // Always guarded: with one connection, the refused read would otherwise wait for itself forever.
    const db = createKysely<DB>(
      { dialect: new PGliteDialect(pglite) },
      { guard: true, trace: opts.txGuardTrace ?? false },
    );
    return {
      db,
      kind: 'pglite',
      where: dir ?? 'memory',
      ...(lock ? { lock } : {}),
      close: async () => {
        await db.destroy();
        lock?.release();
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}

/**
 * The read pool on a streaming replica (`DATABASE_READ_URL`; see replica.ts for what reads it). Same
 * guard as the primary's: a read through it from inside a transaction would see none of its writes.
 */
export function connectReplica(opts: {
  url: string;
  poolSize?: number;
  txGuardTrace?: boolean | undefined;
  prepare?: boolean | undefined;
}): {
  db: Kysely<DB>;
  where: string;
  close(): Promise<void>;
} {
  const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 20 });
  pool.on('error', () => {
    /* an idle client lost its connection (a replica restarting): the pool replaces it */
  });
  const names = opts.prepare === false ? undefined : new StatementNames();
  if (names) pool.on('connect', (client) => prepareRepeated(client, names));
  const db = createKysely<DB>(
    { dialect: new PostgresDialect({ pool }) },
    { guard: process.env.NODE_ENV !== 'production', trace: opts.txGuardTrace ?? false },
  );
  return { db, where: opts.url.replace(/:[^:@/]*@/, ':***@'), close: () => db.destroy() };
}
