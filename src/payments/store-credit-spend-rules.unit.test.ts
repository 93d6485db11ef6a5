import { describe, expect, it } from 'vitest';
import { remainderAfterCredit, tenderErrors } from './store-credit-spend-rules.js';
import { normaliseCode } from '../platform/codes.js';

const ok = { customer: true, normalise: normaliseCode };

describe('credit tenders at checkout', () => {
  it('accepts the own balance and a gift card together up to the total', () => {
    const tenders = [
      { method: 'store_credit' as const, amount: 1000 },
      { method: 'gift_card' as const, code: 'GC-AAAA', amount: 995 },
    ];
    expect(tenderErrors(tenders, 1995, ok)).toEqual([]);
    expect(remainderAfterCredit(1995, tenders)).toBe(0);
    expect(remainderAfterCredit(5000, tenders)).toBe(3005);
  });

  it('refuses more credit than the total (no change is given from credit)', () => {
    expect(tenderErrors([{ method: 'store_credit', amount: 2001 }], 2000, ok)).toEqual([
      { field: 'credits', message: 'the credit (2001) is more than the order total (2000)' },
    ]);
  });

  it('refuses the own balance for a guest, and listed twice', () => {
    expect(tenderErrors([{ method: 'store_credit', amount: 1 }], 10, { ...ok, customer: false })[0]!.field).toBe(
      'credits/0/method',
    );
    const twice = tenderErrors(
      [
        { method: 'store_credit', amount: 1 },
        { method: 'store_credit', amount: 2 },
      ],
      10,
      ok,
    );
    expect(twice).toEqual([{ field: 'credits/1/method', message: 'the store credit balance is listed twice' }]);
  });

  it('refuses the same gift card twice, however it is typed', () => {
    const e = tenderErrors(
      [
        { method: 'gift_card', code: 'GC-ab10', amount: 1 },
        { method: 'gift_card', code: ' gc-AB1O ', amount: 1 },
      ],
      10,
      ok,
    );
    expect(e).toEqual([{ field: 'credits/1/code', message: 'this gift card is listed twice' }]);
  });

  it('refuses zero, negative and fractional amounts', () => {
    const e = tenderErrors(
      [
        { method: 'store_credit', amount: 0 },
        { method: 'gift_card', code: 'GC-1', amount: 1.5 },
      ],
      10,
      ok,
    );
    expect(e.map((x) => x.field)).toEqual(['credits/0/amount', 'credits/1/amount']);
  });
});
