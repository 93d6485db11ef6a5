/**
 * Concurrent checkouts' first transactions, batched (issue 17, point 2). Checkouts whose `open`
 * phase would start while a batch runs queue, and the next batch takes them together (at most
 * MAX_BATCH): ONE transaction, each checkout inside its own savepoint. A checkout's refusal (an
 * AppError: short stock, a coupon at its limit, short store credit, a changed cart) rolls back to
 * its savepoint — its own reservation, redemption, debit, payment and order go, the others' stay —
 * and rejects only its promise; the rest commit together. Every promise is settled after the
 * commit, so nobody hears of a success that could still roll back.
 *
 * What it buys: a hot SKU's stock row is locked once per batch and released at one commit, where
 * one transaction per checkout held it until its own commit (the hot SKU's checkouts went one commit
 * at a time); and one BEGIN/COMMIT (one WAL flush) for many checkouts. What it costs: one SAVEPOINT
 * per checkout (no RELEASE: the next savepoint nests, a rollback goes to the newest) and one lock
 * statement per batch, and every checkout of a batch answers at the commit of the slowest.
 *
 * Deadlocks: a batch mixes the locks of unrelated carts, which one checkout alone never does (each
 * locks its SKUs in order). So a batch first takes transaction-scoped advisory locks on everything its
 * checkouts will lock — carts, SKUs, coupons, credit accounts, customers — in one global order
 * (checkout-batch-rules.ts `batchLockKeys`), in one statement; two batches that share anything queue
 * on the first shared key. Writers outside batches (a fallback single checkout, a transfer) take no
 * advisory lock, so a deadlock stays possible with them: any error that is not a refusal (a deadlock,
 * a lost connection, a bug) rolls the whole batch back, and its checkouts run again one by one,
 * each in its own transaction (`single`), so a failed batch fails no checkout that would pass alone.
 * A lone checkout with nothing in flight forms a batch of one and takes the single path at once (its
 * own transaction, its own advisory locks first).
 */
import { sql } from 'kysely';
import type { Db, Tx } from '../platform/db/schema.js';
import { inTx } from '../platform/db/tx.js';
import { AppError } from '../platform/http/problems.js';
import { batchLockKeys, MAX_BATCH, SkuPressure, startsCheckoutBatch, type LockScope } from './checkout-batch-rules.js';

/** Advisory lock namespace (the two-int form; the one-int locks of orders and returns are another key space). */
const LOCK_CLASS = 17_002;

/** One statement, the keys in ascending order: the aggregate consumes unnest's rows in array order. */
async function lockInOrder(trx: Tx, keys: readonly number[]): Promise<void> {
  await sql`select count(pg_advisory_xact_lock(${LOCK_CLASS}::int4, k)) from unnest(${sql.val(keys)}::int4[]) as k`.execute(
    trx,
  );
}

export interface BatchJob<T> {
  scope: LockScope;
  /** The checkout's work inside the batch's transaction. */
  run(trx: Tx): Promise<T>;
}

interface Pending<T> extends BatchJob<T> {
  resolve(v: T): void;
  reject(e: unknown): void;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A refusal (an AppError) belongs to one checkout; anything else (a deadlock, 40P01, included) fails the batch. */
function isRefusal(err: unknown): boolean {
  return err instanceof AppError;
}

export class CheckoutBatcher<T> {
  private readonly queue: Pending<T>[] = [];
  private inFlight = 0;
  /** Checkouts submitted, batches run, checkouts they carried, batches that fell back to singles (bench and tests). */
  readonly stats = { submitted: 0, batches: 0, batched: 0, fallbacks: 0 };
  /** Which checkouts share a SKU enough to be worth batching (the others run alone, side by side). */
  private readonly pressure = new SkuPressure();

  constructor(
    private readonly db: Db,
    /** The admission gate (admission.ts): a batch holds one slot, as one checkout's transaction does. */
    private readonly admit: <R>(fn: () => Promise<R>) => Promise<R>,
    private readonly maxInFlight: number,
    /** Batch every checkout, not only those sharing a hot SKU (OMNIA_CHECKOUT_BATCH=all). */
    private readonly every = false,
    private readonly maxBatch = MAX_BATCH,
  ) {}

  /**
   * A checkout's open phase. With `every` it is batched whatever its SKUs; otherwise only a checkout
   * with a SKU under pressure (HOT_SHARE) joins the queue, and the others run alone at once.
   */
  async submit(job: BatchJob<T>): Promise<T> {
    this.stats.submitted++;
    const hot = this.pressure.enter(job.scope.skus);
    try {
      return await new Promise<T>((resolve, reject) => {
        const p: Pending<T> = { ...job, resolve, reject };
        if (!hot && !this.every) return void this.single(p);
        this.queue.push(p);
        if (startsCheckoutBatch(this.inFlight, this.queue.length, this.maxInFlight)) void this.drain();
      });
    } finally {
      this.pressure.leave(job.scope.skus);
    }
  }

  private async drain(): Promise<void> {
    this.inFlight++;
    try {
      // the others in flight (not this one) decide whether this one goes on
      while (startsCheckoutBatch(this.inFlight - 1, this.queue.length, this.maxInFlight))
        await this.runBatch(this.queue.splice(0, this.maxBatch));
    } finally {
      this.inFlight--;
      if (startsCheckoutBatch(this.inFlight, this.queue.length, this.maxInFlight)) void this.drain();
    }
  }

  /**
   * The unbatched path: the checkout in its own transaction (retried on deadlock by inTx), admitted
   * alone. It takes its advisory locks too, so a lone checkout and a batch cannot deadlock on anything
   * the keys cover either (one statement more per lone checkout).
   */
  private single(b: Pending<T>): Promise<void> {
    return this.admit(() =>
      inTx(this.db, undefined, async (trx) => {
        await lockInOrder(trx, batchLockKeys([b.scope]));
        return b.run(trx);
      }),
    ).then(b.resolve, b.reject);
  }

  private async runBatch(batch: Pending<T>[]): Promise<void> {
    if (batch.length === 1) return this.single(batch[0]!);
    let outcomes: Outcome<T>[];
    try {
      outcomes = await this.admit(() => this.inOneTransaction(batch));
    } catch {
      this.stats.fallbacks++;
      await Promise.all(batch.map((b) => this.single(b)));
      return;
    }
    this.stats.batches++;
    this.stats.batched += batch.length;
    batch.forEach((b, i) => {
      const o = outcomes[i]!;
      if (o.ok) b.resolve(o.value);
      else b.reject(o.error);
    });
  }

  private inOneTransaction(batch: Pending<T>[]): Promise<Outcome<T>[]> {
    return inTx(
      this.db,
      undefined,
      async (trx) => {
        await lockInOrder(trx, batchLockKeys(batch.map((b) => b.scope)));
        const out: Outcome<T>[] = [];
        for (const b of batch) {
          await sql`savepoint checkout`.execute(trx);
          try {
            out.push({ ok: true, value: await b.run(trx) });
          } catch (error) {
            if (!isRefusal(error)) throw error;
            await sql`rollback to savepoint checkout`.execute(trx);
            out.push({ ok: false, error });
          }
        }
        return out;
      },
      1, // no retry of the batch: its checkouts go singly instead, each with the usual retries
    );
  }
}
