import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ACTIONS, FULFILLMENT_STATUSES, TRANSITIONS, codeMatches, decide, type TaskState } from './rules.js';
import { destinationOf } from './destination.js';
import type { Location } from '../network/index.js';

const home: TaskState = { status: 'pending', method: 'home', collectHere: false };
const ccHere: TaskState = { status: 'pending', method: 'click_collect', collectHere: true };
const ccTransfer: TaskState = { status: 'pending', method: 'click_collect', collectHere: false };
const point: TaskState = { status: 'pending', method: 'pickup_point', collectHere: false };

function walk(start: TaskState, actions: string[]): TaskState {
  let s = start;
  for (const a of actions) {
    const d = decide(s, a as never);
    if (!d.ok) throw new Error(`${a} from ${s.status}: ${d.reason}`);
    s = { ...s, status: d.to };
  }
  return s;
}

describe('fulfillment transition table', () => {
  it('home: accept, pick (sale), pack, ship (fulfilled)', () => {
    expect(decide({ ...home, status: 'accepted' }, 'pick')).toMatchObject({
      ok: true,
      to: 'picked',
      effects: ['confirm_sale'],
    });
    expect(decide({ ...home, status: 'packed' }, 'ship')).toMatchObject({
      ok: true,
      to: 'shipped',
      effects: ['mark_fulfilled'],
    });
    expect(walk(home, ['accept', 'pick', 'pack', 'ship']).status).toBe('shipped');
  });
  it('collect where the stock is: ready, handover by the same store', () => {
    expect(walk(ccHere, ['accept', 'pick', 'pack', 'ready', 'handover']).status).toBe('handed_over');
    expect(decide({ ...ccHere, status: 'packed' }, 'ship').ok).toBe(false);
  });
  it('collect elsewhere: stock travels by transfer, sold only at handover', () => {
    expect(decide({ ...ccTransfer, status: 'accepted' }, 'pick')).toMatchObject({ ok: true, effects: [] });
    expect(decide({ ...ccTransfer, status: 'packed' }, 'ship')).toMatchObject({
      ok: true,
      to: 'in_transit',
      effects: ['create_transfer'],
    });
    expect(decide({ ...ccTransfer, status: 'in_transit' }, 'ready').ok).toBe(false);
    expect(decide({ ...ccTransfer, status: 'in_transit' }, 'transfer_received')).toMatchObject({
      ok: true,
      to: 'ready_for_pickup',
      effects: ['reserve_at_destination', 'emit_ready'],
    });
    expect(decide({ ...ccTransfer, status: 'ready_for_pickup' }, 'handover')).toMatchObject({
      ok: true,
      actor: 'destination',
      effects: ['confirm_sale', 'mark_fulfilled'],
    });
  });
  it('pickup point: shipped, then made ready and handed over by the point', () => {
    expect(decide({ ...point, status: 'shipped' }, 'ready')).toMatchObject({ ok: true, actor: 'destination' });
    expect(walk(point, ['accept', 'pick', 'pack', 'ship', 'ready', 'handover']).status).toBe('handed_over');
  });
  it('refuses shipping an unaccepted task, and rejecting after pick', () => {
    expect(decide(home, 'ship')).toMatchObject({ ok: false });
    expect(decide({ ...home, status: 'picked' }, 'reject')).toMatchObject({ ok: false });
  });
  it('rejection and timeout release and re-source', () => {
    expect(decide(home, 'reject')).toMatchObject({ ok: true, to: 'rejected', effects: ['release', 'resource'] });
    expect(decide(home, 'timeout')).toMatchObject({ ok: true, to: 'rejected', effects: ['release', 'resource'] });
    expect(decide({ ...home, status: 'accepted' }, 'timeout').ok).toBe(false);
  });
  it('uncollected: released if it travelled, put back in stock if it was sold at pick', () => {
    expect(decide({ ...ccTransfer, status: 'ready_for_pickup' }, 'expire')).toMatchObject({
      ok: true,
      effects: ['release'],
    });
    expect(decide({ ...ccHere, status: 'ready_for_pickup' }, 'expire')).toMatchObject({
      ok: true,
      effects: ['restock_at_source'],
    });
  });
  it('property: terminal states admit no action, and every transition lands in a known state', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FULFILLMENT_STATUSES),
        fc.constantFrom('home', 'click_collect', 'pickup_point' as const),
        fc.boolean(),
        fc.constantFrom(...ACTIONS, 'timeout', 'transfer_received', 'expire', 'cancel' as const),
        (status, method, collectHere, action) => {
          const d = decide({ status, method, collectHere: method === 'click_collect' && collectHere }, action);
          if (['handed_over', 'rejected', 'cancelled', 'returned_to_stock'].includes(status)) expect(d.ok).toBe(false);
          if (d.ok) expect(FULFILLMENT_STATUSES).toContain(d.to);
        },
      ),
    );
    expect(Object.keys(TRANSITIONS)).toEqual(expect.arrayContaining([...ACTIONS]));
  });
  it('pickup code must match exactly', () => {
    expect(codeMatches('123456', '123456')).toBe(true);
    expect(codeMatches('123456', ' 123456 ')).toBe(true);
    expect(codeMatches('123456', '654321')).toBe(false);
    expect(codeMatches('123456', undefined)).toBe(false);
    expect(codeMatches(null, '123456')).toBe(false);
  });
});

describe('destination of an address', () => {
  const loc = (id: string, city: string, postal: string, lat: number, lng: number) =>
    ({ id, lat, lng, address: { city, postal_code: postal, country: 'ES' } }) as unknown as Location;
  const locs = [
    loc('a', 'Madrid', '28013', 40.4, -3.7),
    loc('b', 'Madrid', '28001', 40.42, -3.68),
    loc('c', 'Zaragoza', '50001', 41.65, -0.88),
  ];
  it('uses coordinates when given, then the city, the postal district, the country', () => {
    expect(destinationOf({ lat: 1, lng: 2 }, locs)).toEqual({ lat: 1, lng: 2 });
    const madrid = destinationOf({ city: 'madrid' }, locs)!;
    expect(madrid.lat).toBeCloseTo(40.41);
    expect(madrid.lng).toBeCloseTo(-3.69);
    expect(destinationOf({ city: 'Utebo', postal_code: '50180' }, locs)).toEqual({ lat: 41.65, lng: -0.88 });
    expect(destinationOf({ city: 'Nowhere', country: 'ES' }, locs)!.lat).toBeCloseTo((40.4 + 40.42 + 41.65) / 3);
  });
});
