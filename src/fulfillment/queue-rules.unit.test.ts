import { describe, expect, it } from 'vitest';
import { kindOf, matchCode, misplacedField, planReject, promiseOf, TAB_STATUSES } from './queue-rules.js';
import { FULFILLMENT_STATUSES } from './rules.js';

const task = [
  { line_id: 'l1', sku: 'SHIRT', quantity: 2 },
  { line_id: 'l2', sku: 'TROUSERS', quantity: 1 },
];

describe('queue tabs', () => {
  it('put every status in exactly one tab', () => {
    const all = [...TAB_STATUSES.open, ...TAB_STATUSES.ready, ...TAB_STATUSES.completed];
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual([...FULFILLMENT_STATUSES].sort());
  });
  it('split ship from store and click & collect', () => {
    expect(kindOf('click_collect')).toBe('collect');
    expect(kindOf('home')).toBe('ship');
    expect(kindOf('pickup_point')).toBe('ship');
  });
});

describe('promiseOf', () => {
  const base = {
    method: 'click_collect' as const,
    sla_deadline: '2026-06-01T11:00:00.000Z',
    created_at: '2026-06-01T09:00:00.000Z',
  };
  it('a pending task must be accepted by its SLA deadline, late after it', () => {
    expect(promiseOf({ ...base, status: 'pending' }, null, 3, new Date('2026-06-01T10:00:00Z'))).toEqual({
      kind: 'accept_by',
      due: base.sla_deadline,
      late: false,
    });
    expect(promiseOf({ ...base, status: 'pending' }, null, 3, new Date('2026-06-01T11:00:01Z'))?.late).toBe(true);
  });
  it('an accepted task is due by the promised day’s end, or created + the default days', () => {
    expect(promiseOf({ ...base, status: 'accepted' }, '2026-06-03', 3, new Date('2026-06-03T20:00:00Z'))).toEqual({
      kind: 'collect_by',
      due: '2026-06-03T23:59:59.999Z',
      late: false,
    });
    expect(promiseOf({ ...base, method: 'home', status: 'packed' }, null, 4, new Date('2026-06-06T00:00:00Z'))).toEqual(
      { kind: 'ship_by', due: '2026-06-05T09:00:00.000Z', late: true },
    );
  });
  it('nothing is promised once the task left the open tab', () => {
    expect(promiseOf({ ...base, status: 'handed_over' }, '2026-06-03', 3, new Date())).toBeNull();
  });
});

describe('planReject', () => {
  it('no lines, or every unit, is a whole reject', () => {
    expect(planReject(task, undefined)).toEqual({ kind: 'all' });
    expect(
      planReject(task, [
        { sku: 'SHIRT', quantity: 2 },
        { sku: 'TROUSERS', quantity: 1 },
      ]),
    ).toEqual({ kind: 'all' });
  });
  it('some units: refused and kept', () => {
    expect(planReject(task, [{ sku: 'SHIRT', quantity: 1 }])).toEqual({
      kind: 'some',
      rejected: [{ line_id: 'l1', sku: 'SHIRT', quantity: 1 }],
      kept: [
        { line_id: 'l1', sku: 'SHIRT', quantity: 1 },
        { line_id: 'l2', sku: 'TROUSERS', quantity: 1 },
      ],
    });
  });
  it('refuses unknown SKUs, too many units and nothing at all', () => {
    expect(planReject(task, [{ sku: 'HAT', quantity: 1 }]).kind).toBe('refused');
    expect(planReject(task, [{ sku: 'TROUSERS', quantity: 2 }])).toMatchObject({
      kind: 'refused',
      reason: expect.stringContaining('rejected 2'),
    });
    expect(planReject(task, [{ sku: 'SHIRT', quantity: 0 }]).kind).toBe('refused');
  });
});

describe('matchCode', () => {
  const lines = [
    { sku: 'SHIRT-M', gtin: '8410000000019' },
    { sku: 'HAT', gtin: null },
  ];
  it('finds a line by SKU (any case) or GTIN (with or without leading zeros)', () => {
    expect(matchCode(lines, ' shirt-m ')?.sku).toBe('SHIRT-M');
    expect(matchCode(lines, '8410000000019')?.sku).toBe('SHIRT-M');
    expect(matchCode(lines, '08410000000019')?.sku).toBe('SHIRT-M');
    expect(matchCode(lines, 'hat')?.sku).toBe('HAT');
  });
  it('refuses anything else', () => {
    expect(matchCode(lines, '8410000000026')).toBeUndefined();
    expect(matchCode(lines, '')).toBeUndefined();
  });
});

describe('misplacedField', () => {
  it('parcels and weight go with pack, carrier with ship', () => {
    expect(misplacedField('pack', { parcels: 2, weight_g: 100 })).toBeUndefined();
    expect(misplacedField('ship', { carrier: 'SEUR' })).toBeUndefined();
    expect(misplacedField('accept', { parcels: 1 })).toEqual({
      field: 'parcels',
      message: 'only with the pack action',
    });
    expect(misplacedField('pack', { carrier: 'SEUR' })?.field).toBe('carrier');
  });
});

describe('promiseOf with a ready-by instant', () => {
  it('keeps the instant a pickup promised', () => {
    const task = {
      status: 'accepted' as const,
      method: 'click_collect' as const,
      sla_deadline: '2026-06-01T11:00:00.000Z',
      created_at: '2026-06-01T09:00:00.000Z',
    };
    expect(promiseOf(task, '2026-06-02T16:00:00.000Z', 3, new Date('2026-06-02T17:00:00Z'))).toEqual({
      kind: 'collect_by',
      due: '2026-06-02T16:00:00.000Z',
      late: true,
    });
  });
});
