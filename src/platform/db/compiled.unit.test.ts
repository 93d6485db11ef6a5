import { describe, expect, it } from 'vitest';
import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
} from 'kysely';
import { compiled, compiledRow, compiledRows, CompiledStatementError } from './compiled.js';
import type { Executor } from './schema.js';

interface T {
  t: { id: string; n: number; at: Date; note: string | null; doc: unknown; tags: string[] };
}

/** A Kysely whose driver records what it is sent and answers with `rows`. */
function recording(rows: unknown[] = [{ id: 'a' }]) {
  const sent: CompiledQuery[] = [];
  const conn: DatabaseConnection = {
    executeQuery: async (q) => {
      sent.push(q);
      return { rows: rows as never[], numAffectedRows: 3n };
    },
    // eslint-disable-next-line require-yield
    streamQuery: async function* () {
      throw new Error('no streams');
    },
  };
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => conn,
    beginTransaction: async () => {},
    commitTransaction: async () => {},
    rollbackTransaction: async () => {},
    releaseConnection: async () => {},
    destroy: async () => {},
  };
  const db = new Kysely<T>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  return { ex: db as unknown as Executor, sent };
}
const t = (db: Executor) => db as unknown as Kysely<T>;

describe('compiled statements', () => {
  it('builds and compiles once, then binds each placeholder at its positions beside the fixed values', async () => {
    let builds = 0;
    const stmt = compiled((db, p: { id: string; n: number }) => {
      builds++;
      return t(db)
        .selectFrom('t')
        .select(['id'])
        .where('id', '=', p.id)
        .where('note', '=', 'fixed')
        .where((eb) => eb.or([eb('n', '=', p.n), eb('n', '>', p.n)]));
    });
    const { ex, sent } = recording();
    const row = await stmt.first(ex, { id: 'x', n: 1 });
    expect(row).toEqual({ id: 'a' });
    await stmt.rows(ex, { id: 'y', n: 2 });
    expect(builds).toBe(1);
    expect(sent.map((q) => q.sql)).toEqual([sent[0]!.sql, sent[0]!.sql]);
    expect(sent[0]!.sql).toBe('select "id" from "t" where "id" = $1 and "note" = $2 and ("n" = $3 or "n" > $4)');
    expect(sent.map((q) => q.parameters)).toEqual([
      ['x', 'fixed', 1, 1],
      ['y', 'fixed', 2, 2],
    ]);
    expect(stmt.describe(ex).parameters).toEqual(['id', null, 'n', 'n']);
  });

  it('refuses a missing, an undefined or an unknown binding, naming it', async () => {
    const stmt = compiled((db, p: { id: string; note: string | null }) =>
      t(db).updateTable('t').set({ note: p.note }).where('id', '=', p.id),
    );
    const { ex, sent } = recording();
    await expect(stmt.run(ex, { id: 'x' } as never)).rejects.toThrow("placeholder 'note' is not bound");
    await expect(stmt.run(ex, { id: 'x', note: undefined } as never)).rejects.toThrow(
      "placeholder 'note' bound to undefined (bind null)",
    );
    await expect(stmt.run(ex, { id: 'x', note: null, other: 1 } as never)).rejects.toThrow(CompiledStatementError);
    expect(sent).toHaveLength(0);
    const r = await stmt.run(ex, { id: 'x', note: null });
    expect(r.numAffectedRows).toBe(3n);
    expect(sent[0]!.parameters).toEqual([null, 'x']);
  });

  it('refuses at build a placeholder compiled inline or hidden inside a value, and a binding it never used', async () => {
    const { ex } = recording();
    const inline = compiled((db, p: { n: number }) => t(db).selectFrom('t').select('id').where('n', '=', sql.lit(p.n)));
    await expect(inline.rows(ex, { n: 1 })).rejects.toThrow(CompiledStatementError);
    const hidden = compiled((db, p: { note: string }) =>
      t(db).selectFrom('t').select('id').where('note', '=', `${p.note}%`),
    );
    await expect(hidden.rows(ex, { note: 'a' })).rejects.toThrow("placeholder 'note' is not a parameter");
    const unused = compiled((db, p: { id: string; n: number }) =>
      t(db).selectFrom('t').select('id').where('id', '=', p.id),
    );
    await expect(unused.rows(ex, { id: 'a', n: 1 })).rejects.toThrow("no placeholder 'n'");
  });

  it('passes arrays, nulls, dates and json as values: one array parameter, whatever its length', async () => {
    const stmt = compiled((db, p: { ids: string[]; at: Date; doc: string; note: string | null }) =>
      t(db)
        .updateTable('t')
        .set({ at: p.at, doc: sql`${p.doc}::jsonb`, note: p.note })
        .where('id', '=', sql<string>`any(${sql.val(p.ids)}::text[])`),
    );
    const { ex, sent } = recording();
    const at = new Date('2026-12-01T10:00:00Z');
    await stmt.run(ex, { ids: ['a', 'b', 'c'], at, doc: '{"k":1}', note: null });
    await stmt.run(ex, { ids: ['a'], at, doc: '[]', note: 'n' });
    expect(sent[0]!.sql).toBe('update "t" set "at" = $1, "doc" = $2::jsonb, "note" = $3 where "id" = any($4::text[])');
    expect(sent[1]!.sql).toBe(sent[0]!.sql);
    expect(sent[0]!.parameters).toEqual([at, '{"k":1}', null, ['a', 'b', 'c']]);
    expect(sent[0]!.parameters[0]).toBe(at);
    expect(sent[1]!.parameters).toEqual([at, '[]', 'n', ['a']]);
  });

  it('takes a raw sql template as well', async () => {
    const stmt = compiled(
      (_db, p: { ids: string[]; at: Date }) =>
        sql<{ id: string }>`select id from t where id = any(${p.ids}::text[]) and at < ${p.at}`,
    );
    const { ex, sent } = recording();
    const at = new Date(0);
    expect(await stmt.rows(ex, { ids: ['a', 'b'], at })).toEqual([{ id: 'a' }]);
    expect(sent[0]!.sql).toBe('select id from t where id = any($1::text[]) and at < $2');
    expect(sent[0]!.parameters).toEqual([['a', 'b'], at]);
  });

  it('compiles once per database (dialect adapter), each with its own compiler', async () => {
    let builds = 0;
    const stmt = compiled((db, p: { id: string }) => {
      builds++;
      return t(db).selectFrom('t').selectAll().where('id', '=', p.id);
    });
    const a = recording();
    const b = recording();
    await stmt.rows(a.ex, { id: '1' });
    await stmt.rows(b.ex, { id: '2' });
    await stmt.rows(a.ex, { id: '3' });
    expect(builds).toBe(2);
    expect(b.sent[0]!.parameters).toEqual(['2']);
  });
});

describe('compiled row statements', () => {
  const update = compiledRow((db, row: Partial<T['t']>, p: { id: string }) =>
    t(db).updateTable('t').set(row).where('id', '=', p.id),
  );

  it("compiles once per list of the row's defined keys, leaving out undefined ones as Kysely does", async () => {
    const { ex, sent } = recording();
    await update.run(ex, { row: { n: 1, note: null, at: undefined }, id: 'a' });
    await update.run(ex, { row: { n: 2, note: 'x' }, id: 'b' });
    await update.run(ex, { row: { note: 'y' }, id: 'c' });
    expect(update.shapes).toBe(2);
    expect(sent.map((q) => [q.sql, q.parameters])).toEqual([
      ['update "t" set "n" = $1, "note" = $2 where "id" = $3', [1, null, 'a']],
      ['update "t" set "n" = $1, "note" = $2 where "id" = $3', [2, 'x', 'b']],
      ['update "t" set "note" = $1 where "id" = $2', ['y', 'c']],
    ]);
  });

  it('runs a row holding an expression as an ordinary query, the expression in its text', async () => {
    const { ex, sent } = recording();
    await update.run(ex, { row: { n: sql<number>`n + 1` as never }, id: 'a' });
    expect(sent[0]!.sql).toBe('update "t" set "n" = n + 1 where "id" = $1');
    expect(sent[0]!.parameters).toEqual(['a']);
  });
});

describe('compiled statements and plugins', () => {
  it('builds per call on an executor with a plugin, so the plugin sees every query', async () => {
    let builds = 0;
    let seen = 0;
    const stmt = compiled((db, p: { id: string }) => {
      builds++;
      return t(db).selectFrom('t').select('id').where('id', '=', p.id);
    });
    const { ex, sent } = recording();
    const counted = ex.withPlugin({
      transformQuery: (a) => (seen++, a.node),
      transformResult: async (a) => a.result,
    });
    await stmt.rows(counted, { id: 'a' });
    await stmt.rows(counted, { id: 'b' });
    await stmt.rows(ex, { id: 'c' });
    await stmt.rows(ex, { id: 'd' });
    expect(seen).toBe(2);
    expect(builds).toBe(3);
    expect(sent.map((q) => q.parameters)).toEqual([['a'], ['b'], ['c'], ['d']]);
  });
});

describe('compiled multi-row statements', () => {
  it('compiles once per number of rows and key lists, with DEFAULT where a row lacks a column, as Kysely writes it', async () => {
    const insert = compiledRows((db, rows: Partial<T['t']>[], p: { n: number }) =>
      t(db)
        .insertInto('t')
        .values(rows.map((r) => ({ ...r, n: p.n })) as never),
    );
    const { ex, sent } = recording();
    await insert.run(ex, { rows: [{ id: 'a' }, { id: 'b', note: 'x' }], n: 1 });
    await insert.run(ex, { rows: [{ id: 'c' }, { id: 'd', note: null }], n: 2 });
    await insert.run(ex, { rows: [{ id: 'e', note: undefined }], n: 3 });
    expect(insert.shapes).toBe(2);
    const direct = t(ex)
      .insertInto('t')
      .values([
        { id: 'a', n: 1 },
        { id: 'b', note: 'x', n: 1 },
      ] as never)
      .compile();
    expect(sent[0]!.sql).toBe(direct.sql);
    expect(sent[0]!.sql).toBe('insert into "t" ("id", "n", "note") values ($1, $2, default), ($3, $4, $5)');
    expect(sent.map((q) => q.parameters)).toEqual([
      ['a', 1, 'b', 1, 'x'],
      ['c', 2, 'd', 2, null],
      ['e', 3],
    ]);
  });
});
