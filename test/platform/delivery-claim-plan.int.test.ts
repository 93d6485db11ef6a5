import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { planNodes, rowsRead, type PlanNode } from '../helpers/plans.js';
import {
  claimDue,
  claimDueQuery,
  inIndexOrder,
  lockDue,
  lockDueQuery,
} from '../../src/platform/events/deliveries-store.js';

/**
 * The in-transaction consumers' claim takes its rows from a backlog in (next_attempt_at, id) order
 * and reads no more of it than it takes: the claim joined every due row with its event and sorted
 * them all, so with the consumers behind (the checkout benchmark: 14,000 due rows) each claim of 50
 * cost 220 ms, and the backlog grew the faster the bigger it was. The side-effect consumers' claim
 * reads each of its consumers' rows on its own: in the shared order it stepped over the whole
 * in-transaction backlog to find its few rows.
 */
describe('claiming due deliveries from a backlog', () => {
  let d: TestDatabase;
  const BACKLOG = 4000;
  const LIMIT = 50;
  const now = new Date('2026-05-01T12:00:00Z');

  beforeAll(async () => {
    d = await createTestDatabase();
    // 4,000 events, each delivered to two consumers (one of them not asked for), due over the last hour;
    // ids descend while times ascend, so the order of the claim is not the order of the ids alone
    await sql`
      insert into outbox (id, type, aggregate_id, payload, created_at)
      select 'ev-' || lpad(g::text, 5, '0'), 'order.placed', 'o-' || g, jsonb_build_object('n', g, 'pad', repeat('x', 200)),
             ${now}::timestamptz - interval '1 hour'
      from generate_series(1, ${BACKLOG}) g`.execute(d.db);
    await sql`
      insert into event_deliveries (id, event_id, consumer, status, attempts, next_attempt_at, created_at)
      select 'dl-' || c || '-' || lpad((${BACKLOG} - g)::text, 5, '0'), 'ev-' || lpad(g::text, 5, '0'), c, 'pending', 0,
             ${now}::timestamptz - interval '1 hour' + (g / 2) * interval '1 second', ${now}::timestamptz - interval '1 hour'
      from generate_series(1, ${BACKLOG}) g, unnest(array['asked', 'other']) c`.execute(d.db);
    // two side-effect consumers with a few rows each, due after the whole backlog
    await sql`
      insert into event_deliveries (id, event_id, consumer, status, attempts, next_attempt_at, created_at)
      select 'se-' || c || '-' || lpad(g::text, 3, '0'), 'ev-' || lpad(g::text, 5, '0'), c, 'pending', 0,
             ${now}::timestamptz - interval '1 minute' + g * interval '1 second', ${now}::timestamptz - interval '1 hour'
      from unnest(array['mail', 'hook'], array[30, 5]) as k(c, n), generate_series(1, n) g`.execute(d.db);
  });
  afterAll(async () => d?.close());

  /** Rows a plan read from event_deliveries: those its scans returned and those their filters dropped. */
  const readDeliveries = (all: PlanNode[]) => rowsRead(all, 'event_deliveries');

  const plan = async (q = lockDueQuery(['asked'], now, LIMIT), inOrder = true, db = d.db) => {
    // explain analyze runs the statement (its locks, a claim's lease): in a transaction rolled back
    let root: PlanNode | undefined;
    await db
      .transaction()
      .execute(async (trx) => {
        const explain = () =>
          sql<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>`explain (analyze, format json) ${q}`.execute(trx);
        // as lockDue runs its claim (inIndexOrder); the side-effect claim runs as it is
        const res = inOrder ? await inIndexOrder(trx, explain) : await explain();
        root = res.rows[0]!['QUERY PLAN'][0].Plan;
        throw new Error('roll back');
      })
      .catch((e: Error) => {
        if (e.message !== 'roll back') throw e;
      });
    return planNodes(root!);
  };

  /** The claim read no more of the backlog than it takes, and sorted only the rows taken. */
  const expectReadsWhatItTakes = (all: PlanNode[]) => {
    // both consumers' rows interleave in the index: taking 50 of one reads about 100 entries
    expect(readDeliveries(all)).toBeLessThanOrEqual(3 * LIMIT);
    // the only sort is of the rows taken (their events' join may come back in another order)
    for (const s of all.filter((n) => n['Node Type'] === 'Sort'))
      for (const child of s.Plans ?? []) expect(child['Actual Rows']).toBeLessThanOrEqual(LIMIT);
  };

  it('takes the oldest due rows of the asked consumers, in order, with their events', async () => {
    const rows = await d.db.transaction().execute((trx) => lockDue(trx, ['asked'], now, LIMIT));
    expect(rows).toHaveLength(LIMIT);
    expect(rows.every((r) => r.consumer === 'asked')).toBe(true);
    // due times ascend with the event number; two events share each second, the smaller delivery id first
    const expected = Array.from({ length: 51 }, (_, i) => i + 1)
      .sort((a, b) => Math.floor(a / 2) - Math.floor(b / 2) || b - a)
      .slice(0, LIMIT);
    expect(rows.map((r) => r.event_id)).toEqual(expected.map((g) => `ev-${String(g).padStart(5, '0')}`));
    expect(rows[0]!.event.data).toMatchObject({ n: expected[0] });
  });

  it('reads no more of the backlog than it takes', async () => {
    // as autovacuum would have: the planner knows the backlog is large (without statistics it may
    // guess a handful of rows and sort them, which is cheap only while the guess is right)
    await sql`analyze event_deliveries`.execute(d.db);
    await sql`analyze outbox`.execute(d.db);
    expectReadsWhatItTakes(await plan());
  });

  it('claims side effects without stepping over the backlog, oldest first, leased', async () => {
    const lease = new Date(now.getTime() + 60_000);
    const all = await plan(claimDueQuery(['mail', 'hook'], now, lease, 20), false);
    const read = readDeliveries(all);
    // each consumer's scan reads at most 20 rows, the update finds the 20 claimed
    expect(read).toBeLessThanOrEqual(2 * 20 + 20 + 5);
    const got = await claimDue(d.db, ['mail', 'hook'], now, lease, 20);
    // the 20 oldest of both: due times interleave (1 s apart each), so hook's 5 and mail's first 15
    expect(got.map((r) => r.id).sort()).toEqual(
      [
        ...Array.from({ length: 15 }, (_, i) => `se-mail-${String(i + 1).padStart(3, '0')}`),
        ...Array.from({ length: 5 }, (_, i) => `se-hook-${String(i + 1).padStart(3, '0')}`),
      ].sort(),
    );
    expect(got.every((r) => r.attempts === 1)).toBe(true);
    const left = await sql<{ n: number }>`
      select count(*)::int as n from event_deliveries
      where consumer in ('mail', 'hook') and status = 'pending' and next_attempt_at <= ${now}`.execute(d.db);
    expect(left.rows[0]!.n).toBe(15);
  });

  it('reads no more of a backlog that came after statistics of a drained queue', async () => {
    // the statistics a server takes between two bursts (the checkout benchmark takes them after its
    // carts are built): every delivery ended (deleted), the table vacuumed empty, then a backlog of
    // 8,000 due rows and a claim for the thirty consumers a worker runs. From those statistics the
    // planner expects a row or two and, with bitmap scans on, read and sorted the whole backlog.
    const q = await createTestDatabase();
    try {
      await sql`
        insert into outbox (id, type, aggregate_id, payload, created_at)
        select 'ev-' || g, 'order.placed', 'o-' || g, '{}'::jsonb, ${now}::timestamptz - interval '1 hour'
        from generate_series(1, ${BACKLOG}) g`.execute(q.db);
      await sql`
        insert into event_deliveries (id, event_id, consumer, status, attempts, next_attempt_at, created_at)
        select 'old-' || g, 'gone-' || g, 'asked', 'pending', 0,
               ${now}::timestamptz - interval '2 hours', ${now}::timestamptz - interval '2 hours'
        from generate_series(1, 2000) g`.execute(q.db);
      await sql`delete from event_deliveries`.execute(q.db);
      await sql`vacuum analyze event_deliveries`.execute(q.db);
      await sql`
        insert into event_deliveries (id, event_id, consumer, status, attempts, next_attempt_at, created_at)
        select 'dl-' || c || '-' || lpad(g::text, 5, '0'), 'ev-' || g, c, 'pending', 0,
               ${now}::timestamptz - interval '1 hour' + (g / 2) * interval '1 second', ${now}::timestamptz - interval '1 hour'
        from generate_series(1, ${BACKLOG}) g, unnest(array['asked', 'other']) c`.execute(q.db);
      const consumers = ['asked', ...Array.from({ length: 29 }, (_, i) => `idle-${i}`)];
      expectReadsWhatItTakes(await plan(lockDueQuery(consumers, now, LIMIT), true, q.db));
      const got = await q.db.transaction().execute(async (trx) => {
        const rows = await lockDue(trx, consumers, now, LIMIT);
        // bitmap scans are back on for the consumers' own statements in the same transaction
        const on = await sql<{ v: string }>`select current_setting('enable_bitmapscan') as v`.execute(trx);
        expect(on.rows[0]!.v).toBe('on');
        return rows.map((r) => r.consumer);
      });
      expect(got).toEqual(Array(LIMIT).fill('asked'));
    } finally {
      await q.close();
    }
  });
});
