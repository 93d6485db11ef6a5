import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allocateFifo,
  atp,
  bestLocation,
  manualDelta,
  manualQuantityError,
  mergeLines,
  receiveTransfer,
  transitionError,
} from './rules.js';

const level = fc
  .record({
    on_hand: fc.integer({ min: 0, max: 1000 }),
    reserved: fc.integer({ min: 0, max: 1000 }),
    safety_stock: fc.integer({ min: 0, max: 20 }),
  })
  .filter((l) => l.reserved <= l.on_hand);
const policy = fc.record({
  locations: fc.constant('all' as const),
  safety_stock: fc.integer({ min: 0, max: 20 }),
  buffer_pct: fc.integer({ min: 0, max: 100 }),
});

describe('ATP', () => {
  it('holds back the larger safety stock, then the buffer percentage, rounding the promise down', () => {
    expect(atp({ on_hand: 20, reserved: 0, safety_stock: 1 }, { safety_stock: 2, buffer_pct: 50 })).toBe(9);
    expect(atp({ on_hand: 10, reserved: 3, safety_stock: 5 }, { safety_stock: 0, buffer_pct: 0 })).toBe(2);
    expect(atp({ on_hand: 3, reserved: 3, safety_stock: 0 }, { safety_stock: 0, buffer_pct: 0 })).toBe(0);
    expect(atp({ on_hand: 3, reserved: 0, safety_stock: 5 }, { safety_stock: 0, buffer_pct: 0 })).toBe(0);
  });
  it('never promises more than is free, never below zero', () => {
    fc.assert(
      fc.property(level, policy, (l, p) => {
        const a = atp(l, p);
        return a >= 0 && a <= Math.max(0, l.on_hand - l.reserved);
      }),
    );
  });
});

describe('batch allocation', () => {
  it('grants FIFO, all-or-none per request, never more than one-by-one requests would get', () => {
    const loc = fc.tuple(fc.constantFrom('a', 'b', 'c'), level);
    fc.assert(
      fc.property(
        fc.array(loc, { maxLength: 3 }),
        policy,
        fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 40 }),
        (locs, p, qtys) => {
          const uniq = [...new Map(locs.map(([id, l]) => [id, { ...l, location_id: id }])).values()];
          const { grants, added } = allocateFifo(
            uniq,
            p,
            qtys.map((quantity) => ({ quantity })),
          );
          // the same requests one after another against the same state
          const state = uniq.map((l) => ({ ...l }));
          qtys.forEach((q, i) => {
            const id = bestLocation(state, p, q);
            expect(grants[i]).toBe(id);
            if (id) state.find((l) => l.location_id === id)!.reserved += q;
          });
          for (const l of state) {
            expect(l.reserved).toBeLessThanOrEqual(l.on_hand);
            expect(added.get(l.location_id) ?? 0).toBe(
              l.reserved - uniq.find((u) => u.location_id === l.location_id)!.reserved,
            );
          }
        },
      ),
    );
  });
});

describe('lines, movements, transitions, transfers', () => {
  it('merges duplicate lines and sorts them into lock order', () => {
    expect(
      mergeLines([
        { sku: 'B', quantity: 1 },
        { sku: 'A', quantity: 2, location_id: 'x' },
        { sku: 'B', quantity: 3 },
      ]),
    ).toEqual([
      { sku: 'A', quantity: 2, location_id: 'x' },
      { sku: 'B', quantity: 4 },
    ]);
  });
  it('turns manual movements into signed deltas and refuses nonsense', () => {
    expect(manualDelta('count', 7, 10)).toBe(-3);
    expect(manualDelta('damage', 2, 10)).toBe(-2);
    expect(manualQuantityError('receipt', 0)).toBeTruthy();
    expect(manualQuantityError('adjustment', 0)).toBeTruthy();
    expect(manualQuantityError('adjustment', -4)).toBeUndefined();
    expect(manualQuantityError('count', 0)).toBeUndefined();
    expect(manualQuantityError('count', 2 ** 31)).toBeTruthy();
  });
  it('allows release and confirm only from active', () => {
    expect(transitionError('active', 'release')).toBeUndefined();
    expect(transitionError('released', 'release')).toBe('already_released');
    expect(transitionError('expired', 'confirm')).toBe('already_released');
    expect(transitionError('confirmed', 'release')).toBe('invalid_transition');
  });
  it('receives transfers in parts and books the shortfall on close', () => {
    const open = [{ sku: 'A', shipped: 5, received: 0 }];
    expect(receiveTransfer(open, [{ sku: 'A', quantity: 2 }], false)).toMatchObject({
      status: 'partially_received',
      lines: [{ received: 2, in_transit_release: 2, discrepancy: null }],
    });
    expect(receiveTransfer(open, [{ sku: 'A', quantity: 2 }], true)).toMatchObject({
      status: 'received',
      lines: [{ received: 2, in_transit_release: 5, discrepancy: 3 }],
    });
    expect(receiveTransfer(open, [{ sku: 'A', quantity: 6 }], false).errors).toHaveLength(1);
    expect(receiveTransfer(open, [{ sku: 'Z', quantity: 1 }], false).errors).toHaveLength(1);
  });
});
