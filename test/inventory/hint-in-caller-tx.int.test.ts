import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../helpers/db.js';
import { ManualClock } from '../../src/platform/clock.js';
import { inTx } from '../../src/platform/db/tx.js';
import type { InventoryService } from '../../src/inventory/index.js';
import { oneInventoryProcess, type Retail } from './fixtures.js';

/**
 * A sold-out hint is set only from what a reservation's own transaction saw. Inside a caller's
 * transaction (a checkout batch), "0 available" may come from the caller's own uncommitted
 * reservations, which it can still roll back: such a refusal must not make the next shopper's
 * single-line reservation be refused from the hint while the unit is there.
 */
describe('sold-out hints and a caller’s transaction', () => {
  let d: TestDatabase;
  let r: Retail;
  let inv: InventoryService;
  const clock = new ManualClock('2026-05-01T12:00:00Z');

  beforeAll(async () => {
    ({ d, r, inv } = await oneInventoryProcess(clock, { stores: 1, skus: 1, prefix: 'hc' }));
  });
  afterAll(async () => d?.close());

  it('leaves no hint behind a refusal in a transaction that rolled back', async () => {
    const sku = r.skus[0]!;
    await inv.recordMovement({ sku, location_id: r.stores[0]!.id, type: 'receipt', quantity: 1 });
    const ask = (reference: string) => ({ channel: 'web', lines: [{ sku, quantity: 1 }], ttl_seconds: 300, reference });
    await expect(
      inTx(d.db, undefined, async (trx) => {
        await inv.reserve(ask('hc-1'), { trx });
        await inv.reserve(ask('hc-2'), { trx }); // the caller's own unit makes this one short
      }),
    ).rejects.toMatchObject({ type: 'insufficient_stock' });
    // rolled back: the unit is free again, and the next shopper gets it (no hint says sold out)
    await expect(inv.reserve(ask('hc-3'))).resolves.toMatchObject({ lines: [{ sku, quantity: 1 }] });
  });
});
