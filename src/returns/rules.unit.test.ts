import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decideReturn, proratedRefund, type OrderLineFacts, type ReturnFacts } from './rules.js';

const line = (over: Partial<OrderLineFacts> = {}): OrderLineFacts => ({
  line_id: 'l1',
  sku: 'TEE-M',
  product_id: 'p1',
  quantity: 3,
  fulfilled_quantity: 3,
  total: 1000,
  returnable: true,
  returned: 0,
  ...over,
});
const facts = (over: Partial<ReturnFacts> = {}): ReturnFacts => ({
  placedAt: new Date('2026-06-01T00:00:00Z'),
  now: new Date('2026-06-10T00:00:00Z'),
  lines: [line()],
  refundableOnPayment: 1000,
  exchangeProducts: new Map([
    ['TEE-L', 'p1'],
    ['CAP', 'p2'],
  ]),
  ...over,
});
const policy = { windowDays: 30 };

describe('returns decision', () => {
  it('refunds a partial return prorated on what was paid', () => {
    const d = decideReturn(
      facts(),
      { lines: [{ line_id: 'l1', quantity: 1, reason: 'too small' }], refund: 'original' },
      policy,
    );
    expect(d).toMatchObject({
      ok: true,
      refund: 333,
      lines: [{ quantity: 1, refund: 333, restock: 'restock', condition: 'sellable' }],
    });
  });
  it('the last units take the rounding: the whole line refunds exactly its total', () => {
    const d = decideReturn(
      facts({ lines: [line({ returned: 1 })] }),
      { lines: [{ line_id: 'l1', quantity: 2, reason: 'x' }], refund: 'original' },
      policy,
    );
    expect(d).toMatchObject({ ok: true, refund: 1000 - 333 });
  });
  it('damaged units are booked as damage', () => {
    const d = decideReturn(
      facts(),
      { lines: [{ line_id: 'l1', quantity: 1, reason: 'torn', condition: 'damaged' }], refund: 'store_credit' },
      policy,
    );
    expect(d).toMatchObject({ ok: true, lines: [{ restock: 'damage' }] });
  });
  it('refuses: past the window, not returnable, returned already, not delivered, more than paid', () => {
    const one = [{ line_id: 'l1', quantity: 1, reason: 'x' }];
    expect(
      decideReturn(facts({ now: new Date('2026-07-02T00:00:00Z') }), { lines: one, refund: 'original' }, policy),
    ).toMatchObject({ ok: false, type: 'return_window_closed' });
    expect(
      decideReturn(facts({ lines: [line({ returnable: false })] }), { lines: one, refund: 'original' }, policy),
    ).toMatchObject({ ok: false, type: 'not_returnable' });
    expect(
      decideReturn(facts({ lines: [line({ returned: 3 })] }), { lines: one, refund: 'original' }, policy),
    ).toMatchObject({ ok: false, type: 'already_returned' });
    expect(
      decideReturn(facts({ lines: [line({ fulfilled_quantity: 0 })] }), { lines: one, refund: 'original' }, policy),
    ).toMatchObject({ ok: false, type: 'validation_failed' });
    expect(decideReturn(facts(), { lines: one, refund: 'original', refund_amount: 334 }, policy)).toMatchObject({
      ok: false,
      type: 'refund_exceeds_paid',
    });
    expect(decideReturn(facts({ refundableOnPayment: 100 }), { lines: one, refund: 'original' }, policy)).toMatchObject(
      { ok: false, type: 'refund_exceeds_paid' },
    );
    expect(
      decideReturn(facts({ refundableOnPayment: 100 }), { lines: one, refund: 'store_credit' }, policy),
    ).toMatchObject({ ok: true, refund: 333 });
  });
  it('an exchange swaps size of the same product and is not refunded', () => {
    const d = decideReturn(
      facts(),
      {
        lines: [{ line_id: 'l1', quantity: 2, reason: 'size' }],
        refund: 'original',
        exchange: [{ for_line_id: 'l1', sku: 'TEE-L', quantity: 1 }],
      },
      policy,
    );
    expect(d).toMatchObject({ ok: true, refund: 333, exchange: [{ sku: 'TEE-L', quantity: 1 }] });
    const other = decideReturn(
      facts(),
      {
        lines: [{ line_id: 'l1', quantity: 1, reason: 'size' }],
        refund: 'original',
        exchange: [{ for_line_id: 'l1', sku: 'CAP', quantity: 1 }],
      },
      policy,
    );
    expect(other).toMatchObject({ ok: false, type: 'validation_failed' });
    const more = decideReturn(
      facts(),
      {
        lines: [{ line_id: 'l1', quantity: 1, reason: 'size' }],
        refund: 'original',
        exchange: [{ for_line_id: 'l1', sku: 'TEE-L', quantity: 2 }],
      },
      policy,
    );
    expect(more).toMatchObject({ ok: false });
  });
  it('property: successive partial returns never refund more than the line total', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 20 }),
        (qty, total, chunks) => {
          let returned = 0;
          let refunded = 0;
          for (const c of chunks) {
            if (returned + c > qty) break;
            refunded += proratedRefund(total, qty, returned, c);
            returned += c;
          }
          expect(refunded).toBeLessThanOrEqual(total);
          if (returned === qty) expect(refunded).toBe(total);
        },
      ),
    );
  });

  it('Given lines refunding 50, 50 and 1, When 100 is refunded, Then the split is 50/49/1 by largest remainder (never 49/49/2)', () => {
    const lines = [
      line({ line_id: 'a', sku: 'A', quantity: 1, fulfilled_quantity: 1, total: 50 }),
      line({ line_id: 'b', sku: 'B', quantity: 1, fulfilled_quantity: 1, total: 50 }),
      line({ line_id: 'c', sku: 'C', quantity: 1, fulfilled_quantity: 1, total: 1 }),
    ];
    const d = decideReturn(
      facts({ lines, refundableOnPayment: 101 }),
      {
        lines: ['a', 'b', 'c'].map((id) => ({ line_id: id, quantity: 1, reason: 'changed mind' })),
        refund: 'original',
        refund_amount: 100,
      },
      policy,
    );
    expect(d.ok).toBe(true);
    if (d.ok) expect(d.lines.map((l) => l.refund)).toEqual([50, 49, 1]);
  });
  it('property: a smaller refund splits exactly, and no line gets more than its own refund', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 8 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (totals, f) => {
          const lines = totals.map((total, i) =>
            line({ line_id: `l${i}`, sku: `S${i}`, quantity: 1, fulfilled_quantity: 1, total }),
          );
          const sum = totals.reduce((a, b) => a + b, 0);
          const amount = Math.floor(sum * f);
          const d = decideReturn(
            facts({ lines, refundableOnPayment: sum }),
            {
              lines: lines.map((l) => ({ line_id: l.line_id, quantity: 1, reason: 'r' })),
              refund: 'original',
              refund_amount: amount,
            },
            policy,
          );
          expect(d.ok).toBe(true);
          if (!d.ok) return;
          expect(d.lines.reduce((a, l) => a + l.refund, 0)).toBe(amount);
          d.lines.forEach((l, i) => expect(l.refund).toBeLessThanOrEqual(totals[i]!));
        },
      ),
    );
  });
});
