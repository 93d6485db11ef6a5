/**
 * Pure carrier rules: which quote to offer, how a carrier's checkpoint codes read as our tracking
 * statuses, when a checkpoint is "the same one" again, when a pending label is tried next, and the
 * webhook signature. No I/O, no clock reads: `now` and secrets come in as arguments.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RateQuote, TrackingCheckpoint, TrackingStatus } from './types.js';

/** The quote offered at checkout: the cheapest, then the quickest (a tie on price goes to fewer days). */
export function bestQuote(quotes: readonly RateQuote[], currency: string): RateQuote | null {
  const usable = quotes.filter((q) => q.currency === currency && q.amount >= 0 && q.transit_days >= 0);
  usable.sort(
    (a, b) => a.amount - b.amount || a.transit_days - b.transit_days || a.product_code.localeCompare(b.product_code),
  );
  return usable[0] ?? null;
}

/**
 * DHL Express checkpoint codes (MyDHL API `events[].typeCode`) as our statuses. OK is the proof of
 * delivery; WC "with delivery courier"; PU picked up; the listed exception codes need a person
 * (bad address, refused, held, returned). Any other code is movement through the network.
 */
const DHL_EXCEPTIONS = new Set(['BA', 'CA', 'CM', 'MS', 'NH', 'OH', 'RD', 'RT', 'SS', 'TD', 'UD']);
export function dhlStatus(typeCode: string): TrackingStatus {
  const code = typeCode.trim().toUpperCase();
  if (code === 'OK') return 'delivered';
  if (code === 'WC') return 'out_for_delivery';
  if (code === 'PU') return 'picked_up';
  if (code === 'SD' || code === 'LC') return 'label_created';
  if (DHL_EXCEPTIONS.has(code)) return 'exception';
  return 'in_transit';
}

/** One checkpoint is the same one whichever way it arrived (poll or webhook, once or twice). */
export function checkpointKey(c: Pick<TrackingCheckpoint, 'code' | 'occurred_at'>): string {
  return `${c.code.trim().toUpperCase()}@${new Date(c.occurred_at).toISOString()}`;
}

/** The shipment's status after these checkpoints: delivered stays delivered; else the newest one's. */
export function currentStatus(checkpoints: readonly TrackingCheckpoint[]): TrackingStatus | null {
  if (checkpoints.some((c) => c.status === 'delivered')) return 'delivered';
  const newest = [...checkpoints].sort((a, b) => Date.parse(b.occurred_at) - Date.parse(a.occurred_at))[0];
  return newest?.status ?? null;
}

/** When the delivery happened: the earliest delivered checkpoint. */
export function deliveredAt(checkpoints: readonly TrackingCheckpoint[]): string | null {
  const times = checkpoints.filter((c) => c.status === 'delivered').map((c) => Date.parse(c.occurred_at));
  return times.length ? new Date(Math.min(...times)).toISOString() : null;
}

/** A pending label request gives up after this many tries (about a day of back-off): it is failed for a person. */
export const LABEL_MAX_ATTEMPTS = 10;

/**
 * When a label request that could not be answered is tried again: 30 s doubling up to 2 h, never
 * sooner than the carrier's Retry-After. Null when it has had its tries.
 */
export function nextLabelTry(now: Date, attempts: number, retryAfterMs: number | null): Date | null {
  if (attempts >= LABEL_MAX_ATTEMPTS) return null;
  const wait = Math.max(Math.min(7_200_000, 30_000 * 2 ** Math.max(0, attempts - 1)), retryAfterMs ?? 0);
  return new Date(now.getTime() + wait);
}

/** A label request that the route answered but did not finish (a crash, a timeout) is the job's after this. */
export const LABEL_LEASE_MS = 60_000;

/** The webhook signature: `sha256=` and the hex HMAC-SHA256 of the raw body under the shared secret. */
export function signBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Constant-time check of a webhook's signature header against the raw body. */
export function verifySignature(secret: string, body: string | Buffer, header: string | undefined): boolean {
  if (!header || !secret) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A carrier's decimal price in minor units (EUR and the other two-decimal currencies). */
export function toMinor(price: number): number {
  return Math.round(price * 100);
}

/** Grams to the kilograms carriers quote by, rounded up to the 100 g and never zero. */
export function kilograms(weightG: number): number {
  return Math.max(0.1, Math.ceil(weightG / 100) / 10);
}

/** The ship date of a parcel handed over today. */
export function shipDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}
