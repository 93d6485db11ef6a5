/**
 * Migration 9970: successes delete their delivery rows now (removeDone); the 'done' rows an older
 * version kept are removed once, and nothing else. Run here on rows of each status, on the migrated
 * database (PGlite, or PostgreSQL with OMNIA_TEST_DB=pg).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { readMigrations } from '../../src/platform/db/migrate.js';

describe('migration 9970: done deliveries removed', () => {
  let d: TestDatabase;
  beforeAll(async () => {
    d = await createTestDatabase();
  });
  afterAll(async () => d?.close());

  it('deletes the done rows and keeps pending and dead work', async () => {
    const file = readMigrations().find((m) => m.name.startsWith('9970_'));
    expect(file?.name).toBe('9970_event_deliveries_done_removed.sql');
    const at = new Date('2026-05-01T12:00:00Z');
    await sql`
      insert into event_deliveries (id, event_id, consumer, status, attempts, next_attempt_at, created_at)
      select 'd-' || s || '-' || g, 'ev-' || s || '-' || g, 'c', s, 1, ${at}::timestamptz, ${at}::timestamptz
      from unnest(array['done', 'pending', 'dead']) s, generate_series(1, 3) g`.execute(d.db);
    await sql.raw(file!.sql).execute(d.db);
    const left = await sql<{ status: string; n: number }>`
      select status, count(*)::int as n from event_deliveries group by status order by status`.execute(d.db);
    expect(left.rows).toEqual([
      { status: 'dead', n: 3 },
      { status: 'pending', n: 3 },
    ]);
  });
});
