import { describe, expect, it } from 'vitest';
import { homeStores, monthWindows, reportWindow, toCsv, aggregateLost } from './report-rules.js';
import { channelMixWindow, customerSegments } from './channel-rules.js';
import type { OrderFact } from './types.js';

const o = (
  customer_id: string,
  channel: OrderFact['channel'],
  placed_on: string,
  extra: Partial<OrderFact> = {},
): OrderFact => ({
  customer_id,
  channel,
  placed_on,
  total: 1000,
  returned: 0,
  location_id: channel === 'store' ? 'S1' : null,
  collected_at: null,
  returned_at: null,
  ...extra,
});

describe('report window', () => {
  it('defaults to 183 days up to today included and refuses what it cannot read', () => {
    expect(reportWindow(undefined, undefined, '2026-11-30')).toEqual({
      ok: true,
      value: { from: '2026-06-01', to: '2026-12-01', days: 183 },
    });
    expect(reportWindow('2026-02-30', undefined, '2026-11-30')).toMatchObject({ ok: false, error: { field: 'from' } });
    expect(reportWindow('2026-03-01', '2026-03-01', '2026-11-30')).toMatchObject({ ok: false, error: { field: 'to' } });
    expect(reportWindow('2020-01-01', '2026-01-01', '2026-11-30')).toMatchObject({
      ok: false,
      error: { field: 'from' },
    });
  });

  it('cuts calendar months to the window', () => {
    expect(monthWindows('2026-01-15', '2026-03-10')).toEqual([
      { key: '2026-01', from: '2026-01-15', to: '2026-02-01' },
      { key: '2026-02', from: '2026-02-01', to: '2026-03-01' },
      { key: '2026-03', from: '2026-03-01', to: '2026-03-10' },
    ]);
    expect(monthWindows('2026-12-05', '2027-01-02').map((m) => m.key)).toEqual(['2026-12', '2027-01']);
  });
});

describe('channel mix over a month with the window’s classes', () => {
  it('keeps an omnichannel customer omnichannel in a month where they used one channel', () => {
    const orders = [o('a', 'web', '2026-01-05'), o('a', 'store', '2026-02-10'), o('b', 'store', '2026-01-20')];
    const classes = customerSegments(orders, '2026-01-01', '2026-03-01');
    expect(classes).toEqual(
      new Map([
        ['a', 'omnichannel'],
        ['b', 'store_only'],
      ]),
    );
    const jan = channelMixWindow(orders, '2026-01-01', '2026-02-01', classes);
    expect(jan.ok && jan.value.segments.omnichannel.share).toBe(0.5);
    // without the classes, a is online-only in January
    const plain = channelMixWindow(orders, '2026-01-01', '2026-02-01');
    expect(plain.ok && plain.value.segments.online_only.customers).toBe(1);
    // orders per year scale with the window: 1 order in 31 days
    expect(jan.ok && jan.value.segments.store_only.orders_per_year).toBeCloseTo(365 / 31, 10);
  });
});

describe('home stores', () => {
  it('takes the store of most till sales and collections, ties to the smaller id; none for online-only', () => {
    const orders = [
      o('a', 'store', '2026-01-01', { location_id: 'S2' }),
      o('a', 'web', '2026-01-02', { collected_at: 'S1' }),
      o('b', 'store', '2026-01-03', { location_id: 'S2' }),
      o('b', 'store', '2026-01-04', { location_id: 'S2' }),
      o('b', 'web', '2026-01-05', { collected_at: 'S1' }),
      o('c', 'web', '2026-01-05'),
      o('d', 'store', '2025-01-05', { location_id: 'S3' }),
    ];
    expect(homeStores(orders, '2026-01-01', '2026-02-01')).toEqual(
      new Map([
        ['a', 'S1'],
        ['b', 'S2'],
        ['c', null],
      ]),
    );
  });
});

describe('CSV and lost-sales aggregation', () => {
  it('quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['=SUM(A1)', -3],
          [null, true],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n\'=SUM(A1),-3\r\n,true\r\n');
  });

  it('adds up classified lines by key, largest value first, skipping null keys', () => {
    const line = (loc: string | null, units: number, sourceable: number) => ({
      sku: 'K',
      location: loc ?? 'web',
      day: '2026-01-01',
      units,
      unit_price: 100,
      sourceable,
      unsourceable: units - sourceable,
      loc,
    });
    const out = aggregateLost([line('S1', 1, 1), line('S2', 3, 1), line('S1', 1, 0), line(null, 5, 5)], (l) => l.loc);
    expect(out).toEqual([
      {
        key: 'S2',
        agg: {
          units: 3,
          value: 300,
          sourceable_units: 1,
          sourceable_value: 100,
          unsourceable_units: 2,
          unsourceable_value: 200,
        },
      },
      {
        key: 'S1',
        agg: {
          units: 2,
          value: 200,
          sourceable_units: 1,
          sourceable_value: 100,
          unsourceable_units: 1,
          unsourceable_value: 100,
        },
      },
    ]);
  });
});
