import { describe, expect, it } from 'vitest';
import {
  bandLabel,
  bandOf,
  defaultWindow,
  heatGrid,
  parseMajor,
  parsePercent,
  sizeOrder,
  stackedShares,
} from './analytics-data';

const seg = (o: number, s: number, m: number) => ({
  online_only: { share: o, customers: 0 },
  store_only: { share: s, customers: 0 },
  omnichannel: { share: m, customers: 0 },
});

describe('analytics page shaping', () => {
  it('defaults to the last 183 days, today included', () => {
    expect(defaultWindow(Date.UTC(2026, 10, 30, 17))).toEqual({ from: '2026-06-01', to: '2026-12-01' });
  });

  it('stacks the segment shares per group in percent', () => {
    const r = stackedShares([
      { key: '2026-06', name: '2026-06', customers: 10, segments: seg(0.07, 0.2, 0.73) },
      { key: '2026-07', name: '2026-07', customers: 3, segments: seg(1 / 3, 1 / 3, 1 / 3) },
    ]);
    expect(r.categories).toEqual(['2026-06', '2026-07']);
    expect(r.series).toEqual([
      { segment: 'online_only', data: [7, 33.3] },
      { segment: 'store_only', data: [20, 33.3] },
      { segment: 'omnichannel', data: [73, 33.3] },
    ]);
  });

  it('finds the band of the break-even threshold and labels bands in money', () => {
    const bands = ['0-2499', '2500-4999', '5000+'];
    expect(bandOf(bands, 3000)).toBe(1);
    expect(bandOf(bands, 2499)).toBe(0);
    expect(bandOf(bands, 90000)).toBe(2);
    expect(bandOf(bands, null)).toBe(-1);
    const money = (m: number) => `€${(m / 100).toFixed(2)}`;
    expect(bandLabel('2500-4999', money)).toBe('€25.00–€49.99');
    expect(bandLabel('5000+', money)).toBe('€50.00+');
  });

  it('orders sizes as a shop floor reads them', () => {
    expect(['XL', '38', 'S', 'U', 'M', '36', 'XS'].sort(sizeOrder)).toEqual(['XS', 'S', 'M', 'XL', '36', '38', 'U']);
  });

  it('builds the store × size heat map, largest stores first and cut at the limit', () => {
    const g = heatGrid(
      [
        { location_id: 'a', name: 'A', size: 'M', units: 1, value: 100 },
        { location_id: 'b', name: 'B', size: 'S', units: 2, value: 500 },
        { location_id: 'b', name: 'B', size: 'M', units: 1, value: 50 },
        { location_id: 'c', name: 'C', size: 'L', units: 1, value: 10 },
      ],
      2,
    );
    expect(g.stores).toEqual(['B', 'A']);
    expect(g.sizes).toEqual(['S', 'M', 'L']);
    expect(g.cells).toEqual([
      [1, 1, 100],
      [0, 0, 500],
      [1, 0, 50],
    ]);
    expect(g.max).toBe(500);
  });

  it('parses money and percent inputs without guessing', () => {
    expect(parseMajor('49,95')).toBe(4995);
    expect(parseMajor('50')).toBe(5000);
    expect(parseMajor('1.234')).toBeNull();
    expect(parseMajor('abc')).toBeNull();
    expect(parsePercent('55,5')).toBe(55.5);
    expect(parsePercent('-3')).toBeNull();
  });
});
