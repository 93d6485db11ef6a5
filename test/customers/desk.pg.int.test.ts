/**
 * The agent's search is indexed (PostgreSQL, 100,000 profiles): the plan of each lookup probes an
 * index and never scans the customers or their identifiers, whatever the query reads as.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledQuery, sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { createOmnia, type Omnia } from '../../src/server.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/log.js';
import { identifiersQuery, nameQuery } from '../../src/customers/desk-store.js';
import { planSearch } from '../../src/customers/search-rules.js';

const N = 100_000;

describe('customer search plans (PostgreSQL)', () => {
  let database: TestDatabase;
  let omnia: Omnia;
  beforeAll(async () => {
    database = await createTestDatabase({ forcePg: true });
    omnia = await createOmnia({
      config: { ...loadConfig({ LOG_LEVEL: 'silent' }), jobs: false },
      database,
      logger: createLogger('silent'),
      migrate: false,
    });
    const db = omnia.ctx.db;
    await sql`insert into customers (id, status, root_id, first_name, last_name, created_at, updated_at)
      select 'cus_P' || i, 'active', 'cus_P' || i, (array['Ana','Luis','Marta','Rui'])[i % 4 + 1],
             'Apellido' || (i % 997) || ' Segundo' || (i % 13), now(), now()
        from generate_series(1, ${N}) i`.execute(db);
    await sql`insert into customer_identifiers (kind, value, customer_id, verified, created_at, source)
      select k, case k when 'email' then 'c' || i || '@example.com' when 'phone' then '+3461' || lpad(i::text, 7, '0')
                       else 'LOY-' || i end, 'cus_P' || i, false, now(), 'identify:test'
        from generate_series(1, ${N}) i cross join unnest(array['email','phone','loyalty_card']) k`.execute(db);
    await sql`analyze`.execute(db);
  }, 120_000);
  afterAll(async () => {
    await omnia?.close();
    await database?.close();
  });

  const plan = async (q: { sql: string; parameters: readonly unknown[] }) => {
    const res = await omnia.ctx.db.executeQuery<{ 'QUERY PLAN': string }>(
      CompiledQuery.raw(`explain ${q.sql}`, [...q.parameters]),
    );
    return res.rows.map((r) => r['QUERY PLAN']).join('\n');
  };

  it('a phone typed any way, a card or an e-mail is one index probe per reading', async () => {
    for (const query of ['610 00 00 42', 'LOY-42', 'C42@Example.com']) {
      const readings = planSearch(query, 'ES');
      if ('error' in readings) throw new Error(readings.error);
      const text = await plan(identifiersQuery(omnia.ctx.db, readings.plan.identifiers).compile());
      expect(text, query).toMatch(/Index (Only )?Scan|Bitmap Index Scan/);
      expect(text, query).not.toMatch(/Seq Scan/);
    }
    const found = await identifiersQuery(omnia.ctx.db, [{ kind: 'phone', value: '+34610000042' }]).execute();
    expect(found).toEqual([{ root_id: 'cus_P42', matched: 'phone' }]);
  });

  it('a name prefix is a range scan of the name indexes, in name order, limited', async () => {
    const q = nameQuery('marta apellido12', 20).compile(omnia.ctx.db);
    const text = await plan(q);
    expect(text).toContain('customers_full_name_search');
    expect(text).toContain('customers_last_name_search');
    expect(text).not.toMatch(/Seq Scan/);
    // Each branch walks its index in order and stops at the limit: no heap-fetch-then-sort of every match
    expect(text).not.toMatch(/Bitmap Heap Scan/);
    expect(text.match(/Limit/g)?.length).toBe(3);
    const rows = (await nameQuery('marta apellido12', 20).execute(omnia.ctx.db)).rows;
    expect(rows.length).toBe(20);
  });
});
