import { describe, expect, it } from 'vitest';
import { receiptBody } from './receipt';

const lines = [
  { sku: 'A', shipped: 5, received: 1 },
  { sku: 'B', shipped: 2, received: 0 },
];

describe('transfer receipt', () => {
  it('defaults each line to what is still expected', () => {
    expect(receiptBody(lines, {}, false, '')).toEqual({
      body: {
        lines: [
          { sku: 'A', quantity: 4 },
          { sku: 'B', quantity: 2 },
        ],
      },
      errors: [],
      shortfall: 0,
    });
  });
  it('a partial receipt stays open without a reason', () => {
    expect(receiptBody(lines, { A: '2', B: '' }, false, '').body).toEqual({
      lines: [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 0 },
      ],
    });
  });
  it('closing short needs a reason, which is then sent', () => {
    expect(receiptBody(lines, { A: '3' }, true, ' ').errors).toEqual([{ sku: null, key: 'reason_required' }]);
    const ok = receiptBody(lines, { A: '3' }, true, 'crushed box');
    expect(ok.body).toMatchObject({ close: true, reason: 'crushed box' });
    expect(ok.shortfall).toBe(1);
  });
  it('closing complete sends no reason', () => {
    expect(receiptBody(lines, {}, true, 'x').body).not.toHaveProperty('reason');
  });
  it('refuses more than expected or a broken number rather than clamping it', () => {
    expect(receiptBody(lines, { A: '5', B: '1.5' }, false, '').errors).toEqual([
      { sku: 'A', key: 'too_many' },
      { sku: 'B', key: 'not_whole' },
    ]);
  });
});
