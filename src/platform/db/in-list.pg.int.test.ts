/**
 * Why in-list.ts exists, on a real PostgreSQL: a prepared `= any($1::text[])` over a short list is
 * planned afresh on every execution (no generic plan is ever used), while the same match written by
 * `inList` uses the connection's generic plan once PostgreSQL has tried five custom ones.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { inList } from './in-list.js';

describe('short lists keep a generic plan (PostgreSQL)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ poolSize: 1, forcePg: true });
    await sql`create table plan_t (sku text primary key, v int)`.execute(t.db);
    await sql`insert into plan_t select 'S' || g, g from generate_series(1, 5000) g`.execute(t.db);
    await sql`analyze plan_t`.execute(t.db);
  });
  afterAll(() => t.close());

  const plans = async (marker: string) =>
    (
      await sql<{ generic_plans: string; custom_plans: string }>`
        select generic_plans, custom_plans from pg_prepared_statements where statement like ${`%${marker}%`}`.execute(
        t.db,
      )
    ).rows.map((r) => ({ generic: Number(r.generic_plans), custom: Number(r.custom_plans) }));

  it('plans `= any` on every call, `inList` once', async () => {
    for (let i = 1; i <= 20; i++) {
      const skus = [`S${i}`, `S${i + 100}`];
      const a = await sql<{ v: number }>`select v as any_v from plan_t where sku = any(${skus}::text[])`.execute(t.db);
      const b = await sql<{ v: number }>`select v as in_v from plan_t where ${inList('sku', skus)}`.execute(t.db);
      expect(a.rows).toHaveLength(2);
      expect(b.rows).toHaveLength(2);
    }
    // prepared.ts names a text from its third use: 18 executions of each named statement
    const any = await plans('as any_v');
    const inl = await plans('as in_v');
    expect(any).toEqual([{ generic: 0, custom: 18 }]);
    expect(inl).toHaveLength(1);
    expect(inl[0]!.custom).toBe(5);
    expect(inl[0]!.generic).toBe(13);
  });
});
