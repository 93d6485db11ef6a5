/**
 * Channel mix and customer value (the HBR-style comparison of online-only, store-only and
 * omnichannel customers), store crediting of web orders, and visit → order conversion per channel.
 */
import type {
  Channel,
  ChannelGroup,
  ChannelMix,
  ConversionRow,
  OrderFact,
  Result,
  Segment,
  SegmentMetrics,
  StoreCredit,
} from './types.js';
import { badInt, dayString, epochDay, fail, firstError, ok } from './validate.js';

export const CHANNELS: readonly Channel[] = ['web', 'app', 'store', 'contact_center', 'marketplace', 'social'];
export const SEGMENTS: readonly Segment[] = ['online_only', 'store_only', 'omnichannel'];
/**
 * The roll-up, explicitly: everything the shopper does not do standing in a store is "online" —
 * web, app, the contact center (a remote order taken by phone or chat) and marketplaces (a remote
 * order on someone else's site). A till sale, endless-aisle orders at the till included, is "store".
 * A web order collected in a store stays online (the customer chose and paid remotely); crediting
 * gives the store its share of it separately.
 */
export const CHANNEL_ROLLUP: Readonly<Record<Channel, ChannelGroup>> = {
  web: 'online',
  app: 'online',
  contact_center: 'online',
  marketplace: 'online',
  // Social shops (issue 19): bought on the phone in Instagram or Facebook, never at a till.
  social: 'online',
  store: 'store',
};

/** The segment of a customer from the set of channels used. Null for an empty set. */
export function segmentOf(channels: Iterable<Channel>): Segment | null {
  let online = false;
  let store = false;
  for (const c of channels) {
    if (CHANNEL_ROLLUP[c] === 'online') online = true;
    else store = true;
  }
  if (online && store) return 'omnichannel';
  return online ? 'online_only' : store ? 'store_only' : null;
}

function validateOrders(orders: OrderFact[]): Result<number[]> {
  const days: number[] = [];
  for (const [i, o] of orders.entries()) {
    const bad = firstError<number[]>(
      badInt(`orders[${i}].total`, o.total, 0),
      badInt(`orders[${i}].returned`, o.returned, 0, o.total),
    );
    if (bad) return bad;
    if (!CHANNELS.includes(o.channel)) return fail(`orders[${i}].channel`, `unknown channel ${String(o.channel)}`);
    const d = epochDay(o.placed_on);
    if (d === null) return fail(`orders[${i}].placed_on`, `not a YYYY-MM-DD day: ${o.placed_on}`);
    days.push(d);
  }
  return ok(days);
}

/**
 * Segments over the year before `asOf` (exclusive): [asOf − 365 days, asOf). Retention compares the
 * year before that. Customers without an order in the window are not in the shares.
 */
export function channelMix(orders: OrderFact[], asOf: string): Result<ChannelMix> {
  const end = epochDay(asOf);
  if (end === null) return fail('as_of', `not a YYYY-MM-DD day: ${asOf}`);
  return channelMixWindow(orders, dayString(end - 365), asOf);
}

/**
 * Segments over any window [from, to) — a month, a quarter — the same way: orders per year are scaled
 * from the window's length (orders per customer × 365 / days), and retention is still over 12 months:
 * of the segment's customers in the 365 days before `from`, the share who ordered in the window.
 *
 * `segments`, when given, fixes a customer's segment (by id) instead of the channels used in this
 * window: a month is too short to see a customer use two channels, so a monthly series classifies
 * customers over the whole report window and measures each month's orders by that class.
 */
export function channelMixWindow(
  orders: OrderFact[],
  from: string,
  to: string,
  segments?: ReadonlyMap<string, Segment>,
): Result<ChannelMix> {
  const start = epochDay(from);
  if (start === null) return fail('from', `not a YYYY-MM-DD day: ${from}`);
  const end = epochDay(to);
  if (end === null) return fail('to', `not a YYYY-MM-DD day: ${to}`);
  if (end <= start) return fail('to', `must be after from (${from})`);
  const daysR = validateOrders(orders);
  if (!daysR.ok) return daysR;
  const yearFactor = 365 / (end - start);
  const prevStart = start - 365;
  const current = new Map<string, { channels: Set<Channel>; orders: number; total: number; returned: number }>();
  const previous = new Map<string, Set<Channel>>();
  const channels = Object.fromEntries(CHANNELS.map((c) => [c, { customers: 0, orders: 0 }])) as ChannelMix['channels'];
  const perChannelCustomers = new Map<Channel, Set<string>>(CHANNELS.map((c) => [c, new Set()]));
  orders.forEach((o, i) => {
    const d = daysR.value[i]!;
    if (d >= start && d < end) {
      const c = current.get(o.customer_id) ?? { channels: new Set(), orders: 0, total: 0, returned: 0 };
      c.channels.add(o.channel);
      c.orders++;
      c.total += o.total;
      c.returned += o.returned;
      current.set(o.customer_id, c);
      channels[o.channel].orders++;
      perChannelCustomers.get(o.channel)!.add(o.customer_id);
    } else if (d >= prevStart && d < start) {
      previous.set(o.customer_id, (previous.get(o.customer_id) ?? new Set()).add(o.channel));
    }
  });
  for (const c of CHANNELS) channels[c].customers = perChannelCustomers.get(c)!.size;

  const acc = Object.fromEntries(
    SEGMENTS.map((s) => [s, { customers: 0, orders: 0, total: 0, returned: 0, base: 0, retained: 0 }]),
  ) as Record<
    Segment,
    { customers: number; orders: number; total: number; returned: number; base: number; retained: number }
  >;
  for (const [id, c] of current) {
    const a = acc[segments?.get(id) ?? segmentOf(c.channels)!];
    a.customers++;
    a.orders += c.orders;
    a.total += c.total;
    a.returned += c.returned;
  }
  for (const [id, chans] of previous) {
    const a = acc[segments?.get(id) ?? segmentOf(chans)!];
    a.base++;
    if (current.has(id)) a.retained++;
  }
  const n = current.size;
  const metrics = Object.fromEntries(
    SEGMENTS.map((s): [Segment, SegmentMetrics] => {
      const a = acc[s];
      return [
        s,
        {
          customers: a.customers,
          share: n === 0 ? 0 : a.customers / n,
          spend_per_customer: a.customers === 0 ? 0 : Math.round((a.total - a.returned) / a.customers),
          orders_per_year: a.customers === 0 ? 0 : (a.orders / a.customers) * yearFactor,
          average_basket: a.orders === 0 ? 0 : Math.round(a.total / a.orders),
          return_rate: a.total === 0 ? 0 : a.returned / a.total,
          retention_12m: a.base === 0 ? null : a.retained / a.base,
        },
      ];
    }),
  ) as Record<Segment, SegmentMetrics>;
  return ok({ from, to, customers: n, segments: metrics, channels });
}

/** Each customer's segment from the channels used in [from, to). */
export function customerSegments(orders: OrderFact[], from: string, to: string): Map<string, Segment> {
  const chans = new Map<string, Set<Channel>>();
  for (const o of orders) {
    if (o.placed_on < from || o.placed_on >= to) continue;
    chans.set(o.customer_id, (chans.get(o.customer_id) ?? new Set()).add(o.channel));
  }
  return new Map([...chans].map(([id, c]) => [id, segmentOf(c)!]));
}

/**
 * Store crediting: a store is credited with its till sales and with the remote orders collected
 * there, each net of what was refunded on them — so a store has no reason to discourage
 * click & collect. Refunds of remote orders delivered elsewhere but handed back in the store are
 * shown (the store did the work) and not deducted: a store penalised for web returns would refuse
 * them, and the shopper would not come back.
 */
export function storeCredits(orders: OrderFact[]): Result<StoreCredit[]> {
  const daysR = validateOrders(orders);
  if (!daysR.ok) return daysR;
  const by = new Map<string, StoreCredit>();
  const get = (store: string): StoreCredit => {
    let c = by.get(store);
    if (!c) {
      c = {
        store,
        till_sales: 0,
        till_returns: 0,
        web_collected_orders: 0,
        web_collected: 0,
        web_collected_returns: 0,
        web_returns_handled: 0,
        credited: 0,
      };
      by.set(store, c);
    }
    return c;
  };
  for (const [i, o] of orders.entries()) {
    if (CHANNEL_ROLLUP[o.channel] === 'store') {
      if (o.location_id === null) return fail(`orders[${i}].location_id`, 'a till sale needs its store');
      const c = get(o.location_id);
      c.till_sales += o.total;
      c.till_returns += o.returned;
      continue;
    }
    if (o.collected_at !== null) {
      const c = get(o.collected_at);
      c.web_collected_orders++;
      c.web_collected += o.total;
      c.web_collected_returns += o.returned;
    } else if (o.returned_at !== null && o.returned > 0) {
      get(o.returned_at).web_returns_handled += o.returned;
    }
  }
  const out = [...by.values()].sort((a, b) => (a.store < b.store ? -1 : a.store > b.store ? 1 : 0));
  for (const c of out) c.credited = c.till_sales - c.till_returns + c.web_collected - c.web_collected_returns;
  return ok(out);
}

/** Visit → order conversion per channel. A channel with orders but no visit count gets rate null. */
export function conversionByChannel(
  visits: { channel: Channel; visits: number }[],
  orders: { channel: Channel; orders: number }[],
): Result<ConversionRow[]> {
  const v = new Map<Channel, number>();
  const o = new Map<Channel, number>();
  for (const [i, x] of visits.entries()) {
    const e = badInt(`visits[${i}].visits`, x.visits, 0);
    if (e) return { ok: false, error: e };
    v.set(x.channel, (v.get(x.channel) ?? 0) + x.visits);
  }
  for (const [i, x] of orders.entries()) {
    const e = badInt(`orders[${i}].orders`, x.orders, 0);
    if (e) return { ok: false, error: e };
    o.set(x.channel, (o.get(x.channel) ?? 0) + x.orders);
  }
  return ok(
    CHANNELS.filter((c) => v.has(c) || o.has(c)).map((channel) => {
      const visitsN = v.get(channel) ?? 0;
      const ordersN = o.get(channel) ?? 0;
      return { channel, visits: visitsN, orders: ordersN, rate: visitsN === 0 ? null : ordersN / visitsN };
    }),
  );
}
