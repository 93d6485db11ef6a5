import { describe, expect, it } from 'vitest';
import { explainDecision } from './sourcing';

describe('sourcing explanation table', () => {
  it('lists the winners first, then the cheapest whole-order options, and the exclusions that counted', () => {
    const x = explainDecision({
      allocations: [{ location_id: 'loc_b' }, { location_id: 'loc_c' }],
      explanation: {
        reason: 'split: no single location has it all',
        excluded: { policy: 2, radius: 0 },
        candidates: [
          { location_id: 'loc_a', distance_km: 5, days: 1, package_cost: 400, covers: 1, whole_order_cost: null },
          { location_id: 'loc_c', distance_km: 50, days: 2, package_cost: 500, covers: 1, whole_order_cost: null },
          { location_id: 'loc_b', distance_km: 10, days: 1, package_cost: 450, covers: 1, whole_order_cost: null },
          { location_id: 'loc_d', distance_km: 300, days: 3, package_cost: 600, covers: 2, whole_order_cost: 2100 },
        ],
      },
    });
    expect(x.candidates.map((c) => [c.location_id, c.chosen])).toEqual([
      ['loc_b', true],
      ['loc_c', true],
      ['loc_d', false],
      ['loc_a', false],
    ]);
    expect(x.excluded).toEqual([{ reason: 'policy', count: 2 }]);
    expect(x.reason).toMatch(/split/);
  });
  it('survives an explanation without candidates', () => {
    expect(explainDecision({ allocations: [], explanation: {} })).toEqual({
      candidates: [],
      excluded: [],
      reason: '',
      why: null,
    });
  });
  it('reads the reason code and its figures for translation, and ignores codes it does not know', () => {
    const x = explainDecision({
      allocations: [{ location_id: 'loc_a' }, { location_id: 'loc_b' }],
      explanation: {
        reason: 'split over loc_a, loc_b at 900: the best single location loc_d would cost 2100',
        reason_code: 'split_cheaper',
        reason_params: {
          locations: ['loc_a', 'loc_b'],
          cost: 900,
          rival_location_id: 'loc_d',
          rival_cost: 2100,
          unsourced: 0,
        },
      },
    });
    expect(x.why).toEqual({
      code: 'split_cheaper',
      locations: ['loc_a', 'loc_b'],
      cost: 900,
      rival: 'loc_d',
      rival_cost: 2100,
      unsourced: 0,
    });
    expect(explainDecision({ allocations: [], explanation: { reason_code: 'made_up' } }).why).toBeNull();
  });
});
