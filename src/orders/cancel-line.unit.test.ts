import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decide, lineCancelAmounts, type OrderState } from './rules.js';

const state = (status: OrderState['status'], l1Fulfilled = 0): OrderState => ({
  status,
  hold_reason: null,
  lines: [
    { id: 'l1', quantity: 2, fulfilled_quantity: l1Fulfilled },
    { id: 'l2', quantity: 1, fulfilled_quantity: 0 },
  ],
});
const cancel = (line_id: string, quantity: number) => ({ type: 'cancel_line' as const, line_id, quantity });

describe('cancel a line (transition table)', () => {
  it('takes units off one line and keeps the status while others are live', () => {
    const d = decide(state('confirmed'), cancel('l1', 1));
    expect(d.ok && d.next.status).toBe('confirmed');
    expect(d.ok && d.next.lines.find((l) => l.id === 'l1')!.quantity).toBe(1);
  });
  it('the last live units cancel the order', () => {
    const first = decide(state('placed'), cancel('l2', 1));
    if (!first.ok) throw new Error(first.reason);
    const d = decide(first.next, cancel('l1', 2));
    expect(d.ok && d.next.status).toBe('cancelled');
  });
  it('a partially fulfilled order whose unfulfilled rest is cancelled is fulfilled', () => {
    const d = decide(state('partially_fulfilled', 2), cancel('l2', 1));
    expect(d.ok && d.next.status).toBe('fulfilled');
  });
  it('refuses fulfilled units, unknown lines, zero, and orders past fulfilment', () => {
    expect(decide(state('partially_fulfilled', 1), cancel('l1', 2))).toMatchObject({ ok: false, field: 'quantity' });
    expect(decide(state('confirmed'), cancel('nope', 1))).toMatchObject({ ok: false, field: 'line_id' });
    expect(decide(state('confirmed'), cancel('l1', 0))).toMatchObject({ ok: false, field: 'quantity' });
    expect(decide(state('fulfilled'), cancel('l1', 1)).ok).toBe(false);
    expect(decide(state('cancelled'), cancel('l1', 1)).ok).toBe(false);
  });
  it('is admitted on hold (the customer changes their mind during a review)', () => {
    expect(decide({ ...state('confirmed'), hold_reason: 'fraud' }, cancel('l1', 1)).ok).toBe(true);
  });
});

describe('lineCancelAmounts', () => {
  it('splits a line proportionally, tax-inclusive', () => {
    const line = { quantity: 3, unit_price: 1000, discount: 100, total: 2900, tax_amount: 503 };
    expect(lineCancelAmounts(line, 1)).toEqual({ subtotal: 1000, discount: 33, total: 967, tax: 168 });
  });
  it('cancelling unit by unit adds up to the line exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (quantity, total, tax) => {
          let line = { quantity, unit_price: 0, discount: 0, total, tax_amount: tax };
          let sum = 0;
          let taxSum = 0;
          while (line.quantity > 0) {
            const cut = lineCancelAmounts(line, 1);
            sum += cut.total;
            taxSum += cut.tax;
            line = {
              ...line,
              quantity: line.quantity - 1,
              total: line.total - cut.total,
              tax_amount: line.tax_amount - cut.tax,
            };
          }
          expect(sum).toBe(total);
          expect(taxSum).toBe(tax);
        },
      ),
    );
  });
});
