import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { AppError } from '../../src/platform/http/problems.js';
import { runChecks } from '../../src/platform/doctor.js';
import { inventoryChecks, type Reservation } from '../../src/inventory/index.js';
import { setupRetail, type Retail } from './fixtures.js';

/**
 * Random interleavings of reserve / release / confirm / receive / count / transfer from several
 * concurrent clients on PostgreSQL (real connections, real row locks). After every run the doctor's
 * invariants hold: on-hand = ledger, reserved = active reservations, nothing available below zero,
 * and every granted reservation is in the database as granted.
 */
type Op =
  | { k: 'reserve'; sku: number; qty: number; loc: number | null; lines: number }
  | { k: 'release'; i: number }
  | { k: 'confirm'; i: number; part: boolean }
  | { k: 'receive'; sku: number; loc: number; qty: number }
  | { k: 'count'; sku: number; loc: number; qty: number }
  | { k: 'transfer'; sku: number; from: number; to: number; qty: number };

const SKUS = 2;
const LOCS = 3;
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constant('reserve' as const),
      sku: fc.nat(SKUS - 1),
      qty: fc.integer({ min: 1, max: 4 }),
      loc: fc.option(fc.nat(LOCS - 1)),
      lines: fc.integer({ min: 1, max: 2 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('release' as const), i: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('confirm' as const), i: fc.nat(20), part: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('receive' as const),
      sku: fc.nat(SKUS - 1),
      loc: fc.nat(LOCS - 1),
      qty: fc.integer({ min: 1, max: 5 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('count' as const),
      sku: fc.nat(SKUS - 1),
      loc: fc.nat(LOCS - 1),
      qty: fc.integer({ min: 0, max: 8 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('transfer' as const),
      sku: fc.nat(SKUS - 1),
      from: fc.nat(LOCS - 1),
      to: fc.nat(LOCS - 1),
      qty: fc.integer({ min: 1, max: 3 }),
    }),
  },
);
/** Problems a client may legitimately get back; anything else fails the property. */
const EXPECTED = new Set([
  'insufficient_stock',
  'already_released',
  'invalid_transition',
  'validation_failed',
  'unprocessable',
  'conflict',
]);

describe('concurrent clients never break the inventory invariants (PostgreSQL)', () => {
  let t: TestApp;
  let run = 0;
  beforeAll(async () => {
    t = await startTestApp({ database: await createTestDatabase({ forcePg: true, poolSize: 12 }) });
    await t.omnia.services.network.createChannel({
      code: 'web',
      type: 'web',
      name: 'Web',
      stock_policy: { safety_stock: 1 },
    });
  });
  afterAll(async () => t?.close());

  it('holds after random interleavings', async () => {
    const inv = t.omnia.services.inventory;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { minLength: 1, maxLength: 12 }), { minLength: 2, maxLength: 5 }),
        async (clients) => {
          const r: Retail = await setupRetail(t.omnia.services, { stores: LOCS, skus: SKUS, prefix: `p${run++}` });
          const locs = r.stores.map((s) => s.id);
          for (const sku of r.skus)
            for (const loc of locs) await inv.recordMovement({ sku, location_id: loc, type: 'receipt', quantity: 3 });
          const granted: Reservation[] = [];
          const oneClient = async (ops: Op[]) => {
            const mine: Reservation[] = [];
            for (const o of ops) {
              try {
                switch (o.k) {
                  case 'reserve': {
                    const lines = Array.from({ length: o.lines }, (_, j) => ({
                      sku: r.skus[(o.sku + j) % SKUS]!,
                      quantity: o.qty,
                      ...(o.loc !== null ? { location_id: locs[o.loc] } : {}),
                    }));
                    const res = await inv.reserve({ channel: 'web', lines, ttl_seconds: 600, reference: 'prop' });
                    mine.push(res);
                    granted.push(res);
                    break;
                  }
                  case 'release':
                    if (mine.length) await inv.release(mine[o.i % mine.length]!.id);
                    break;
                  case 'confirm': {
                    const res = mine[o.i % Math.max(1, mine.length)];
                    if (!res) break;
                    if (o.part) await inv.confirmLines(res.id, [{ sku: res.lines[0]!.sku, quantity: 1 }]);
                    else await inv.confirm(res.id);
                    break;
                  }
                  case 'receive':
                    await inv.recordMovement({
                      sku: r.skus[o.sku]!,
                      location_id: locs[o.loc]!,
                      type: 'receipt',
                      quantity: o.qty,
                    });
                    break;
                  case 'count':
                    await inv.recordMovement({
                      sku: r.skus[o.sku]!,
                      location_id: locs[o.loc]!,
                      type: 'count',
                      quantity: o.qty,
                    });
                    break;
                  case 'transfer': {
                    const tr = await inv.createTransfer({
                      from_location_id: locs[o.from]!,
                      to_location_id: locs[o.to]!,
                      lines: [{ sku: r.skus[o.sku]!, quantity: o.qty }],
                    });
                    await inv.receiveTransfer(tr.id, { lines: [{ sku: r.skus[o.sku]!, quantity: o.qty }] });
                    break;
                  }
                }
              } catch (err) {
                if (!(err instanceof AppError) || !EXPECTED.has(err.type)) throw err;
              }
            }
          };
          await Promise.all(clients.map(oneClient));
          const results = await runChecks(t.omnia.ctx.db, inventoryChecks, t.omnia.ctx.clock.now());
          expect(results.filter((c) => c.result.status !== 'ok')).toEqual([]);
          for (const g of granted) {
            const now = await inv.getReservation(g.id);
            expect(now.lines.map((l) => l.quantity + l.confirmed)).toEqual(g.lines.map((l) => l.quantity));
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
