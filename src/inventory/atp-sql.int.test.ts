import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { atp } from './rules.js';
import { atpAtLeast } from './store.js';

// The reservation SQL and the availability answer must use the same rule: the SQL predicate that
// guards `reserved = reserved + qty` is true exactly when rules.ts `atp() >= qty`.
describe('the ATP SQL predicate agrees with rules.ts', () => {
  let d: TestDatabase;
  beforeAll(async () => {
    d = await createTestDatabase();
  });
  afterAll(async () => d?.close());

  it('on random levels, policies and quantities (including int4 extremes)', async () => {
    const big = fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 2147483647 }));
    await fc.assert(
      fc.asyncProperty(
        fc
          .record({ on_hand: big, reserved: big, safety_stock: fc.oneof(fc.integer({ min: 0, max: 30 }), big) })
          .filter((l) => l.reserved <= l.on_hand),
        fc.record({ safety_stock: fc.integer({ min: 0, max: 40 }), buffer_pct: fc.integer({ min: 0, max: 100 }) }),
        fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 2147483647 })),
        async (l, p, qty) => {
          const r = await sql<{ ok: boolean }>`
            select ${atpAtLeast(qty, p.safety_stock, p.buffer_pct)} as ok
            from (select ${l.on_hand}::int as on_hand, ${l.reserved}::int as reserved, ${l.safety_stock}::int as safety_stock) s`.execute(
            d.db,
          );
          expect(r.rows[0]!.ok).toBe(atp(l, p) >= qty);
        },
      ),
      { numRuns: 300 },
    );
  });
});
