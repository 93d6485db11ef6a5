/**
 * Fulfillment's inbox on PostgreSQL: two processes working it at once (store.takeInbox claims and
 * deletes an item in one statement, skipping locked ones) take every item exactly once.
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

describe('fulfillment inbox on PostgreSQL', () => {
  it('two processes at once take every item exactly once', async () => {
    d = await createTestDatabase({ forcePg: true });
    const seen: string[] = [];
    const handle = async (_k: InboxKind, data: Record<string, unknown>) => {
      await new Promise((r) => setTimeout(r, 2));
      seen.push(String(data.n));
    };
    const a = new FulfillmentInbox(d.db, clock, undefined, handle);
    const b = new FulfillmentInbox(d.db, clock, undefined, handle);
    const n = 60;
    await a.enqueue(
      'order_placed',
      Array.from({ length: n }, (_, i) => ({ id: `evt_${String(i).padStart(3, '0')}`, data: { n: i } })),
      d.db,
    );
    const [x, y] = await Promise.all([a.process(100), b.process(100)]);
    expect(x + y).toBe(n);
    expect(x).toBeGreaterThan(0);
    expect(y).toBeGreaterThan(0);
    expect(new Set(seen).size).toBe(n);
    expect(seen).toHaveLength(n);
    const left = await sql<{ n: number }>`select count(*)::int as n from fulfillment_inbox`.execute(d.db);
    expect(left.rows[0]!.n).toBe(0);
  });
});
