import { describe, expect, it } from 'vitest';
import {
  actionsFor,
  applyScan,
  groupBySize,
  kindOf,
  matchLine,
  pickBody,
  promiseClass,
  rejectBody,
  slipLines,
  tabOf,
  wholeNumber,
  type SheetLine,
} from './queue';

const line = (
  line_id: string,
  sku: string,
  quantity: number,
  size: string | null,
  gtin: string | null = null,
): SheetLine => ({
  line_id,
  sku,
  quantity,
  size,
  gtin,
  product_name: sku,
  colour: null,
  unit_price: 1000,
});
const lines = [
  line('a', 'TEE-L', 1, 'L', '8410000000019'),
  line('b', 'TEE-S', 2, 'S'),
  line('c', 'JEANS-32', 1, '32'),
  line('d', 'CAP', 1, null),
];

describe('tabs and kinds', () => {
  it('fall back to open / all for anything unknown', () => {
    expect(tabOf('ready')).toBe('ready');
    expect(tabOf('later')).toBe('open');
    expect(tabOf(null)).toBe('open');
    expect(kindOf('collect')).toBe('collect');
    expect(kindOf('x')).toBe('all');
  });
});

describe('actionsFor', () => {
  const task = { id: 'f', location_id: 'SOL', destination_location_id: null, method: 'click_collect' as const };
  it('follows the task through the source store', () => {
    expect(actionsFor({ ...task, status: 'pending' }, 'SOL')).toEqual(['accept', 'reject']);
    expect(actionsFor({ ...task, status: 'accepted' }, 'SOL')).toEqual(['pick', 'reject']);
    expect(actionsFor({ ...task, status: 'picked' }, 'SOL')).toEqual(['pack']);
    expect(actionsFor({ ...task, status: 'packed' }, 'SOL')).toEqual(['ready']);
    expect(actionsFor({ ...task, status: 'ready_for_pickup' }, 'SOL')).toEqual(['handover', 'resend']);
    expect(actionsFor({ ...task, status: 'handed_over' }, 'SOL')).toEqual([]);
  });
  it('ships what travels, and lets only the collect location hand over', () => {
    const elsewhere = { ...task, destination_location_id: 'GRAN' };
    expect(actionsFor({ ...elsewhere, status: 'packed' }, 'SOL')).toEqual(['ship']);
    expect(actionsFor({ ...elsewhere, status: 'ready_for_pickup' }, 'SOL')).toEqual([]);
    expect(actionsFor({ ...elsewhere, status: 'ready_for_pickup' }, 'GRAN')).toEqual(['handover', 'resend']);
    expect(actionsFor({ ...elsewhere, status: 'pending' }, 'GRAN')).toEqual([]);
  });
});

describe('groupBySize', () => {
  it('groups lines by size in a natural order, no size last', () => {
    expect(groupBySize(lines).map((g) => g.size)).toEqual(['S', 'L', '32', null]);
  });
});

describe('scanning', () => {
  it('matches a SKU in any case or a GTIN with leading zeros', () => {
    expect(matchLine(lines, 'tee-s')?.line_id).toBe('b');
    expect(matchLine(lines, '08410000000019')?.line_id).toBe('a');
    expect(matchLine(lines, '8410000000026')).toBeUndefined();
  });
  it('counts units up to the line and refuses more', () => {
    let p = {};
    for (let i = 0; i < 2; i++) {
      const r = applyScan(p, lines, 'TEE-S');
      expect(r.ok).toBe(true);
      if (r.ok) p = r.progress;
    }
    expect(p).toEqual({ b: 2 });
    expect(applyScan(p, lines, 'TEE-S')).toEqual({ ok: false, reason: 'done' });
  });
});

describe('pickBody', () => {
  it('a full pick, a short pick naming what was found, or nothing', () => {
    expect(pickBody(lines, { a: 1, b: 2, c: 1, d: 1 })).toEqual({ action: 'pick' });
    expect(pickBody(lines, { a: 1, b: 1 })).toEqual({
      action: 'pick',
      lines: [
        { sku: 'TEE-L', quantity: 1 },
        { sku: 'TEE-S', quantity: 1 },
        { sku: 'JEANS-32', quantity: 0 },
        { sku: 'CAP', quantity: 0 },
      ],
    });
    expect(pickBody(lines, {})).toBeNull();
  });
});

describe('rejectBody', () => {
  it('needs a reason; no units or all units reject the whole task', () => {
    expect(rejectBody(lines, { a: 1 }, '  ')).toBeNull();
    expect(rejectBody(lines, {}, 'closed')).toEqual({ action: 'reject', reason: 'closed' });
    expect(rejectBody(lines, { a: 1, b: 2, c: 1, d: 1 }, 'closed')).toEqual({ action: 'reject', reason: 'closed' });
  });
  it('some units: only those, capped at the line', () => {
    expect(rejectBody(lines, { c: 5 }, 'damaged')).toEqual({
      action: 'reject',
      reason: 'damaged',
      lines: [{ sku: 'JEANS-32', quantity: 1 }],
    });
  });
});

describe('packing slip and forms', () => {
  it('shows no prices on a gift order', () => {
    expect(slipLines(lines, true).every((l) => l.unit_price === null)).toBe(true);
    expect(slipLines(lines, false)[0]!.unit_price).toBe(1000);
    expect(slipLines(lines, null)[0]!.unit_price).toBe(1000);
  });
  it('reads whole numbers and marks late promises', () => {
    expect(wholeNumber('')).toBeUndefined();
    expect(wholeNumber(' 3 ')).toBe(3);
    expect(wholeNumber('2.5')).toBeNaN();
    expect(promiseClass({ late: true })).toBe('promise late');
    expect(promiseClass(null)).toBe('promise');
  });
});
