import { describe, expect, it } from 'vitest';
import { planCancelUnits } from './cancel-units.js';

const t = (id: string, status: string, lines: [string, number][]) => ({
  id,
  status,
  lines: lines.map(([line_id, quantity]) => ({ line_id, sku: `sku-${line_id}`, quantity })),
});

describe('planCancelUnits', () => {
  it('takes units from pending tasks before accepted ones, never from picked or shipped ones', () => {
    const plan = planCancelUnits(
      [
        t('a', 'accepted', [['l1', 2]]),
        t('b', 'picked', [['l1', 5]]),
        t('c', 'pending', [
          ['l1', 1],
          ['l2', 1],
        ]),
      ],
      'l1',
      2,
    );
    expect(plan.short).toBe(0);
    expect(plan.changes).toEqual([
      { id: 'c', lines: [{ line_id: 'l2', sku: 'sku-l2', quantity: 1 }] },
      { id: 'a', lines: [{ line_id: 'l1', sku: 'sku-l1', quantity: 1 }] },
    ]);
  });
  it('a task left with nothing has no lines (it is cancelled)', () => {
    expect(planCancelUnits([t('a', 'pending', [['l1', 1]])], 'l1', 1).changes).toEqual([{ id: 'a', lines: [] }]);
  });
  it('says how many units are missing when picked units would be needed', () => {
    expect(planCancelUnits([t('a', 'packed', [['l1', 3]]), t('b', 'accepted', [['l1', 1]])], 'l1', 3).short).toBe(2);
  });
});
