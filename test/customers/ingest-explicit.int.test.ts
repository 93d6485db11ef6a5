/**
 * Events that name their customer (`customer_id`): the batch's lookup sends back only the ids that are
 * not a plain profile (its own active root, analytics allowed) and the ids nobody has
 * (identity-store.ts `unusualProfiles`); every other id is taken as plain. This checks each state in
 * one batch, COPY-sized on PostgreSQL (>= 8 events) and a small unnest batch too: a plain profile's
 * events are stored, an unknown or erased one's rejected as not_found, a merged member's stored under
 * the member's id, and a person who withdrew analytics consent (member or root) suppressed.
 * Runs on PGlite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { ManualClock } from '../../src/platform/clock.js';
import { CustomersService } from '../../src/customers/service.js';

const NOW = Date.parse('2026-06-15T12:00:00Z');

describe('events naming their customer: plain, unknown, erased, merged, no analytics consent', () => {
  let db: TestDatabase;
  let svc: CustomersService;
  const id: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 2 });
    const clock = new ManualClock(new Date(NOW));
    svc = new CustomersService(db.db, clock, {
      channel: async (c) => (c === 'web' ? { code: c, type: c } : undefined),
      issueCustomerToken: () => ({ token: 't', expires_at: '' }),
    });
    // the absorbed members carry a loyalty card, not a second e-mail (a person holds one e-mail at most)
    for (const who of ['plain', 'erased', 'survivor', 'absorbed', 'denied', 'deniedSurvivor', 'deniedMember'])
      id[who] = (
        await svc.identify({
          identifiers:
            who === 'absorbed' || who === 'deniedMember'
              ? { loyalty_card: `L-${who}` }
              : { email: `${who}@example.com` },
          channel: 'web',
        })
      ).customer_id;
    await svc.erase(id.erased!, 'test');
    await svc.merge(id.survivor!, id.absorbed!, 'test');
    await svc.setConsents(id.denied!, [{ purpose: 'analytics', granted: false }], 'test');
    await svc.merge(id.deniedSurvivor!, id.deniedMember!, 'test');
    await svc.setConsents(id.deniedSurvivor!, [{ purpose: 'analytics', granted: false }], 'test');
  }, 60_000);
  afterAll(async () => db?.close());

  const view = (customer_id: string, n: number) => ({
    type: 'product_viewed',
    timestamp: new Date(NOW - n * 60_000).toISOString(),
    customer_id,
    properties: { product_id: `prd_${n}` },
  });

  for (const copies of [1, 3]) {
    it(`${copies === 1 ? 'a small batch' : 'a COPY-sized batch'}: each id as its state says`, async () => {
      const who = ['plain', 'nobody', 'erased', 'absorbed', 'survivor', 'denied', 'deniedMember', 'deniedSurvivor'];
      const idOf = (w: string) => (w === 'nobody' ? 'cus_doesnotexist' : id[w]!);
      const batch = who.flatMap((w, i) => Array.from({ length: copies }, (_, k) => view(idOf(w), i * 10 + k)));
      const before = await sql<{ customer_id: string; n: number }>`
        select customer_id, count(*)::int as n from customer_events group by 1`.execute(db.db);
      const res = await svc.ingest(batch, { defaultChannel: 'web', source: 'test' });

      const rejectedOf = new Set(res.rejected.map((r) => batch[r.index]!.customer_id));
      expect([...rejectedOf].sort()).toEqual([idOf('nobody'), id.erased!].sort());
      expect(res.rejected.every((r) => r.problem.code === 'not_found')).toBe(true);
      expect(res.accepted).toBe(3 * copies);
      expect(res.suppressed).toBe(3 * copies);

      const after = await sql<{ customer_id: string; n: number }>`
        select customer_id, count(*)::int as n from customer_events group by 1`.execute(db.db);
      const added = new Map(after.rows.map((r) => [r.customer_id, r.n]));
      for (const r of before.rows) added.set(r.customer_id, added.get(r.customer_id)! - r.n);
      for (const [k, n] of [...added]) if (n === 0) added.delete(k);
      expect(Object.fromEntries(added)).toEqual({
        [id.plain!]: copies,
        [id.absorbed!]: copies,
        [id.survivor!]: copies,
      });
    });
  }
});
