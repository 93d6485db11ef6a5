import { describe, expect, it } from 'vitest';
import {
  batchLockKeys,
  HOT_SHARE,
  lockKey,
  lockNames,
  MAX_BATCH,
  MAX_IN_FLIGHT,
  MIN_NEXT,
  SkuPressure,
  startsCheckoutBatch,
  type LockScope,
} from './checkout-batch-rules.js';

const scope = (over: Partial<LockScope> = {}): LockScope => ({
  cartId: 'cart_1',
  skus: ['A'],
  coupons: [],
  creditAccounts: [],
  customerId: null,
  ...over,
});

describe('checkout batch window', () => {
  it('starts a lone checkout at once when nothing is in flight', () => {
    expect(startsCheckoutBatch(0, 1, MAX_IN_FLIGHT)).toBe(true);
  });
  it('starts nothing for an empty queue', () => {
    expect(startsCheckoutBatch(0, 0, MAX_IN_FLIGHT)).toBe(false);
    expect(startsCheckoutBatch(1, 0, MAX_IN_FLIGHT)).toBe(false);
  });
  it('leaves a few waiting checkouts to the running batch instead of a tiny second one', () => {
    expect(startsCheckoutBatch(1, 1, MAX_IN_FLIGHT)).toBe(false);
    expect(startsCheckoutBatch(1, MIN_NEXT - 1, MAX_IN_FLIGHT)).toBe(false);
    expect(startsCheckoutBatch(1, MIN_NEXT, MAX_IN_FLIGHT)).toBe(true);
  });
  it('never runs more than the bound in flight', () => {
    expect(startsCheckoutBatch(MAX_IN_FLIGHT, 10_000, MAX_IN_FLIGHT)).toBe(false);
    expect(startsCheckoutBatch(1, 10_000, 1)).toBe(false);
  });
  it('keeps a batch well under the 64 subtransactions PostgreSQL caches per backend', () => {
    expect(MAX_BATCH).toBeGreaterThan(1);
    expect(MAX_BATCH).toBeLessThanOrEqual(32);
  });
});

describe('checkout batch lock order', () => {
  it('names every thing a checkout locks, coupons case-insensitively', () => {
    expect(
      lockNames(scope({ skus: ['A', 'B'], coupons: ['sale10'], creditAccounts: ['acc_1'], customerId: 'cus_1' })),
    ).toEqual(['cart:cart_1', 'sku:A', 'sku:B', 'coupon:SALE10', 'credit:acc_1', 'customer:cus_1']);
  });
  it('hashes a name to the same int4 every time, different names apart', () => {
    expect(lockKey('sku:A')).toBe(lockKey('sku:A'));
    expect(lockKey('sku:A')).not.toBe(lockKey('sku:B'));
    for (const n of ['sku:A', 'cart:x', 'coupon:SALE10', ''])
      expect(Number.isInteger(lockKey(n)) && lockKey(n) >= -(2 ** 31) && lockKey(n) < 2 ** 31).toBe(true);
  });
  it('gives a batch its keys distinct and ascending, whatever the order of its checkouts', () => {
    const a = scope({ cartId: 'c1', skus: ['HOT', 'X'] });
    const b = scope({ cartId: 'c2', skus: ['Y', 'HOT'], customerId: 'cus' });
    const keys = batchLockKeys([a, b]);
    expect(keys).toEqual([...keys].sort((x, y) => x - y));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(6); // 2 carts, 3 SKUs (HOT once), 1 customer
    expect(batchLockKeys([b, a])).toEqual(keys);
  });
  it('makes two batches sharing a SKU take it in the same relative order (no lock cycle)', () => {
    const one = batchLockKeys([scope({ cartId: 'c1', skus: ['P', 'Q'] }), scope({ cartId: 'c2', skus: ['R'] })]);
    const two = batchLockKeys([scope({ cartId: 'c3', skus: ['R'] }), scope({ cartId: 'c4', skus: ['Q', 'P'] })]);
    const shared = one.filter((k) => two.includes(k));
    expect(shared).toHaveLength(3);
    expect(two.filter((k) => one.includes(k))).toEqual(shared);
  });
});

describe('SKU pressure (which checkouts are worth batching)', () => {
  it('batches a checkout once HOT_SHARE checkouts in their open phase want one of its SKUs', () => {
    const p = new SkuPressure();
    const hot = Array.from({ length: HOT_SHARE + 1 }, (_, i) => p.enter(['HOT', `S${i}`]));
    expect(hot).toEqual([...Array(HOT_SHARE - 1).fill(false), true, true]);
    expect(p.enter(['S0'])).toBe(false); // a spread SKU wanted twice: alone
  });
  it('counts a SKU once per checkout and forgets what left', () => {
    const p = new SkuPressure();
    expect(p.enter(Array(HOT_SHARE).fill('DUP'))).toBe(false);
    for (let i = 0; i < HOT_SHARE - 1; i++) p.enter(['X']);
    p.leave(['X']);
    expect(p.enter(['X'])).toBe(false);
    p.leave(['X']);
    for (let i = 0; i < HOT_SHARE - 2; i++) p.leave(['X']);
    p.leave(Array(HOT_SHARE).fill('DUP'));
    expect(p.size).toBe(0);
  });
});
