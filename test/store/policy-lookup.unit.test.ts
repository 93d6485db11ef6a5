/** The policy's `lookup` action: a store associate finds any order at the counter, and only orders. */
import { describe, expect, it } from 'vitest';
import { decide, listScope, type Subject } from '../../src/platform/auth/policy.js';

const assocX: Subject = { kind: 'staff', role: 'store_associate', locationId: 'loc_X' };
const merch: Subject = { kind: 'staff', role: 'merchandiser', locationId: null };
const webOrder = { kind: 'order' as const, id: 'ord_1', channelId: 'chn_A', locationId: null, customerId: 'cus_C' };
const orderAtY = { ...webOrder, locationId: 'loc_Y' };

describe('lookup', () => {
  it('lets a store associate find an order of any channel or store, but not read it by id or change it', () => {
    expect(decide(assocX, 'lookup', webOrder).allow).toBe(true);
    expect(decide(assocX, 'lookup', orderAtY).allow).toBe(true);
    expect(decide(assocX, 'read', orderAtY).allow).toBe(false);
    expect(decide(assocX, 'write', orderAtY).allow).toBe(false);
  });
  it('is no wider than read for other kinds and roles', () => {
    expect(decide(assocX, 'lookup', { kind: 'fulfillment', locationId: 'loc_Y' }).allow).toBe(false);
    expect(decide(merch, 'lookup', orderAtY).allow).toBe(true);
    expect(decide(merch, 'lookup', { kind: 'cart' }).allow).toBe(false);
    const pub: Subject = { kind: 'api_key', keyKind: 'publishable', channelId: 'chn_A', locationId: null };
    expect(decide(pub, 'lookup', webOrder).allow).toBe(false);
  });
  it('drops the store filter from an associate’s order search only', () => {
    expect(listScope(assocX, 'order', 'lookup')).toEqual({});
    expect(listScope(assocX, 'order')).toEqual({ locationId: 'loc_X' });
    expect(listScope(assocX, 'return', 'lookup')).toEqual({ locationId: 'loc_X' });
  });
});
