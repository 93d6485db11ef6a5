import type { Executor, Tx, Db } from './schema.js';

// Background work started from a transaction (nudges, timers) marks itself with this.
export { inBackground } from './tx-guard.js';

/** SQLSTATEs worth retrying: serialization failure and deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);

function isRetryable(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

/**
 * Runs `fn` in a transaction. With `outer` (a transaction the caller already opened) it joins it,
 * so services compose into one commit (checkout = reserve + order + coupon). A new transaction is
 * retried on deadlock or serialization failure; a joined one is not, the outer owner retries.
 */
export async function inTx<T>(
  db: Db,
  outer: Executor | undefined,
  fn: (trx: Tx) => Promise<T>,
  attempts = 3,
): Promise<T> {
  if (outer && outer.isTransaction) return fn(outer as Tx);
  for (let i = 1; ; i++) {
    try {
      return await db.transaction().execute(fn);
    } catch (err) {
      if (i >= attempts || !isRetryable(err)) throw err;
    }
  }
}
