/**
 * Fulfillment's inbox on PostgreSQL: two processes working it at once (store.takeInbox claims and
 * deletes an item in one statement, skipping locked ones) take every item exactly once; with no
 * capacity-limited location the claim keeps one generic plan (it was planned afresh on every call
 * once `fulfillments` held rows: docs/scaling.md, "Plans kept").
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

  it('claims without capacity locations on a kept generic plan, with capacity locations reading the packages', async () => {
    d = await createTestDatabase({ forcePg: true, poolSize: 1 });
    // a day of ship-from-store work behind the inbox: what made the generic plan look dear
    await sql`insert into fulfillments (id, order_id, location_id, method, status, lines, sla_deadline, decision_id,
        channel_id, created_at, updated_at)
      select 'ful_' || g, 'ord_' || g, 'loc_' || (g % 50), 'home', 'pending', '[]', ${T0}, 'dec_' || g, 'ch', ${T0}, ${T0}
      from generate_series(1, 20000) g`.execute(d.db);
    await sql`analyze fulfillments`.execute(d.db);
    const facts: (unknown | null)[] = [];
    const inbox = (locations: string[]) =>
      new FulfillmentInbox(d!.db, clock, undefined, async (_k, _data, _trx, order) => void facts.push(order), {
        methods: ['home'],
        capacityLocations: () => Promise.resolve(locations),
      });
    const items = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: `evt_${from + i}`,
        data: { order_id: `new_${from + i}`, delivery: { method: 'home' } },
      }));
    const plain = inbox([]);
    await plain.enqueue('order_placed', items(0, 20), d.db);
    expect(await plain.process(100)).toBe(20);
    const plans = (
      await sql<{ generic_plans: string; custom_plans: string }>`
        select generic_plans, custom_plans from pg_prepared_statements
        where statement like '%delete from fulfillment_inbox%' and statement not like '%fulfillments%'`.execute(d.db)
    ).rows;
    expect(plans).toHaveLength(1);
    expect(Number(plans[0]!.generic_plans)).toBeGreaterThan(0);
    expect(facts).toHaveLength(20);
    for (const f of facts as { attempts: number; packages: { locations: string[]; used: Map<string, number> } }[]) {
      expect(f.attempts).toBe(0);
      expect(f.packages.locations).toEqual([]);
      expect(f.packages.used.size).toBe(0);
    }

    facts.length = 0;
    const limited = inbox(['loc_1', 'loc_2']);
    await limited.enqueue('order_placed', items(100, 3), d.db);
    expect(await limited.process(100)).toBe(3);
    for (const f of facts as { packages: { locations: string[]; used: Map<string, number> } }[]) {
      expect(f.packages.locations).toEqual(['loc_1', 'loc_2']);
      expect([...f.packages.used].sort()).toEqual([
        ['loc_1', 400],
        ['loc_2', 400],
      ]);
    }
  });
});
