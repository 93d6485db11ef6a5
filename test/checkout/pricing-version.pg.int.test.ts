/**
 * The pricing version's triggers (migration 9800) run BEFORE each statement: two catalog writers of
 * different rows queue on the counter row instead of deadlocking (each holding a row the other's
 * second statement wants while waiting for the counter, as AFTER triggers allowed).
 */
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

describe('pricing version triggers (PostgreSQL)', () => {
  let t: TestDatabase;
  const clients: pg.Client[] = [];
  beforeAll(async () => {
    t = await createTestDatabase({ forcePg: true });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await t.close();
  });

  it('fires every one of them before the statement', async () => {
    const { rows } = await sql<{ tgname: string; before: boolean }>`
      select tgname, (tgtype & 2) <> 0 as before from pg_trigger
      where tgfoid = 'pricing_version_bump'::regproc and not tgisinternal`.execute(t.db);
    expect(rows.length).toBe(6);
    expect(rows.every((r) => r.before)).toBe(true);
  });

  it('lets two writers of different rows, each writing the other’s row next, both commit', async () => {
    // A table of its own with the same trigger form, so the test needs no catalog rows.
    await sql`create table pv_rows (id text primary key, n int not null)`.execute(t.db);
    await sql`insert into pv_rows values ('a', 0), ('b', 0)`.execute(t.db);
    await sql`create trigger pv_bump before insert or update or delete on pv_rows
      for each statement execute function pricing_version_bump()`.execute(t.db);
    const [c1, c2] = [new pg.Client({ connectionString: t.url! }), new pg.Client({ connectionString: t.url! })];
    clients.push(c1, c2);
    await Promise.all([c1.connect(), c2.connect()]);
    const before = Number((await c1.query('select version from pricing_version')).rows[0].version);
    await c1.query('begin');
    await c2.query('begin');
    await c1.query(`update pv_rows set n = n + 1 where id = 'a'`);
    const c2pid = Number((await c2.query('select pg_backend_pid() as pid')).rows[0].pid);
    const second = c2.query(`update pv_rows set n = n + 1 where id = 'b'`); // waits for the counter
    // until c2 is queued on c1's lock (a fixed wait let a slow c2 arrive late, and the test pass without the race)
    for (let waited = 0; ; waited += 20) {
      const r = await c1.query(`select wait_event_type from pg_stat_activity where pid = $1`, [c2pid]);
      if (r.rows[0]?.wait_event_type === 'Lock') break;
      if (waited > 10_000) throw new Error('the second transaction never waited for the first');
      await new Promise((res) => setTimeout(res, 20));
    }
    await c1.query(`update pv_rows set n = n + 1 where id = 'b'`); // with AFTER triggers: deadlock here
    await c1.query('commit');
    await second;
    await c2.query(`update pv_rows set n = n + 1 where id = 'a'`);
    await c2.query('commit');
    const { rows } = await c1.query('select id, n from pv_rows order by id');
    expect(rows).toEqual([
      { id: 'a', n: 2 },
      { id: 'b', n: 2 },
    ]);
    expect(Number((await c1.query('select version from pricing_version')).rows[0].version)).toBe(before + 4);
  });
});
