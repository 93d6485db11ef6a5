/**
 * The customer 360's derived metrics: pure functions of a person's activity days, orders and
 * touchpoints, and of `now` passed in. The service gathers the inputs with a few indexed reads.
 */
import type { ChannelKind, ChannelMixClass, CustomerMetrics, Money } from './types.js';

const DAY_MS = 86_400_000;
/** Rhythm assumed for someone seen on fewer than two days: a monthly shopper. */
export const DEFAULT_RHYTHM_DAYS = 30;

export interface OrderFact {
  placed_at: Date;
  amount: number;
  currency: string;
  channel: string;
  channel_kind: ChannelKind;
  cancelled: boolean;
  returns: number;
}
export interface TouchFact {
  day: string; // YYYY-MM-DD (UTC)
  channel: string;
  channel_kind: ChannelKind;
  first_at: Date;
  last_at: Date;
}

export interface RfmThresholds {
  /** Days since the last order at or below which R is 5, 4, 3, 2 (else 1). */
  recencyDays: [number, number, number, number];
  /** Orders at or above which F is 2, 3, 4, 5 (one order is 1). */
  frequency: [number, number, number, number];
  /** Spend (minor units) at or above which M is 2, 3, 4, 5. */
  monetary: [number, number, number, number];
}
export const DEFAULT_RFM: RfmThresholds = {
  recencyDays: [14, 30, 90, 180],
  frequency: [2, 3, 5, 10],
  monetary: [5_000, 15_000, 40_000, 100_000],
};

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median days between consecutive distinct active days; null with fewer than two days. */
export function visitFrequencyDays(days: string[]): number | null {
  const sorted = [...new Set(days)].sort();
  const gaps: number[] = [];
  for (let i = 1; i < sorted.length; i++) gaps.push((Date.parse(sorted[i]!) - Date.parse(sorted[i - 1]!)) / DAY_MS);
  return median(gaps);
}

/**
 * Churn risk relative to the person's own rhythm: `ratio` = days since the last visit ÷ their usual
 * gap. Within the rhythm (ratio ≤ 1) the score is 0; it climbs linearly to 1 at four rhythms.
 */
export function churnRisk(daysSince: number | null, rhythmDays: number | null): CustomerMetrics['churn_risk'] {
  const rhythm = rhythmDays && rhythmDays > 0 ? rhythmDays : DEFAULT_RHYTHM_DAYS;
  if (daysSince === null) return { score: 0, level: 'low', days_since_last_visit: null, rhythm_days: rhythm };
  const ratio = daysSince / rhythm;
  const score = Math.min(1, Math.max(0, (ratio - 1) / 3));
  const level = ratio < 1.5 ? 'low' : ratio < 3 ? 'medium' : 'high';
  return { score: Math.round(score * 100) / 100, level, days_since_last_visit: daysSince, rhythm_days: rhythm };
}

function band(value: number, cuts: readonly number[], ascending: boolean): number {
  let score = 1;
  cuts.forEach((c, i) => {
    if (ascending ? value >= c : value <= c) score = ascending ? i + 2 : Math.max(score, 5 - i);
  });
  return score;
}

export function rfm(
  daysSinceLastOrder: number | null,
  orders: number,
  spent: number,
  t: RfmThresholds = DEFAULT_RFM,
): CustomerMetrics['rfm'] {
  const r = daysSinceLastOrder === null ? 1 : band(daysSinceLastOrder, t.recencyDays, false);
  const f = orders === 0 ? 1 : band(orders, t.frequency, true);
  const m = orders === 0 ? 1 : band(spent, t.monetary, true);
  const segment =
    orders === 0
      ? 'prospect'
      : r >= 4 && f >= 4
        ? 'champion'
        : f >= 4
          ? 'loyal'
          : r <= 2 && f >= 3
            ? 'at_risk'
            : r >= 4 && f <= 1
              ? 'new'
              : r <= 2
                ? 'hibernating'
                : 'promising';
  return { r, f, m, segment };
}

/** Shares of touchpoints (active channel-days plus orders) per channel and per kind. */
export function channelMix(touches: TouchFact[], orders: OrderFact[]): CustomerMetrics['channel_mix'] {
  const byChannel: Record<string, number> = {};
  const byKind: Record<ChannelKind, number> = { online: 0, store: 0, assisted: 0 };
  const seen = new Set<string>();
  for (const t of touches) {
    const key = `${t.day}|${t.channel}|${t.channel_kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    byChannel[t.channel] = (byChannel[t.channel] ?? 0) + 1;
    byKind[t.channel_kind] += 1;
  }
  for (const o of orders) {
    if (o.cancelled) continue;
    byChannel[o.channel] = (byChannel[o.channel] ?? 0) + 1;
    byKind[o.channel_kind] += 1;
  }
  const total = byKind.online + byKind.store + byKind.assisted;
  const share = (n: number) => (total === 0 ? 0 : Math.round((n / total) * 1000) / 1000);
  const cls: ChannelMixClass =
    byKind.online > 0 && byKind.store > 0
      ? 'omnichannel'
      : byKind.store > 0
        ? 'store_only'
        : byKind.online + byKind.assisted > 0
          ? 'online_only'
          : 'none';
  return {
    class: cls,
    online_share: share(byKind.online),
    store_share: share(byKind.store),
    assisted_share: share(byKind.assisted),
    by_channel: Object.fromEntries(Object.entries(byChannel).map(([k, v]) => [k, share(v)])),
  };
}

const dayOf = (d: Date) => d.toISOString().slice(0, 10);

export function computeMetrics(input: {
  now: Date;
  touches: TouchFact[];
  orders: OrderFact[];
  rfm?: RfmThresholds;
}): CustomerMetrics {
  const live = input.orders.filter((o) => !o.cancelled);
  // The person's main currency is the one most of their orders are in; totals are never mixed.
  const perCurrency = new Map<string, { n: number; sum: number }>();
  for (const o of live) {
    const c = perCurrency.get(o.currency) ?? { n: 0, sum: 0 };
    c.n += 1;
    c.sum += o.amount;
    perCurrency.set(o.currency, c);
  }
  const main = [...perCurrency.entries()].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]))[0];
  const total: Money | null = main ? { amount: main[1].sum, currency: main[0] } : null;
  const avg: Money | null = main ? { amount: Math.round(main[1].sum / main[1].n), currency: main[0] } : null;

  const times: number[] = [];
  for (const t of input.touches) times.push(t.first_at.getTime(), t.last_at.getTime());
  for (const o of input.orders) times.push(o.placed_at.getTime());
  const first = times.length ? Math.min(...times) : null;
  const last = times.length ? Math.max(...times) : null;
  const days = [...input.touches.map((t) => t.day), ...input.orders.map((o) => dayOf(o.placed_at))];
  const distinctDays = new Set(days);
  const freq = visitFrequencyDays(days);
  const daysSince = last === null ? null : Math.max(0, Math.floor((input.now.getTime() - last) / DAY_MS));
  const lastOrder = live.length ? Math.max(...live.map((o) => o.placed_at.getTime())) : null;
  const daysSinceOrder =
    lastOrder === null ? null : Math.max(0, Math.floor((input.now.getTime() - lastOrder) / DAY_MS));

  return {
    orders_count: live.length,
    total_spent: total,
    average_basket: avg,
    first_seen_at: first === null ? null : new Date(first).toISOString(),
    last_seen_at: last === null ? null : new Date(last).toISOString(),
    visits: distinctDays.size,
    visit_frequency_days: freq,
    churn_risk: churnRisk(daysSince, freq),
    rfm: rfm(daysSinceOrder, live.length, main?.[1].sum ?? 0, input.rfm),
    channel_mix: channelMix(input.touches, input.orders),
    returns_count: input.orders.reduce((n, o) => n + o.returns, 0),
  };
}

/** Top values by weight (ties by name, so the answer is stable). */
export function topValues(rows: { value: string; weight: number }[], n: number): string[] {
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(r.value, (sums.get(r.value) ?? 0) + r.weight);
  return [...sums.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([v]) => v);
}
