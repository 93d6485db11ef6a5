import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connect, type Database } from '../../src/platform/db/connect.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { loadConfig } from '../../src/platform/config.js';

/** The server the PostgreSQL runs use; each test file gets a fresh database on it. */
export const PG_ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const onPostgres = process.env.OMNIA_TEST_DB === 'pg';
/** Through loadConfig like every setting; only its own variable, so the rest of the environment cannot fail a test. */
const txGuardTrace = loadConfig({ OMNIA_TX_GUARD_TRACE: process.env.OMNIA_TX_GUARD_TRACE }).txGuardTrace;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface TestDatabase extends Database {
  /** For PostgreSQL: the URL of this test's own database (for spawning server processes). */
  url?: string;
}

/**
 * A migrated, empty database: in-memory PGlite by default, or a new PostgreSQL database
 * (`omnia_t_<random>`) when OMNIA_TEST_DB=pg. close() drops it.
 */
export async function createTestDatabase(opts: { forcePg?: boolean; poolSize?: number } = {}): Promise<TestDatabase> {
  if (!onPostgres && !opts.forcePg) {
    const database = await connect({ txGuardTrace });
    await migrate(database.db);
    return database;
  }
  const name = `omnia_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = withDatabase(PG_ADMIN_URL, name);
  const database = await connect({ databaseUrl: url, poolSize: opts.poolSize ?? 20, txGuardTrace });
  await migrate(database.db);
  return {
    ...database,
    url,
    async close() {
      await database.close();
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
