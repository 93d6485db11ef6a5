/** Pure rules of per-consumer event delivery: back-off and when a delivery is dead. */

/** After this many failed attempts a delivery is dead: listed, reported by doctor, retried by hand. */
export const MAX_DELIVERY_ATTEMPTS = 10;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 15 * 60_000;

/**
 * What happens after the `attempts`-th failed attempt: retry after 1 s, 2 s, 4 s … capped at 15 min
 * (about 25 minutes of trying in all), or dead once MAX_DELIVERY_ATTEMPTS is reached.
 */
export function afterFailure(
  attempts: number,
  now: Date,
  maxAttempts = MAX_DELIVERY_ATTEMPTS,
): { status: 'pending'; nextAttemptAt: Date } | { status: 'dead'; nextAttemptAt: Date } {
  if (attempts >= maxAttempts) return { status: 'dead', nextAttemptAt: now };
  const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return { status: 'pending', nextAttemptAt: new Date(now.getTime() + delay) };
}

/** An error as stored in `last_error`: its message, bounded. */
export function errorText(err: unknown): string {
  const msg = err instanceof Error ? err.message || err.name : String(err);
  return msg.slice(0, 1000);
}
