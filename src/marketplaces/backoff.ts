/**
 * Pure back-off rules shared by every connector: how long to wait before the next try of a throttled or
 * timed-out call. "Full jitter" (a random wait between zero and the exponential ceiling) spreads the
 * retries of several workers hitting the same rate limit, where a fixed doubling would have them retry
 * in lock-step and be throttled together again. A provider's own hint (Retry-After, or the rate it
 * announces) is a floor: we never come back sooner than it asked.
 */

export interface BackoffPolicy {
  /** The first ceiling, in ms. */
  baseMs: number;
  /** No wait is longer than this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 250, maxMs: 20_000 };

/** Wait before try number `attempt + 1` (attempt counts from 1), given a [0,1) random draw and the provider's hint. */
export function backoffDelay(
  attempt: number,
  random: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  hintMs: number | null = null,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(ceiling * Math.min(Math.max(random, 0), 0.999999));
  const floor = hintMs !== null && Number.isFinite(hintMs) && hintMs > 0 ? Math.min(hintMs, policy.maxMs) : 0;
  return Math.max(jittered, floor);
}

/**
 * Reads `Retry-After` (seconds or an HTTP date) into ms; null when absent or unreadable.
 * `now` is passed in so the rule stays pure.
 */
export function retryAfterMs(header: string | null | undefined, now: Date): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/**
 * The spacing a provider's announced rate asks for (Amazon's `x-amzn-RateLimit-Limit` is requests per
 * second, e.g. "0.0167" for one a minute): the minimum ms between two calls. Null when unreadable.
 */
export function spacingFromRate(rateHeader: string | null | undefined): number | null {
  if (!rateHeader) return null;
  const rate = Number(rateHeader.trim());
  if (!Number.isFinite(rate) || rate <= 0) return null;
  return Math.ceil(1000 / rate);
}
