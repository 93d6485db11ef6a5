import { describe, expect, it } from 'vitest';
import { mapPoints, startOfToday, tasksPerLocation } from './network-data';

const fmt = { money: (m: number) => `€${m / 100}`, percent: (r: number) => `${Math.round(r * 100)}%` };
const locations = [
  { id: 'a', name: 'Sol', lat: 40.4, lng: -3.7, daily_capacity: 20 },
  { id: 'w', name: 'DC', lat: 41.6, lng: -0.9, daily_capacity: 0 },
];

describe('network map figures', () => {
  it('counts today’s live tasks per picking location', () => {
    const n = tasksPerLocation([
      { location_id: 'a', status: 'pending' },
      { location_id: 'a', status: 'packed' },
      { location_id: 'a', status: 'cancelled' },
      { location_id: 'w', status: 'rejected' },
    ]);
    expect([...n]).toEqual([['a', 2]]);
  });
  it('colours by stock value or by the share of capacity used; no capacity is no share', () => {
    const figures = {
      value: new Map([['a', 123_450]]),
      tasks: new Map([
        ['a', 5],
        ['w', 9],
      ]),
    };
    expect(mapPoints(locations, 'stock_value', figures, fmt).map((p) => [p.id, p.value, p.label])).toEqual([
      ['a', 123_450, '€1234.5'],
      ['w', 0, '€0'],
    ]);
    expect(mapPoints(locations, 'capacity_use', figures, fmt).map((p) => [p.id, p.value, p.label])).toEqual([
      ['a', 0.25, '25%'],
      ['w', 0, '0%'],
    ]);
  });
  it('starts today at local midnight', () => {
    const d = new Date(startOfToday(new Date(2026, 10, 30, 17, 45)));
    expect([d.getHours(), d.getMinutes(), d.getDate()]).toEqual([0, 0, 30]);
  });
});
