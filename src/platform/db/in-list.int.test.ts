/**
 * in-list.ts on both databases: `inList` and `compiledList` answer exactly the rows an array match
 * answers, for lists at, below and above the short-list length, of text and of bigint values, inside
 * and outside a transaction; an empty list is refused rather than matching nothing silently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { compiledList, inList, SHORT_LIST } from './in-list.js';
import { inTx } from './tx.js';
import type { Executor } from './schema.js';

interface T {
  in_list_t: { id: string; seq: string; n: number };
}
const t = (db: Executor) => db as unknown as Kysely<T>;

const byIds = compiledList('text', (db, p: { min: number }, match) =>
  t(db).selectFrom('in_list_t').select(['id', 'n']).where(match('id')).where('n', '>=', p.min).orderBy('id'),
);
const bySeqs = compiledList('bigint', (db, _p: Record<string, never>, match) =>
  t(db).selectFrom('in_list_t').select('id').where(match('seq')).orderBy('id'),
);

describe('lists matched so that one plan is kept (in-list.ts)', () => {
  let db: TestDatabase;
  const ids = Array.from({ length: 40 }, (_, i) => `k${String(i).padStart(2, '0')}`);
  beforeAll(async () => {
    db = await createTestDatabase();
    await sql`create table in_list_t (id text primary key, seq bigint not null, n int not null)`.execute(db.db);
    await sql`insert into in_list_t select 'k' || lpad(g::text, 2, '0'), 1000 + g, g from generate_series(0, 39) g`.execute(
      db.db,
    );
  });
  afterAll(() => db.close());

  // lists of several lengths around SHORT_LIST, with unknown values and repeats mixed in
  const lists = [1, 2, SHORT_LIST - 1, SHORT_LIST, SHORT_LIST + 1, 30].map((len) =>
    Array.from({ length: len }, (_, i) => (i % 4 === 3 ? 'nope' : ids[(i * 7) % ids.length]!)),
  );
  const expected = (list: string[], min: number) =>
    ids.filter((id) => list.includes(id) && Number(id.slice(1)) >= min).map((id) => ({ id, n: Number(id.slice(1)) }));

  it('compiledList answers what the list holds, at every length, in and out of a transaction', async () => {
    for (const list of lists) {
      expect(await byIds.rows(db.db, list, { min: 3 })).toEqual(expected(list, 3));
      await inTx(db.db, undefined, async (trx) => {
        expect(await byIds.rows(trx, list, { min: 0 })).toEqual(expected(list, 0));
      });
    }
  });

  it('compiledList matches bigint lists', async () => {
    for (const len of [1, SHORT_LIST, SHORT_LIST + 5]) {
      const seqs = Array.from({ length: len }, (_, i) => 1000 + i * 2);
      const want = seqs.filter((s) => s < 1040).map((s) => ({ id: `k${String(s - 1000).padStart(2, '0')}` }));
      expect(await bySeqs.rows(db.db, seqs, {})).toEqual(want);
    }
  });

  it('inList in a raw statement answers as the array match does', async () => {
    for (const list of lists) {
      const mine = await sql<{ id: string }>`select id from in_list_t where ${inList('id', list)} order by id`.execute(
        db.db,
      );
      const any = await sql<{
        id: string;
      }>`select id from in_list_t where id = any(${list}::text[]) order by id`.execute(db.db);
      expect(mine.rows).toEqual(any.rows);
    }
  });

  it('refuses an empty list', async () => {
    expect(() => inList('id', [])).toThrow(/empty list/);
    await expect(byIds.rows(db.db, [], { min: 0 })).rejects.toThrow(/empty list/);
  });
});
