import { describe, expect, it } from 'vitest';
import { MalformedResponseError } from '../types.js';
import {
  batchRequests,
  carrierCode,
  graphErrorCode,
  idempotencyKey,
  parseOrdersPage,
  statusOf,
  toPrice,
} from './mapping.js';

describe('Meta Commerce Platform mapping', () => {
  it("maps Meta's order states: only CREATED and IN_PROGRESS are the seller's to fill", () => {
    expect(statusOf('CREATED')).toBe('unshipped');
    expect(statusOf('IN_PROGRESS')).toBe('unshipped');
    expect(statusOf('FB_PROCESSING')).toBe('pending');
    expect(statusOf('COMPLETED')).toBe('shipped');
    expect(statusOf('CANCELLED')).toBe('cancelled');
  });

  it('follows the next cursor only when Graph gives a next page', () => {
    const o = {
      id: '1',
      order_status: { state: 'CREATED' },
      created: '2026-11-30T10:00:00+00:00',
      last_updated: '2026-11-30T10:00:00+00:00',
    };
    expect(parseOrdersPage({ data: [o], paging: { cursors: { after: 'QQ' }, next: 'https://x' } }).next).toBe('QQ');
    expect(parseOrdersPage({ data: [o], paging: { cursors: { after: 'QQ' } } }).next).toBeNull();
    expect(() => parseOrdersPage({ data: [{ id: '1' }] })).toThrow(MalformedResponseError);
    expect(() => parseOrdersPage({ orders: [] })).toThrow(MalformedResponseError);
  });

  it('writes prices with the currency and keeps quantities at or above zero', () => {
    expect(toPrice({ amount: 1995, currency: 'EUR' })).toBe('19.95 EUR');
    expect(toPrice({ amount: 500, currency: 'JPY' })).toBe('500 JPY');
    expect(batchRequests([{ sku: 'A', quantity: -3 }])).toEqual([
      { method: 'UPDATE', data: { id: 'A', availability: 'out of stock', quantity_to_sell_on_facebook: 0 } },
    ]);
  });

  it('derives the same idempotency key for the same call, another for another', () => {
    expect(idempotencyKey('ship', 'o1', 'T1')).toBe(idempotencyKey('ship', 'o1', 'T1'));
    expect(idempotencyKey('ship', 'o1', 'T1')).not.toBe(idempotencyKey('ship', 'o1', 'T2'));
  });

  it("reads Graph's error code and names carriers by Meta's codes", () => {
    expect(graphErrorCode('{"error":{"code":190,"message":"x"}}')).toBe(190);
    expect(graphErrorCode('not json')).toBeNull();
    expect(carrierCode('Correos')).toBe('CORREOS');
    expect(carrierCode('Some Van')).toBe('OTHER');
  });
});
