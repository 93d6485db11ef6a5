import { describe, expect, it } from 'vitest';
import { fromDecimal, listingsFeed, parseOrdersPage, reportFailures, toDecimal, toOrder } from './mapping.js';
import { MalformedResponseError } from '../types.js';

describe('SP-API mapping', () => {
  it('converts money both ways by the currency’s minor units', () => {
    expect(toDecimal({ amount: 2995, currency: 'EUR' })).toBe(29.95);
    expect(toDecimal({ amount: 500, currency: 'JPY' })).toBe(500);
    expect(fromDecimal('29.95', 'EUR')).toEqual({ amount: 2995, currency: 'EUR' });
    expect(fromDecimal('x', 'EUR')).toBeNull();
  });
  it('writes one PATCH message per SKU with the quantity, and the price only when given', () => {
    const doc = listingsFeed('S1', 'M1', 'PRODUCT', [
      { sku: 'A', quantity: 3 },
      { sku: 'B', quantity: 0, price: { amount: 1000, currency: 'EUR' } },
    ]);
    expect(doc.header).toMatchObject({ sellerId: 'S1', version: '2.0' });
    expect(doc.messages).toHaveLength(2);
    expect(doc.messages[0]).toMatchObject({ messageId: 1, sku: 'A', operationType: 'PATCH' });
    expect((doc.messages[0]!.patches as unknown[]).length).toBe(1);
    expect((doc.messages[1]!.patches as unknown[]).length).toBe(2);
  });
  it('names refused SKUs by messageId, and fails the whole feed when it cannot', () => {
    const report = {
      issues: [
        { messageId: 2, severity: 'ERROR', code: '1', message: 'bad' },
        { messageId: 1, severity: 'WARNING' },
      ],
    };
    expect(reportFailures(report, ['A', 'B']).failed).toEqual([{ sku: 'B', message: '1: bad' }]);
    expect(reportFailures(report, null).wholeFeed).toBe('1: bad');
    expect(() => reportFailures({ issues: 'x' }, null)).toThrow(MalformedResponseError);
  });
  it('refuses an orders page without the documented fields', () => {
    expect(() => parseOrdersPage({ payload: {} })).toThrow(MalformedResponseError);
    expect(() => parseOrdersPage({ payload: { Orders: [{ AmazonOrderId: 'x' }] } })).toThrow(MalformedResponseError);
    const ok = parseOrdersPage({ payload: { Orders: [], NextToken: '' } });
    expect(ok.next).toBeNull();
  });
  it('maps statuses, lines and the unit price from the line total', () => {
    const o = toOrder(
      {
        AmazonOrderId: '1',
        OrderStatus: 'Canceled',
        PurchaseDate: '2026-01-01T00:00:00Z',
        LastUpdateDate: '2026-01-02T00:00:00Z',
      },
      [{ OrderItemId: 'i1', SellerSKU: 'A', QuantityOrdered: 3, ItemPrice: { CurrencyCode: 'EUR', Amount: '30.00' } }],
    );
    expect(o.status).toBe('cancelled');
    expect(o.lines[0]).toEqual({
      external_line_id: 'i1',
      sku: 'A',
      quantity: 3,
      unit_price: { amount: 1000, currency: 'EUR' },
    });
  });
});
