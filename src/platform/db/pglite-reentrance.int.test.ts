import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { connect } from './connect.js';
import { outsideTransactionScope } from './pglite-dialect.js';

/** PGlite has one connection: queries through the pool from inside a transaction must not deadlock. */
describe('PGlite re-entrant transactions', () => {
  it('serves pool queries issued inside a transaction on its connection, and nests transactions as savepoints', async () => {
    const { db, close } = await connect({});
    try {
      await sql`create table t (n int)`.execute(db);
      const result = await Promise.race([
        db.transaction().execute(async (trx) => {
          await sql`insert into t values (1)`.execute(trx);
          // a service that only has the pool reads inside our transaction instead of waiting for it
          const seen = await sql<{ c: number }>`select count(*)::int as c from t`.execute(db);
          // a nested transaction that fails rolls back to its savepoint only
          await db
            .transaction()
            .execute(async (inner) => {
              await sql`insert into t values (2)`.execute(inner);
              throw new Error('inner fails');
            })
            .catch(() => undefined);
          await db.transaction().execute(async (inner) => void (await sql`insert into t values (3)`.execute(inner)));
          return seen.rows[0]!.c;
        }),
        new Promise((_, reject) => setTimeout(() => reject(new Error('deadlock')), 5000)),
      ]);
      expect(result).toBe(1);
      const rows = await sql<{ n: number }>`select n from t order by n`.execute(db);
      expect(rows.rows.map((r) => r.n)).toEqual([1, 3]);
    } finally {
      await close();
    }
  });

  it('keeps other callers waiting for the connection, and detached work outside the transaction', async () => {
    const { db, close } = await connect({});
    try {
      await sql`create table u (n int)`.execute(db);
      let outsideSaw = -1;
      let detached: Promise<void> = Promise.resolve();
      await db.transaction().execute(async (trx) => {
        await sql`insert into u values (1)`.execute(trx);
        // work started from inside but detached waits for the commit, then sees the row
        detached = outsideTransactionScope(async () => {
          const r = await sql<{ c: number }>`select count(*)::int as c from u`.execute(db);
          outsideSaw = r.rows[0]!.c;
        });
        await new Promise((r) => setTimeout(r, 50));
        expect(outsideSaw).toBe(-1); // still waiting for the connection
      });
      await detached;
      expect(outsideSaw).toBe(1);
    } finally {
      await close();
    }
  });
});
