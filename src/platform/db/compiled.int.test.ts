import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../../test/helpers/db.js';
import { compiled } from './compiled.js';
import { inTx } from './tx.js';
import { TxGuardError } from './tx-guard.js';
import { json } from './json.js';
import type { Executor } from './schema.js';

interface T {
  compiled_t: { id: string; n: number; at: Date; note: string | null; doc: unknown; tags: string[] };
}
const t = (db: Executor) => db as unknown as Kysely<T>;

const insert = compiled(
  (db, p: { id: string; n: number; at: Date; note: string | null; doc: string; tags: string[] }) =>
    t(db)
      .insertInto('compiled_t')
      .values({ id: p.id, n: p.n, at: p.at, note: p.note, doc: sql`${p.doc}::jsonb`, tags: p.tags })
      .returningAll(),
);
const byIds = compiled((db, p: { ids: string[] }) =>
  t(db)
    .selectFrom('compiled_t')
    .selectAll()
    .where('id', '=', sql<string>`any(${sql.val(p.ids)}::text[])`)
    .orderBy('id'),
);
const bump = compiled((db, p: { id: string; by: number }) =>
  t(db)
    .updateTable('compiled_t')
    .set({ n: sql`n + ${p.by}::int` })
    .where('id', '=', p.id),
);

describe(`compiled statements on ${onPostgres ? 'PostgreSQL' : 'PGlite'}`, () => {
  let d: TestDatabase;
  beforeAll(async () => {
    d = await createTestDatabase();
    await sql`create table compiled_t (id text primary key, n int not null, at timestamptz not null,
      note text, doc jsonb not null, tags text[] not null)`.execute(d.db);
  });
  afterAll(() => d.close());

  it('writes and reads dates, nulls, jsonb and arrays, with lists of any length in one text', async () => {
    const at = new Date('2026-12-01T10:00:00.123Z');
    const row = await insert.first(d.db, { id: 'a', n: 1, at, note: null, doc: '{"k":[1,2]}', tags: ['x', 'y'] });
    expect(row).toMatchObject({ id: 'a', n: 1, note: null, tags: ['x', 'y'] });
    expect(row!.at.getTime()).toBe(at.getTime());
    expect(json(row!.doc)).toEqual({ k: [1, 2] });
    for (const id of ['b', 'c']) await insert.rows(d.db, { id, n: 2, at, note: 'n', doc: '[]', tags: [] });
    expect((await byIds.rows(d.db, { ids: ['c', 'a'] })).map((r) => r.id)).toEqual(['a', 'c']);
    expect((await byIds.rows(d.db, { ids: ['b'] })).map((r) => r.id)).toEqual(['b']);
    expect(await byIds.rows(d.db, { ids: [] })).toEqual([]);
    const r = await bump.run(d.db, { id: 'b', by: 5 });
    expect(r.numAffectedRows).toBe(1n);
    expect((await byIds.first(d.db, { ids: ['b'] }))!.n).toBe(7);
  });

  it("runs on the caller's transaction: rolled back with it, and refused on the pool inside it", async () => {
    const at = new Date();
    await expect(
      inTx(d.db, undefined, async (trx) => {
        await insert.rows(trx, { id: 'tx', n: 1, at, note: null, doc: '{}', tags: [] });
        expect(await byIds.rows(trx, { ids: ['tx'] })).toHaveLength(1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await byIds.rows(d.db, { ids: ['tx'] })).toEqual([]);
    const refused = inTx(d.db, undefined, async () => byIds.rows(d.db, { ids: ['a'] }));
    await expect(refused).rejects.toThrow(TxGuardError);
  });
});
