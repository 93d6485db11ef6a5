import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { planNodes, rowsRead, type PlanNode } from '../helpers/plans.js';
import { inIdOrder, purgeEventsQuery } from '../../src/platform/events/retention.js';
import type { Executor } from '../../src/platform/db/schema.js';

/**
 * A retention chunk reads no more of the outbox than it removes, whatever the statistics: with the
 * table analysed while empty (a server between two bursts, this machine's PostgreSQL without
 * autovacuum, PGlite always) the planner expects a handful of rows, and a bitmap scan plus a sort of
 * every old event looked as cheap as the ordered index scan; each chunk then read the whole backlog.
 */
describe('a retention chunk over a backlog, after statistics of an empty outbox', () => {
  let d: TestDatabase;
  const BACKLOG = 6000;
  const CHUNK = 100;
  const before = new Date('2030-06-01T00:00:00Z');

  beforeAll(async () => {
    d = await createTestDatabase();
    await sql`vacuum analyze outbox`.execute(d.db);
    await sql`vacuum analyze event_deliveries`.execute(d.db);
    // settled events of April 2030, ids in time order as platform/ids.ts makes them
    await sql`
      insert into outbox (id, type, aggregate_id, payload, created_at, dispatched_at)
      select 'evt_' || lpad(g::text, 10, '0'), 'inventory.changed', 'x', jsonb_build_object('n', g, 'pad', repeat('x', 200)),
             timestamptz '2030-04-01', timestamptz '2030-04-01'
      from generate_series(1, ${BACKLOG}) g`.execute(d.db);
  });
  afterAll(async () => d?.close());

  const readOutbox = (all: PlanNode[]) => rowsRead(all, 'outbox');

  /** The chunk's plan, run and rolled back; in id order as purgeSettledEvents runs it, or plain. */
  async function plan(inOrder: boolean): Promise<PlanNode[]> {
    let root: PlanNode | undefined;
    const explain = async (trx: Executor) => {
      const r = await sql<{
        'QUERY PLAN': [{ Plan: PlanNode }];
      }>`explain (analyze, format json) ${purgeEventsQuery(before, CHUNK, '')}`.execute(trx);
      root = r.rows[0]!['QUERY PLAN'][0].Plan;
      throw new Error('roll back');
    };
    await (inOrder ? inIdOrder(d.db, explain) : d.db.transaction().execute(explain)).catch((e: Error) => {
      if (e.message !== 'roll back') throw e;
    });
    return planNodes(root!);
  }

  it('reads about a chunk of rows in id order, where the plain plan read the whole backlog', async () => {
    const plain = await plan(false);
    const ordered = await plan(true);
    const removed = (all: PlanNode[]) => all.find((n) => n['Node Type'] === 'ModifyTable')!['Actual Rows'];
    expect(removed(ordered)).toBe(CHUNK);
    expect(removed(plain)).toBe(CHUNK);
    // the chunk's scan plus the delete finding each chosen row again by its primary key
    expect(readOutbox(ordered)).toBeLessThanOrEqual(2 * CHUNK + 10);
    expect(ordered.some((n) => n['Node Type'] === 'Sort')).toBe(false);
    // what the fix is for: the plain plan from these statistics reads every old event
    expect(readOutbox(plain)).toBeGreaterThanOrEqual(BACKLOG);
  });
});
