/** The reports' tables as CSV (pure): which table a `?format=csv` download holds is the `table` parameter. */
import { toCsv } from './report-rules.js';
import type { ChannelMixReport, LostSaleLine, LostSalesReport, ShippingReport } from './schemas.js';

const SEGMENT_COLUMNS = [
  'customers',
  'share',
  'spend_per_customer',
  'orders_per_year',
  'average_basket',
  'return_rate',
  'retention_12m',
] as const;

export function channelMixCsv(r: ChannelMixReport, table: 'segments' | 'conversion' | 'credits'): string {
  if (table === 'conversion')
    return toCsv(
      ['channel', 'visits', 'orders', 'rate'],
      r.conversion.map((c) => [c.channel, c.visits, c.orders, c.rate]),
    );
  if (table === 'credits')
    return toCsv(
      [
        'store',
        'name',
        'till_sales',
        'till_returns',
        'web_collected_orders',
        'web_collected',
        'web_collected_returns',
        'web_returns_handled',
        'credited',
      ],
      r.credits.map((c) => [
        c.store,
        c.name,
        c.till_sales,
        c.till_returns,
        c.web_collected_orders,
        c.web_collected,
        c.web_collected_returns,
        c.web_returns_handled,
        c.credited,
      ]),
    );
  const rows: (string | number | null)[][] = [];
  const add = (group: string, name: string, segments: ChannelMixReport['total']['segments']) => {
    for (const seg of ['online_only', 'store_only', 'omnichannel'] as const)
      rows.push([group, name, seg, ...SEGMENT_COLUMNS.map((c) => segments[seg][c])]);
  };
  add('total', 'total', r.total.segments);
  for (const g of r.groups) add(g.key, g.name, g.segments);
  return toCsv([r.group_by, 'name', 'segment', ...SEGMENT_COLUMNS], rows);
}

export function shippingCsv(r: ShippingReport, table: 'bands' | 'costs' | 'curve'): string {
  if (table === 'costs')
    return toCsv(
      ['zone', 'band', 'method', 'orders', 'paid', 'cost', 'shipping_margin', 'average_paid', 'average_cost'],
      r.by_zone_band_method.map((x) => [
        x.zone,
        x.band,
        x.method,
        x.orders,
        x.paid,
        x.cost,
        x.shipping_margin,
        x.average_paid,
        x.average_cost,
      ]),
    );
  if (table === 'curve')
    return toCsv(
      [
        'threshold',
        'orders_free',
        'orders_topping_up',
        'shipping_revenue_lost',
        'uplift_merchandise',
        'uplift_margin',
        'effect',
      ],
      r.break_even.curve.map((w) => [
        w.threshold,
        w.orders_free,
        w.orders_topping_up,
        w.shipping_revenue_lost,
        w.uplift_merchandise,
        w.uplift_margin,
        w.effect,
      ]),
    );
  return toCsv(
    ['band', 'orders', 'merchandise', 'gross_margin', 'paid', 'cost', 'contribution'],
    r.by_band.map((b) => [b.band, b.orders, b.merchandise, b.gross_margin, b.paid, b.cost, b.contribution]),
  );
}

export function lostSalesCsv(r: LostSalesReport, lines: LostSaleLine[], table: 'lines' | 'grid'): string {
  if (table === 'grid')
    return toCsv(
      ['location_id', 'name', 'size', 'units', 'value'],
      r.grid.map((g) => [g.location_id, g.name, g.size, g.units, g.value]),
    );
  return toCsv(
    [
      'day',
      'source',
      'channel',
      'location_id',
      'sku',
      'size',
      'product_id',
      'units',
      'unit_price',
      'value',
      'sourceable',
      'unsourceable',
    ],
    lines.map((l) => [
      l.day,
      l.source,
      l.channel,
      l.location_id,
      l.sku,
      l.size,
      l.product_id,
      l.units,
      l.unit_price,
      l.units * l.unit_price,
      l.sourceable,
      l.unsourceable,
    ]),
  );
}
