/** Given/When/Then: where a batch of coalesced reservations reserves, and what it grants on the locked rows. */
import { describe, expect, it } from 'vitest';
import { batchLockPlan, grantOnLocked, type PolicyView } from './rules.js';

const policy: PolicyView = { locations: 'all', safety_stock: 0, buffer_pct: 0 };
const level = (sku: string, location_id: string, on_hand: number, reserved = 0) => ({
  sku,
  location_id,
  on_hand,
  reserved,
  safety_stock: 0,
});

describe('batchLockPlan (where to reserve)', () => {
  it('given two SKUs, when planned, then only the rows granted from are locked, in (SKU, location) order', () => {
    const read = [level('B', 'loc2', 5), level('B', 'loc1', 1), level('A', 'loc3', 2), level('A', 'loc1', 9)];
    const asks = new Map([
      ['B', [{ quantity: 1 }, { quantity: 1 }]],
      ['A', [{ quantity: 1 }]],
    ]);
    expect(batchLockPlan(read, policy, asks)).toEqual([
      { sku: 'A', location_id: 'loc1' },
      { sku: 'B', location_id: 'loc2' },
    ]);
  });
  it('given a request bound to a location, then that location is planned even when another has more', () => {
    const read = [level('A', 'big', 50), level('A', 'small', 2)];
    expect(batchLockPlan(read, policy, new Map([['A', [{ quantity: 1, location_id: 'small' }]]]))).toEqual([
      { sku: 'A', location_id: 'small' },
    ]);
  });
  it('given nothing available, then nothing is locked', () => {
    expect(batchLockPlan([level('A', 'x', 0)], policy, new Map([['A', [{ quantity: 1 }]]]))).toEqual([]);
  });
});

describe('grantOnLocked (what the locked rows grant)', () => {
  it('given the locked rows as read, when granted, then FIFO grants, the units added and the levels after', () => {
    const read = [level('A', 'x', 3)];
    const g = grantOnLocked('A', read, read, policy, [{ quantity: 2 }, { quantity: 2 }, { quantity: 1 }]);
    expect(g.grants).toEqual(['x', undefined, 'x']);
    expect([...g.added]).toEqual([['x', 3]]);
    expect(g.after).toEqual([level('A', 'x', 3, 3)]);
  });
  it('given rows that sold meanwhile, when the plan granted a request the lock no longer covers, then it retries alone', () => {
    const read = [level('A', 'x', 2)];
    const locked = [level('A', 'x', 2, 1)];
    const g = grantOnLocked('A', read, locked, policy, [{ quantity: 1 }, { quantity: 1 }]);
    expect(g.grants).toEqual(['x', 'retry_alone']);
    expect(g.after).toEqual([level('A', 'x', 2, 2)]);
  });
  it('given more asked than the read ever had, then the request is refused, not retried', () => {
    const read = [level('A', 'x', 1)];
    expect(grantOnLocked('A', read, read, policy, [{ quantity: 1 }, { quantity: 1 }]).grants).toEqual(['x', undefined]);
  });
});
