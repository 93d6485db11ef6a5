import { describe, expect, it } from 'vitest';
import { dayFigures, lastDays, lostHotspots, shipFromStoreShare } from './dashboard-data';

describe("the day's figures", () => {
  const rows = [
    { channel_type: 'web', currency: 'EUR', orders: 3, revenue: 9000, units: 5, click_collect: 1 },
    { channel_type: 'pos', currency: 'EUR', orders: 1, revenue: 12000, units: 4, click_collect: 0 },
    { channel_type: 'web', currency: 'GBP', orders: 1, revenue: 500, units: 1, click_collect: 1 },
  ];
  it('totals the main currency, lists its channels by revenue, and shares click & collect over every order', () => {
    const f = dayFigures(rows);
    expect(f.currency).toBe('EUR');
    expect(f.revenue).toBe(21000);
    expect(f.orders).toBe(5);
    expect(f.byChannel.map((c) => c.channel)).toEqual(['pos', 'web']);
    expect(f.byChannel[1]).toEqual({ channel: 'web', orders: 3, revenue: 9000, units: 5 });
    expect(f.clickCollectShare).toBeCloseTo(2 / 5);
  });
  it('is empty, not wrong, on a day without orders', () => {
    expect(dayFigures([])).toEqual({ orders: 0, revenue: 0, currency: null, byChannel: [], clickCollectShare: 0 });
  });
});

describe('dashboard: ship-from-store, lost-sales hotspots, windows', () => {
  it('shares the day’s home deliveries shipped by stores', () => {
    expect(shipFromStoreShare(8, 2)).toEqual({ home: 8, fromStore: 2, share: 0.25 });
    expect(shipFromStoreShare(0, 0).share).toBe(0);
  });

  it('ranks store × size cells by lost value', () => {
    const cells = [
      { location_id: 'a', size: 'M', units: 2, value: 5000 },
      { location_id: 'b', size: 'S', units: 9, value: 9000 },
      { location_id: 'a', size: 'L', units: 0, value: 0 },
    ];
    expect(lostHotspots(cells, 2).map((c) => `${c.location_id}${c.size}`)).toEqual(['bS', 'aM']);
  });
  it('makes a window of whole UTC days ending tomorrow', () => {
    expect(lastDays(7, new Date('2026-11-30T23:30:00Z'))).toEqual({ from: '2026-11-24', to: '2026-12-01' });
  });
});
