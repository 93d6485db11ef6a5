import { describe, expect, it } from 'vitest';
import { buildGrid, runBody, savingBars } from './planning-data';

const line = (sku: string, loc: string, min: number, max: number, investment = 100) => ({
  sku,
  location_id: loc,
  size: sku.slice(-1),
  min_qty: min,
  max_qty: max,
  investment,
  censored_days: 0,
});

describe('buildGrid', () => {
  it('puts a SKU per row and a store per column, stores by name, with the investment per store', () => {
    const g = buildGrid(
      [line('TEE-M', 'loc_b', 4, 6, 300), line('TEE-M', 'loc_a', 18, 18, 700), line('TEE-L', 'loc_a', 2, 2, 50)],
      new Map([
        ['loc_a', 'Valencia'],
        ['loc_b', 'Bilbao'],
      ]),
    );
    expect(g.stores).toEqual([
      { id: 'loc_b', name: 'Bilbao' },
      { id: 'loc_a', name: 'Valencia' },
    ]);
    expect(g.rows.map((r) => r.sku)).toEqual(['TEE-L', 'TEE-M']);
    expect(g.rows[1]!.cells.loc_a).toEqual({ min: 18, max: 18, censored: 0 });
    expect(g.rows[0]!.cells.loc_b).toBeUndefined();
    expect(g.investment).toEqual({ loc_a: 750, loc_b: 300 });
  });
});

describe('savingBars', () => {
  it('orders stores by the money the pooling saves and rounds units to a tenth', () => {
    const bars = savingBars(
      [
        {
          location_id: 'a',
          safety_alone: 2.849,
          safety_pooled: 2.01,
          safety_saving_value: 839,
          investment: 0,
          safety_region_pooled: 2.44,
        },
        { location_id: 'b', safety_alone: 3.0, safety_pooled: 2.13, safety_saving_value: 870, investment: 0 },
      ],
      new Map([['a', 'A']]),
    );
    expect(bars).toEqual([
      { name: 'b', alone: 3, pooled: 2.1, region_pooled: null, saving_value: 870 },
      { name: 'A', alone: 2.8, pooled: 2, region_pooled: 2.4, saving_value: 839 },
    ]);
  });
});

describe('runBody', () => {
  it('sends a percentage as a fraction, leaves empty fields out and passes the rest as typed', () => {
    expect(runBody({ service_level: '95', review_days: '2', lead_days: '', max_rule: 'order_up_to' })).toEqual({
      service_level: 0.95,
      review_days: 2,
      max_rule: 'order_up_to',
    });
    expect(runBody({ service_level: '0,9', history_days: 'x' })).toEqual({ service_level: 0.9, history_days: NaN });
  });
});
