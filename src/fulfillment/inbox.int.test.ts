/**
 * Fulfillment's inbox claims an item and deletes it in one statement (store.takeInbox): a worked item
 * is gone, a failing one comes back (its delete rolled back) with its attempt and back-off recorded
 * (two processes at once: inbox.pg.int.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { FulfillmentInbox, type InboxKind } from './inbox.js';
import type { Clock } from '../platform/clock.js';

const T0 = new Date('2026-12-01T10:00:00Z');
const clock: Clock = { now: () => T0 } as Clock;
let d: TestDatabase | undefined;
afterEach(async () => {
  await d?.close();
  d = undefined;
});

async function rows(db: TestDatabase['db']) {
  return (
    await sql<{ id: string; attempts: number; last_error: string | null; next_at: Date }>`
      select id, attempts, last_error, next_at from fulfillment_inbox order by id`.execute(db)
  ).rows;
}

describe('fulfillment inbox: take (claim + delete) per item', () => {
  it('deletes a worked item; a failing item stays with its attempt, error and back-off', async () => {
    d = await createTestDatabase();
    const seen: string[] = [];
    const inbox = new FulfillmentInbox(d.db, clock, undefined, async (_k: InboxKind, data) => {
      seen.push(String(data.n));
      if (data.n === 2) throw new Error('source failed');
    });
    await inbox.enqueue(
      'order_placed',
      [1, 2, 3].map((n) => ({ id: `evt_${n}`, data: { n } })),
      d.db,
    );
    expect(await inbox.process(10)).toBe(3);
    expect(seen).toEqual(['1', '2', '3']);
    const left = await rows(d.db);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ id: 'evt_2', attempts: 1, last_error: 'source failed' });
    expect(new Date(left[0]!.next_at).getTime()).toBe(T0.getTime() + 1000);
    // Not due yet: nothing is taken.
    expect(await inbox.process(10)).toBe(0);
  });
});
