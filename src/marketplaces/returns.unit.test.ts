import { describe, expect, it } from 'vitest';
import { linesFor, returnCondition } from './returns.js';

describe('marketplace returns rules', () => {
  it('books defective or damaged returns as damaged, the rest sellable', () => {
    expect(returnCondition('DEFECTIVE', null)).toBe('damaged');
    expect(returnCondition('DAMAGED_BY_CARRIER', 'StandardRefund')).toBe('damaged');
    expect(returnCondition('NO_LONGER_NEEDED', null)).toBe('sellable');
    expect(returnCondition(null, 'Unsellable')).toBe('damaged');
    expect(returnCondition(null, null)).toBe('sellable');
  });

  it("names the order's lines by SKU, spreading over lines of the same SKU; the last takes any excess", () => {
    const order = [
      { line_id: 'l1', sku: 'A', quantity: 1 },
      { line_id: 'l2', sku: 'B', quantity: 2 },
      { line_id: 'l3', sku: 'A', quantity: 1 },
    ];
    expect(linesFor({ lines: [{ sku: 'B', quantity: 1 }] }, order)).toEqual([{ line_id: 'l2', quantity: 1 }]);
    expect(linesFor({ lines: [{ sku: 'A', quantity: 2 }] }, order)).toEqual([
      { line_id: 'l1', quantity: 1 },
      { line_id: 'l3', quantity: 1 },
    ]);
    // More than sold reaches the returns rules, which refuse it (an exception), rather than vanishing here.
    expect(linesFor({ lines: [{ sku: 'A', quantity: 3 }] }, order)).toEqual([
      { line_id: 'l1', quantity: 1 },
      { line_id: 'l3', quantity: 2 },
    ]);
    expect(linesFor({ lines: [{ sku: 'Z', quantity: 1 }] }, order)).toEqual({ unknown: 'Z' });
  });
});
