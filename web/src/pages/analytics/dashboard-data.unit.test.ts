import { describe, expect, it } from 'vitest';
import { pastSla, todayFigures, type OrderLite } from './dashboard-data';

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
