/**
 * The pure rules of the checkout batcher (checkout-batch.ts): when a batch starts, how many
 * checkouts it takes, and the one global order in which a batch takes its locks.
 *
 * Why a window at all: concurrent checkouts' first (`open`) transactions run in one transaction,
 * each inside its own savepoint, so a hot SKU's stock row is locked once per batch instead of once
 * per checkout (today each checkout holds it until its own commit: one commit at a time). A lone
 * checkout with nothing in flight goes at once; checkouts that arrive while batches run queue and
 * are taken together by the next one, as the reservation batcher does (inventory/batch-window.ts).
 */

/**
 * At most this many checkouts in one batch (one savepoint each). PostgreSQL caches 64 subtransaction
 * ids per backend; past that, every other backend's visibility check of this one's rows reads
 * pg_subtrans from disk, so a batch stays well below it. Also the latency bound: a batch's
 * checkouts run one after another on one connection and all answer at its commit.
 */
export const MAX_BATCH = 16;

/**
 * Batches in flight per process. Batches that share a SKU (a hot SKU: all of them) queue on its lock
 * anyway; a second one in flight has its lock statement sent and takes the row the moment the first
 * commits. More would only make each batch smaller.
 */
export const MAX_IN_FLIGHT = 2;

/**
 * A second batch beside running ones starts only once this many checkouts wait; fewer wait
 * for a running batch, which takes them all when it ends (otherwise batches alternate large and tiny,
 * the reservation batcher's lesson).
 */
export const MIN_NEXT = 4;

/** Whether a batch should start now, with `inFlight` batches running (not counting it). */
export function startsCheckoutBatch(inFlight: number, queued: number, maxInFlight: number): boolean {
  if (queued === 0) return false;
  if (inFlight === 0) return true;
  return inFlight < maxInFlight && queued >= MIN_NEXT;
}

/**
 * A checkout is batched only when one of its SKUs is wanted by at least this many checkouts in their
 * open phase at once (itself included). Batching pays only where checkouts queue on one row lock: a
 * batch runs its checkouts one after another on one connection, so checkouts of spread SKUs, which
 * run side by side on separate connections unbatched, lost 60 % of their rate when all were batched
 * (docs/scaling.md, "Checkout batching"). With 64 clients over 300 SKUs a SKU rarely has 4 at once;
 * a flash sale's SKU has dozens.
 */
export const HOT_SHARE = 4;

/** Checkouts in their open phase per SKU (pure state, no I/O): which ones share a SKU enough to batch. */
export class SkuPressure {
  private readonly open = new Map<string, number>();
  /** Counts the checkout in and says whether it should be batched. */
  enter(skus: readonly string[]): boolean {
    let hot = false;
    for (const sku of new Set(skus)) {
      const n = (this.open.get(sku) ?? 0) + 1;
      this.open.set(sku, n);
      if (n >= HOT_SHARE) hot = true;
    }
    return hot;
  }
  leave(skus: readonly string[]): void {
    for (const sku of new Set(skus)) {
      const n = (this.open.get(sku) ?? 1) - 1;
      if (n > 0) this.open.set(sku, n);
      else this.open.delete(sku);
    }
  }
  /** SKUs tracked (for tests: nothing leaks). */
  get size(): number {
    return this.open.size;
  }
}

/** What one checkout of a batch will lock: its cart, its SKUs' stock, its coupons, its credit accounts, its customer. */
export interface LockScope {
  cartId: string;
  skus: readonly string[];
  coupons: readonly string[];
  creditAccounts: readonly string[];
  customerId: string | null;
}

/** The named things a checkout locks, as strings of one key space ("sku:…", "cart:…"). */
export function lockNames(s: LockScope): string[] {
  return [
    `cart:${s.cartId}`,
    ...s.skus.map((k) => `sku:${k}`),
    ...s.coupons.map((c) => `coupon:${c.toUpperCase()}`),
    ...s.creditAccounts.map((a) => `credit:${a}`),
    ...(s.customerId ? [`customer:${s.customerId}`] : []),
  ];
}

/** FNV-1a, 32 bits, as a signed int4 (an advisory lock key). Collisions only over-serialise. */
export function lockKey(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/**
 * The advisory lock keys of a whole batch, distinct and ascending. Every batch of every process
 * takes its keys in this one order before any row lock, so two batches that share anything queue
 * on the first shared key instead of each holding what the other waits for (a deadlock).
 */
export function batchLockKeys(scopes: readonly LockScope[]): number[] {
  const keys = new Set<number>();
  for (const s of scopes) for (const n of lockNames(s)) keys.add(lockKey(n));
  return [...keys].sort((a, b) => a - b);
}
