import { describe, expect, it } from 'vitest';
import { allInStock, decideRecipient, DEFAULT_CAP, readUnsubscribeToken, unsubscribeToken } from './rules.js';

describe('campaign rules', () => {
  it('sends only with consent and under the cap', () => {
    expect(decideRecipient({ consented: false, sentInWindow: 0, cap: DEFAULT_CAP })).toEqual({
      send: false,
      reason: 'no marketing consent',
    });
    expect(decideRecipient({ consented: true, sentInWindow: 1, cap: DEFAULT_CAP })).toEqual({ send: true });
    expect(decideRecipient({ consented: true, sentInWindow: 2, cap: DEFAULT_CAP })).toEqual({
      send: false,
      reason: 'frequency cap',
    });
  });
  it('reminds a cart only when every line is in stock in full', () => {
    const lines = [
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
    ];
    expect(
      allInStock(
        lines,
        new Map([
          ['A', 2],
          ['B', 5],
        ]),
      ),
    ).toBe(true);
    expect(
      allInStock(
        lines,
        new Map([
          ['A', 1],
          ['B', 5],
        ]),
      ),
    ).toBe(false);
    expect(allInStock(lines, new Map([['A', 2]]))).toBe(false);
    expect(allInStock([], new Map())).toBe(false);
  });
  it('signs unsubscribe tokens: altered or foreign tokens are refused, rotated secrets still verify', () => {
    const t = unsubscribeToken('s'.repeat(32), 'cus_1');
    expect(readUnsubscribeToken(['s'.repeat(32)], t)).toEqual({ customer_id: 'cus_1', purpose: 'marketing_email' });
    expect(readUnsubscribeToken(['new'.repeat(11), 's'.repeat(32)], t)).toBeDefined();
    expect(readUnsubscribeToken(['x'.repeat(32)], t)).toBeUndefined();
    const forged = `${Buffer.from(JSON.stringify({ c: 'cus_2', p: 'marketing_email' })).toString('base64url')}.${t.split('.')[1]}`;
    expect(readUnsubscribeToken(['s'.repeat(32)], forged)).toBeUndefined();
    expect(readUnsubscribeToken(['s'.repeat(32)], 'garbage')).toBeUndefined();
  });
});
