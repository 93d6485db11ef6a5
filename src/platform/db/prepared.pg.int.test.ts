/**
 * Named prepared statements on a real connection (prepared.ts through connect.ts): a repeated
 * statement is prepared on the server and answers every later call with that call's values; a
 * statement prepared in a transaction that rolled back, or whose execution failed, keeps working; a
 * column added under a prepared `select *` fails that one call and the next is prepared afresh.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { inTx } from './tx.js';

describe('repeated statements prepared once per connection (PostgreSQL)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ poolSize: 1, forcePg: true });
    await sql`create table prep_t (id int primary key, v text)`.execute(t.db);
    await sql`insert into prep_t select g, 'v' || g from generate_series(1, 20) g`.execute(t.db);
  });
  afterAll(() => t.close());

  const prepared = async () =>
    (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(t.db))
      .rows;
  const byId = (id: number) => sql<{ v: string }>`select v from prep_t where id = ${id}`.execute(t.db);

  it('prepares a text from its third use and answers each call with its own values', async () => {
    for (let id = 1; id <= 10; id++) expect((await byId(id)).rows).toEqual([{ v: `v${id}` }]);
    const mine = (await prepared()).filter((p) => p.statement.includes('from prep_t where id'));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.name).toMatch(/^omnia_g\d+_s\d+$/);
  });

  it('keeps a statement first prepared in a transaction that rolled back', async () => {
    const q = (id: number) => sql<{ n: number }>`select count(*)::int as n from prep_t where id <= ${id}`;
    await expect(
      inTx(t.db, undefined, async (trx) => {
        for (let id = 1; id <= 4; id++) expect((await q(id).execute(trx)).rows[0]!.n).toBe(id);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await q(7).execute(t.db)).rows[0]!.n).toBe(7);
    expect((await prepared()).some((p) => p.statement.includes('count(*)::int as n from prep_t'))).toBe(true);
  });

  it('goes on after an execution that failed, in and out of a transaction', async () => {
    const div = (d: number) => sql<{ r: number }>`select 10 / ${d}::int as r`;
    for (let i = 0; i < 3; i++) expect((await div(5).execute(t.db)).rows[0]!.r).toBe(2);
    await expect(div(0).execute(t.db)).rejects.toThrow(/division by zero/);
    await expect(inTx(t.db, undefined, (trx) => div(0).execute(trx))).rejects.toThrow(/division by zero/);
    expect((await div(2).execute(t.db)).rows[0]!.r).toBe(5);
  });

  it('prepares afresh after a column is added under a prepared select *', async () => {
    const all = (id: number) => sql<Record<string, unknown>>`select * from prep_t where id = ${id}`.execute(t.db);
    for (let id = 1; id <= 4; id++) await all(id);
    await sql`alter table prep_t add column w int default 7`.execute(t.db);
    const first = await all(5).catch((e: Error) => e);
    // PostgreSQL refuses the old plan once; the process names the text anew for the next call.
    expect(first).toBeInstanceOf(Error);
    expect((first as Error).message).toMatch(/cached plan must not change result type/);
    let row: Record<string, unknown> | undefined;
    for (let i = 0; i < 4; i++) row = (await all(6)).rows[0];
    expect(row).toEqual({ id: 6, v: 'v6', w: 7 });
  });
});
