/** TypeBox schemas of the analytics reports (they generate /openapi.json and the console's types). */
import { Type, type Static } from '@sinclair/typebox';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (UTC day)' });
const Int = Type.Integer();
const Num = Type.Number();
const Money = Type.Integer({ description: 'minor units' });

export const WindowQuery = {
  from: Type.Optional({ ...Day, description: 'first day, inclusive (default: 183 days before `to`)' }),
  to: Type.Optional({ ...Day, description: 'the day after the last, exclusive (default: tomorrow, so today counts)' }),
  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'orders in this currency (default EUR)' })),
  format: Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('csv')], {
      description: 'csv: a CSV download (as `Accept: text/csv`)',
    }),
  ),
};

export const ChannelMixQuery = Type.Object(
  {
    ...WindowQuery,
    group_by: Type.Optional(Type.Union([Type.Literal('month'), Type.Literal('region'), Type.Literal('store')])),
    table: Type.Optional(
      Type.Union([Type.Literal('segments'), Type.Literal('conversion'), Type.Literal('credits')], {
        description: 'which table the CSV holds (default segments)',
      }),
    ),
  },
  { additionalProperties: false },
);
export const ShippingQuery = Type.Object(
  {
    ...WindowQuery,
    threshold: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 100_000_000,
        description: 'free shipping from this merchandise value, minor units (what-if; default 5000)',
      }),
    ),
    gross_margin: Type.Optional(
      Type.Number({ minimum: 0, maximum: 100, description: 'gross margin on merchandise, percent (default 55)' }),
    ),
    reach: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 100_000_000,
        description: 'how far below the threshold a shopper tops up to reach it, minor units (default 1500)',
      }),
    ),
    bands: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'basket band lower bounds, minor units, ascending from 0: "0,2500,5000"',
      }),
    ),
    table: Type.Optional(
      Type.Union([Type.Literal('bands'), Type.Literal('costs'), Type.Literal('curve')], {
        description: 'which table the CSV holds (default bands)',
      }),
    ),
  },
  { additionalProperties: false },
);
export const LostSalesQuery = Type.Object(
  {
    ...WindowQuery,
    table: Type.Optional(
      Type.Union([Type.Literal('lines'), Type.Literal('grid')], {
        description: 'which table the CSV holds (default lines)',
      }),
    ),
  },
  { additionalProperties: false },
);

const SegmentMetrics = Type.Object({
  customers: Int,
  share: Num,
  spend_per_customer: Money,
  orders_per_year: Num,
  average_basket: Money,
  return_rate: Num,
  retention_12m: Type.Union([Num, Type.Null()]),
});
const Segments = Type.Object({ online_only: SegmentMetrics, store_only: SegmentMetrics, omnichannel: SegmentMetrics });
const ChannelCount = Type.Object({ customers: Int, orders: Int });
const ChannelEnum = Type.Union([
  Type.Literal('web'),
  Type.Literal('app'),
  Type.Literal('store'),
  Type.Literal('contact_center'),
  Type.Literal('marketplace'),
  Type.Literal('social'),
]);

export const ChannelMixReportSchema = Type.Object({
  from: Day,
  to: Day,
  group_by: Type.Union([Type.Literal('month'), Type.Literal('region'), Type.Literal('store')]),
  currency: Type.String(),
  total: Type.Object({
    customers: Int,
    segments: Segments,
    channels: Type.Object({
      web: ChannelCount,
      app: ChannelCount,
      store: ChannelCount,
      contact_center: ChannelCount,
      marketplace: ChannelCount,
      social: ChannelCount,
    }),
  }),
  groups: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), customers: Int, segments: Segments })),
  conversion: Type.Array(
    Type.Object({ channel: ChannelEnum, visits: Int, orders: Int, rate: Type.Union([Num, Type.Null()]) }),
  ),
  credits: Type.Array(
    Type.Object({
      store: Type.String(),
      name: Type.String(),
      till_sales: Money,
      till_returns: Money,
      web_collected_orders: Int,
      web_collected: Money,
      web_collected_returns: Money,
      web_returns_handled: Money,
      credited: Money,
    }),
  ),
});
export type ChannelMixReport = Static<typeof ChannelMixReportSchema>;

const Method = Type.Union([
  Type.Literal('home'),
  Type.Literal('click_collect'),
  Type.Literal('pickup_point'),
  Type.Literal('ship_from_store'),
]);
const WhatIf = Type.Object({
  threshold: Money,
  orders_free: Int,
  orders_topping_up: Int,
  shipping_revenue_lost: Money,
  uplift_merchandise: Money,
  uplift_margin: Money,
  effect: Money,
});
export const ShippingReportSchema = Type.Object({
  from: Day,
  to: Day,
  currency: Type.String(),
  bands: Type.Array(Int),
  gross_margin_bp: Int,
  threshold: Money,
  reach: Money,
  orders: Int,
  orders_without_cost: Type.Integer({ description: 'remote orders never sourced: no cost known, left out' }),
  by_zone_band_method: Type.Array(
    Type.Object({
      zone: Type.String(),
      band: Type.String(),
      method: Method,
      orders: Int,
      paid: Money,
      cost: Money,
      shipping_margin: Money,
      average_paid: Money,
      average_cost: Money,
    }),
  ),
  by_band: Type.Array(
    Type.Object({
      band: Type.String(),
      orders: Int,
      merchandise: Money,
      gross_margin: Money,
      paid: Money,
      cost: Money,
      contribution: Money,
    }),
  ),
  by_method: Type.Array(
    Type.Object({ method: Method, orders: Int, paid: Money, cost: Money, average_paid: Money, average_cost: Money }),
  ),
  what_if: WhatIf,
  break_even: Type.Object({ threshold: Type.Union([Money, Type.Null()]), curve: Type.Array(WhatIf) }),
});
export type ShippingReport = Static<typeof ShippingReportSchema>;

const LostAgg = {
  key: Type.String(),
  units: Int,
  value: Money,
  sourceable_units: Int,
  sourceable_value: Money,
  unsourceable_units: Int,
  unsourceable_value: Money,
};
const UnitsValue = Type.Object({ units: Int, value: Money });
export const LostSalesReportSchema = Type.Object({
  from: Day,
  to: Day,
  currency: Type.String(),
  units: Int,
  value: Money,
  sourcing_opportunity: UnitsValue,
  buying_problem: UnitsValue,
  by_channel: Type.Array(Type.Object(LostAgg)),
  by_source: Type.Array(Type.Object(LostAgg)),
  by_store: Type.Array(Type.Object({ ...LostAgg, name: Type.String() })),
  by_product: Type.Array(Type.Object({ ...LostAgg, name: Type.String() }), { description: 'the 50 largest by value' }),
  by_size: Type.Array(Type.Object(LostAgg)),
  grid: Type.Array(
    Type.Object({ location_id: Type.String(), name: Type.String(), size: Type.String(), units: Int, value: Money }),
  ),
});
export type LostSalesReport = Static<typeof LostSalesReportSchema>;

export interface LostSaleLine {
  day: string;
  source: string;
  channel: string;
  location_id: string | null;
  sku: string;
  size: string | null;
  product_id: string | null;
  units: number;
  unit_price: number;
  sourceable: number;
  unsourceable: number;
}

export const OperationsQuery = Type.Object(
  {
    from: Type.Optional(
      Type.String({ format: 'date-time', description: 'start, inclusive (default: today 00:00 UTC)' }),
    ),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'end, exclusive (default: 24 h after from)' })),
  },
  { additionalProperties: false },
);
export const OperationsSchema = Type.Object({
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  by_channel: Type.Array(
    Type.Object({
      channel_type: Type.String(),
      currency: Type.String(),
      orders: Int,
      revenue: Money,
      units: Int,
      click_collect: Type.Integer({ description: 'of those orders, collected in a store' }),
    }),
    { description: 'orders placed in the window and not cancelled, by channel and currency, largest revenue first' },
  ),
  home_tasks: Type.Integer({ description: 'home-delivery fulfilment tasks created in the window' }),
  ship_from_store_tasks: Type.Integer({ description: 'of those, picked and shipped by a store' }),
  late: Type.Array(Type.Object({ location_id: Type.String(), late: Int }), {
    description: 'open tasks past their SLA now, per location, worst first',
  }),
});
export type Operations = Static<typeof OperationsSchema>;
