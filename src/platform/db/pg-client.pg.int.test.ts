/**
 * COPY TO STDOUT through a pooled client (pg-client.ts): the pieces arrive in order and make the whole
 * binary stream, and a reader that refuses a piece fails the call without leaving the connection
 * mid-protocol (the same transaction goes on, the pool's client stays usable).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { BinaryCopyStream } from './copy-binary.js';
import { copyOutOf } from './pg-client.js';
import { inTx } from './tx.js';

const ROWS = 50_000; // several pieces: the server sends one message per row, the socket batches them

describe('COPY TO STDOUT on a transaction’s connection (PostgreSQL)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ poolSize: 1 });
  });
  afterAll(() => t.close());

  it('hands over every row, in pieces that join into one binary stream', async () => {
    const seen: number[] = [];
    let pieces = 0;
    await inTx(t.db, undefined, async (trx) => {
      const copyOut = (await copyOutOf(trx))!;
      const rows = new BinaryCopyStream((r) => {
        seen.push(r.number());
        expect(r.text()).toBe(`row ${seen.at(-1)}`);
      });
      await copyOut(
        `copy (select g, 'row ' || g from generate_series(1, ${ROWS}) g) to stdout with (format binary)`,
        (p) => {
          pieces++;
          rows.push(p);
        },
      );
      rows.end();
    });
    expect(pieces).toBeGreaterThan(1);
    expect(seen).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
  });

  it('fails the call when the reader refuses a piece, and the connection goes on working', async () => {
    await inTx(t.db, undefined, async (trx) => {
      const copyOut = (await copyOutOf(trx))!;
      let calls = 0;
      await expect(
        copyOut(`copy (select g from generate_series(1, ${ROWS}) g) to stdout with (format binary)`, () => {
          calls++;
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      expect(calls).toBe(1);
      // the same transaction, on the same connection, still answers
      const r = await sql<{ n: number }>`select 41 + 1 as n`.execute(trx);
      expect(r.rows[0]!.n).toBe(42);
    });
    // and the pool's only client is usable by the next caller
    const r = await sql<{ n: number }>`select 7 as n`.execute(t.db);
    expect(r.rows[0]!.n).toBe(7);
  });
});
