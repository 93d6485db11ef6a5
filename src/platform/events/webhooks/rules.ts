import { createHmac, timingSafeEqual } from 'node:crypto';

/** Pure rules of webhook delivery: matching, signing, back-off. */

/** The channel an event belongs to, when its payload names one (`channel_id`, or `channel` holding an id). */
export function channelOf(event: { data: Record<string, unknown> }): string | null {
  const d = event.data;
  if (typeof d.channel_id === 'string') return d.channel_id;
  if (typeof d.channel === 'string' && d.channel.startsWith('chn_')) return d.channel;
  return null;
}

/** `order.created` matches `order.created`, `order.*` and `*`. */
export function matchesEventType(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

/**
 * `Omnia-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. Including the time in
 * the signed text lets receivers refuse replays older than their tolerance.
 */
export function signPayload(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** What a receiver does (documented for the retailer's engineers, and used by our tests). */
export function verifySignature(
  secret: string,
  body: string,
  header: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds || !parts.v1) return false;
  const expected = Buffer.from(signPayload(secret, body, t).split('v1=')[1]!, 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export const MAX_ATTEMPTS = 15;
const BASE_DELAY_MS = 5_000;
const MAX_DELAY_MS = 3_600_000;

/**
 * Delay before attempt `attempt + 1` after `attempt` failures: 5 s, 10 s, 20 s … capped at an hour;
 * after MAX_ATTEMPTS the delivery is marked failed (about 6.5 hours of trying in all).
 */
export function nextDelayMs(attempt: number): number | undefined {
  if (attempt >= MAX_ATTEMPTS) return undefined;
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
}

/** 2xx is delivered; 4xx other than 408/429 is still retried, since receivers misconfigure and recover. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}
