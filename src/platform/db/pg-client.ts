/**
 * COPY FROM STDIN and TO STDOUT inside a Kysely transaction (pg-copy-streams), for bulk moves Kysely cannot make.
 * Kysely keeps its node-postgres client private, so each pooled client answers one marker statement,
 * sent through the transaction like any other, with itself instead of going to the server. On PGlite
 * the marker is an ordinary `select 1` and there is no client: callers fall back to SQL.
 */
import { sql } from 'kysely';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Executor } from './schema.js';

const MARKER = 'select 1 /* omnia:pg-client */';

/** Pool 'connect' hook (connect.ts): this client answers the marker with itself. */
export function exposeClient(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) =>
    args[0] === MARKER ? Promise.resolve({ command: 'SELECT', rowCount: 1, rows: [{ client }] }) : query(...args);
}

/**
 * Sends `data` to `statement` (a `copy … from stdin`) on the transaction's connection: COPY text, or
 * binary COPY (`with (format binary)`) as one buffer or as pieces written in turn (a 40 MB chunk need
 * not sit in the socket's queue at once).
 */
export type CopyIn = (statement: string, data: string | Buffer | Iterable<Buffer>) => Promise<void>;

/** `db`'s pooled client (a transaction's own connection), asked by the marker; undefined on PGlite. */
async function clientOf(db: Executor): Promise<pg.PoolClient | undefined> {
  const r = await sql<{ client?: pg.PoolClient }>`${sql.raw(MARKER)}`.execute(db);
  return r.rows[0]?.client;
}

/** COPY on `db`'s connection (a transaction's own), or undefined on PGlite (no COPY FROM STDIN there). */
export async function copyInOf(db: Executor): Promise<CopyIn | undefined> {
  const client = await clientOf(db);
  return client && copyInWith(client);
}

/** COPY FROM STDIN and TO STDOUT on `db`'s connection, asked once; undefined on PGlite. */
export async function copyBothOf(db: Executor): Promise<{ copyIn: CopyIn; copyOut: CopyOut } | undefined> {
  const client = await clientOf(db);
  return client && { copyIn: copyInWith(client), copyOut: copyOutWith(client) };
}

function copyInWith(client: pg.PoolClient): CopyIn {
  return (statement, data) =>
    new Promise((resolve, reject) => {
      const stream = client.query(copyFrom(statement));
      stream.on('error', reject);
      stream.on('finish', resolve);
      if (typeof data === 'string' || Buffer.isBuffer(data)) {
        stream.end(data);
        return;
      }
      const pieces = data[Symbol.iterator]();
      const write = () => {
        for (;;) {
          const p = pieces.next();
          if (p.done) return void stream.end();
          if (!stream.write(p.value)) return void stream.once('drain', write);
        }
      };
      write();
    });
}

/** Runs `statement` (a `copy … to stdout`) on the transaction's connection, handing `onData` each piece as it comes. */
export type CopyOut = (statement: string, onData: (piece: Buffer) => void) => Promise<void>;

/** COPY TO STDOUT on `db`'s connection, or undefined on PGlite. */
export async function copyOutOf(db: Executor): Promise<CopyOut | undefined> {
  const client = await clientOf(db);
  return client && copyOutWith(client);
}

function copyOutWith(client: pg.PoolClient): CopyOut {
  return (statement, onData) =>
    new Promise((resolve, reject) => {
      const stream = client.query(copyTo(statement));
      // A piece `onData` refuses fails the call once the COPY has ended: the rest is read and dropped
      // rather than the stream cut, which would leave the connection mid-protocol.
      let failed: unknown;
      stream.on('data', (b: Buffer) => {
        if (failed !== undefined) return;
        try {
          onData(b);
        } catch (err) {
          failed = err;
        }
      });
      stream.on('error', reject);
      stream.on('end', () => (failed === undefined ? resolve() : reject(failed)));
    });
}
