/**
 * COPY FROM STDIN inside a Kysely transaction (pg-copy-streams), for bulk loads Kysely cannot send.
 * Kysely keeps its node-postgres client private, so each pooled client answers one marker statement,
 * sent through the transaction like any other, with itself instead of going to the server. On PGlite
 * the marker is an ordinary `select 1` and there is no client: callers fall back to SQL.
 */
import { sql } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Executor } from './schema.js';

const MARKER = 'select 1 /* omnia:pg-client */';

/** Pool 'connect' hook (connect.ts): this client answers the marker with itself. */
export function exposeClient(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) =>
    args[0] === MARKER ? Promise.resolve({ command: 'SELECT', rowCount: 1, rows: [{ client }] }) : query(...args);
}

/** Sends `text` (COPY text format) to `statement` (a `copy … from stdin`) on the transaction's connection. */
export type CopyIn = (statement: string, text: string) => Promise<void>;

/** COPY on `db`'s connection (a transaction's own), or undefined on PGlite (no COPY FROM STDIN there). */
export async function copyInOf(db: Executor): Promise<CopyIn | undefined> {
  const r = await sql<{ client?: pg.PoolClient }>`${sql.raw(MARKER)}`.execute(db);
  const client = r.rows[0]?.client;
  if (!client) return undefined;
  return (statement, text) =>
    new Promise((resolve, reject) => {
      const stream = client.query(copyFrom(statement));
      stream.on('error', reject);
      stream.on('finish', resolve);
      stream.end(text);
    });
}
