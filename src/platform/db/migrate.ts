import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';

/**
 * Plain SQL migrations in `migrations/`, applied in file-name order, each in its own transaction,
 * recorded with a checksum so an edited, already-applied file is caught instead of silently skipped.
 * Several processes may start at once against one PostgreSQL: a transaction-scoped advisory lock
 * makes them take turns. Numbering: 0xxx platform, 1xxx network, 2xxx catalog, 3xxx inventory,
 * 4xxx customers, 5xxx promotions, 6xxx carts/orders/payments, 7xxx fulfillment/returns.
 */
function findMigrationsDir(): string {
  // Walk up from this file: it lives in src/platform/db/ in the sources and in dist/ when bundled.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'migrations');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the migrations folder');
    dir = parent;
  }
}
export const MIGRATIONS_DIR = findMigrationsDir();

const LOCK_KEY = 7_440_001; // arbitrary, constant: "omnia migrations"

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      return { name, sql: text, checksum: createHash('sha256').update(text).digest('hex').slice(0, 16) };
    });
}

export class MigrationChecksumError extends Error {}

async function ensureTable(db: Kysely<DB>): Promise<void> {
  await sql`create table if not exists schema_migrations (
    name text primary key,
    checksum text not null,
    applied_at timestamptz not null default now()
  )`.execute(db);
}

async function appliedMap(db: Kysely<DB>): Promise<Map<string, string>> {
  const res = await sql<{ name: string; checksum: string }>`select name, checksum from schema_migrations`.execute(db);
  return new Map(res.rows.map((r) => [r.name, r.checksum]));
}

/** Applies what is pending; returns the names applied. */
export async function migrate(pool: Kysely<DB>, files = readMigrations()): Promise<string[]> {
  // One connection for the whole run: a session advisory lock must be unlocked on the connection that took it.
  return pool.connection().execute(async (db) => {
    await sql`select pg_advisory_lock(${LOCK_KEY})`.execute(db);
    try {
      await ensureTable(db);
      const applied = await appliedMap(db);
      const done: string[] = [];
      for (const file of files) {
        const prior = applied.get(file.name);
        if (prior !== undefined) {
          if (prior !== file.checksum) {
            throw new MigrationChecksumError(
              `migration ${file.name} was changed after it was applied (checksum ${prior} → ${file.checksum})`,
            );
          }
          continue;
        }
        await db.transaction().execute(async (trx) => {
          await sql.raw(file.sql).execute(trx);
          await sql`insert into schema_migrations (name, checksum) values (${file.name}, ${file.checksum})`.execute(
            trx,
          );
        });
        done.push(file.name);
      }
      return done;
    } finally {
      await sql`select pg_advisory_unlock(${LOCK_KEY})`.execute(db);
    }
  });
}

/** Names of migration files not yet applied (for /ready and `omnia doctor`). */
export async function pendingMigrations(db: Kysely<DB>, files = readMigrations()): Promise<string[]> {
  await ensureTable(db);
  const applied = await appliedMap(db);
  return files.filter((f) => !applied.has(f.name)).map((f) => f.name);
}
