import { describe, expect, it } from 'vitest';
import { emptyPick, returnBody } from './return-form';

const lines = [
  { line_id: 'l1', sku: 'TEE-M', quantity: 2 },
  { line_id: 'l2', sku: 'CAP', quantity: 1 },
];

describe('return at the counter', () => {
  it('returns some units of a line with their condition, refunded to store credit, at the store', () => {
    const r = returnBody(
      'ord_1',
      lines,
      { l1: { ...emptyPick(), quantity: '1', reason: 'too small', condition: 'damaged' }, l2: emptyPick() },
      'store_credit',
      'loc_sol',
      'pos',
    );
    expect(r).toEqual({
      body: {
        order_id: 'ord_1',
        channel: 'pos',
        location_id: 'loc_sol',
        refund: 'store_credit',
        lines: [{ line_id: 'l1', quantity: 1, reason: 'too small', condition: 'damaged' }],
      },
      errors: [],
    });
  });
  it('an exchange swaps the returned units for another size', () => {
    const r = returnBody(
      'ord_1',
      lines,
      { l1: { ...emptyPick(), quantity: '2', reason: 'size', exchange_sku: 'TEE-L' } },
      'original',
      'loc_sol',
    );
    expect(r.body?.exchange).toEqual([{ for_line_id: 'l1', sku: 'TEE-L', quantity: 2 }]);
  });
  it('says how the exchange travels only when there is one and the associate chose', () => {
    const swap = { l1: { ...emptyPick(), quantity: '1', reason: 'too small', exchange_sku: 'TEE-L' } };
    expect(returnBody('ord_1', lines, swap, 'original', 'loc_s', 'pos', 'ship').body?.exchange_delivery).toBe('ship');
    expect(returnBody('ord_1', lines, swap, 'original', 'loc_s', 'pos', 'now').body?.exchange_delivery).toBe('now');
    expect(returnBody('ord_1', lines, swap, 'original', 'loc_s', 'pos').body).not.toHaveProperty('exchange_delivery');
    const plain = { l1: { ...emptyPick(), quantity: '1', reason: 'too small' } };
    expect(returnBody('ord_1', lines, plain, 'original', 'loc_s', 'pos', 'ship').body).not.toHaveProperty(
      'exchange_delivery',
    );
  });
  it('refuses more than bought, broken numbers, a missing reason and an empty return', () => {
    expect(
      returnBody(
        'ord_1',
        lines,
        {
          l1: { ...emptyPick(), quantity: '3', reason: 'x' },
          l2: { ...emptyPick(), quantity: '1' },
        },
        'original',
        null,
      ).errors,
    ).toEqual([
      { line_id: 'l1', key: 'too_many' },
      { line_id: 'l2', key: 'reason_required' },
    ]);
    expect(returnBody('ord_1', lines, { l1: { ...emptyPick(), quantity: '-1' } }, 'original', null).errors).toEqual([
      { line_id: 'l1', key: 'not_whole' },
    ]);
    expect(returnBody('ord_1', lines, {}, 'original', null).errors).toEqual([{ line_id: null, key: 'nothing' }]);
  });
});
