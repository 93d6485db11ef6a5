import { describe, expect, it } from 'vitest';
import { lastDays, lostHotspots, pastSla, shipFromStoreShare, todayFigures, type OrderLite } from './dashboard-data';

const order = (o: Partial<OrderLite>): OrderLite => ({
  status: 'placed',
  channel_type: 'web',
  placed_at: '2026-03-05T10:00:00Z',
  total: { amount: 1000, currency: 'EUR' },
  lines: [{ quantity: 1 }],
  delivery: { method: 'home' },
  ...o,
});

describe("today's figures", () => {
  it('counts today’s orders by channel, leaves out cancelled and other days, and the click & collect share', () => {
    const f = todayFigures(
      [
        order({ lines: [{ quantity: 2 }, { quantity: 1 }] }),
        order({ channel_type: 'pos', total: { amount: 5000, currency: 'EUR' }, delivery: { method: 'click_collect' } }),
        order({ status: 'cancelled' }),
        order({ placed_at: '2026-03-04T23:59:59Z' }),
      ],
      '2026-03-05T00:00:00Z',
      '2026-03-06T00:00:00Z',
    );
    expect(f.orders).toBe(2);
    expect(f.revenue).toBe(6000);
    expect(f.byChannel).toEqual([
      { channel: 'pos', orders: 1, revenue: 5000, units: 1 },
      { channel: 'web', orders: 1, revenue: 1000, units: 3 },
    ]);
    expect(f.clickCollectShare).toBe(0.5);
  });
});

describe('queues past their SLA', () => {
  it('counts open tasks whose deadline has passed, per location, worst first', () => {
    const now = '2026-03-05T12:00:00Z';
    const late = '2026-03-05T11:00:00Z';
    expect(
      pastSla(
        [
          { location_id: 'b', status: 'pending', sla_deadline: late },
          { location_id: 'a', status: 'accepted', sla_deadline: late },
          { location_id: 'b', status: 'packed', sla_deadline: late },
          { location_id: 'a', status: 'handed_over', sla_deadline: late },
          { location_id: 'c', status: 'pending', sla_deadline: '2026-03-05T13:00:00Z' },
          { location_id: 'c', status: 'pending', sla_deadline: null },
        ],
        now,
      ),
    ).toEqual([
      { location_id: 'b', late: 2 },
      { location_id: 'a', late: 1 },
    ]);
  });
});

describe('dashboard: ship-from-store, lost-sales hotspots, windows', () => {
  it('shares today’s live home deliveries shipped by stores', () => {
    const types = new Map([
      ['st', 'store'],
      ['wh', 'warehouse'],
    ]);
    const at = '2026-11-30T10:00:00.000Z';
    const r = shipFromStoreShare(
      [
        { location_id: 'st', method: 'home', status: 'packed', created_at: at },
        { location_id: 'wh', method: 'home', status: 'pending', created_at: at },
        { location_id: 'wh', method: 'home', status: 'shipped', created_at: at },
        { location_id: 'st', method: 'home', status: 'rejected', created_at: at },
        { location_id: 'st', method: 'click_collect', status: 'pending', created_at: at },
        { location_id: 'st', method: 'home', status: 'pending', created_at: '2026-11-29T10:00:00.000Z' },
      ],
      types,
      '2026-11-30T00:00:00.000Z',
    );
    expect(r).toEqual({ home: 3, fromStore: 1, share: 1 / 3 });
    expect(shipFromStoreShare([], types, '2026-11-30T00:00:00.000Z').share).toBe(0);
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
