import type { Clock } from '../clock.js';
import type { Db, Executor } from './schema.js';
import { inBackground, inTransactionScope, txGuardRefusal } from './tx-guard.js';

/**
 * One small table set held in memory (the network, the active promotions), read on hot paths.
 *
 * - A cached value is served at once; once older than `maxAgeMs` on the injected clock it is refreshed
 *   in the background on the pool, outside any transaction (stale-while-revalidate), so a caller never
 *   waits for it. A frozen test clock never ages it: only invalidate() (every write path) reloads it.
 * - With nothing cached (first read, or after invalidate()), a caller outside any transaction awaits
 *   the one shared load on the pool; a caller inside a transaction (`{ trx }`) loads through its own
 *   trx and shares that load with nobody. Awaiting the shared pool load instead would, on PGlite, wait
 *   for the connection its own transaction holds while the load waits for that transaction — a
 *   deadlock — and a load through one transaction may see rows no other reader may (uncommitted, or
 *   rolled back later), so it never populates the cache.
 */
export class SnapshotCache<T> {
  private cached: { at: number; value: T } | undefined;
  /** The one shared load, on the pool; only callers outside any transaction await it. */
  private loading: Promise<T> | undefined;
  /** Bumped by invalidate(), so a load that began before a write does not install its stale result. */
  private generation = 0;
  /** Transactions that wrote the cached tables: they read their own writes, never the cache. */
  private readonly wroteIn = new WeakSet<Executor>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly load: (db: Executor) => Promise<T>,
    private readonly maxAgeMs: number,
  ) {}

  get(opts: { trx?: Executor | undefined } = {}): Promise<T> {
    // Without `trx` inside a transaction, a cold cache would load on the pool: refused (tx-guard.ts).
    // Refused warm too, so the suites catch the path whatever state the cache happens to be in.
    if (!opts.trx && inTransactionScope()) return Promise.reject(txGuardRefusal('a cached read without { trx }'));
    if (opts.trx && this.wroteIn.has(opts.trx)) return this.load(opts.trx);
    const c = this.cached;
    if (c) {
      if (this.clock.now().getTime() - c.at > this.maxAgeMs) this.refreshInBackground();
      return Promise.resolve(c.value);
    }
    if (opts.trx?.isTransaction) {
      this.refreshInBackground(); // so the cache fills again even if only transactions read it
      return this.load(opts.trx);
    }
    return this.loading ?? this.startLoad();
  }

  /** After a write; with the writing transaction (`{ trx }`), that one reads through itself from now on. */
  invalidate(opts: { trx?: Executor | undefined } = {}): void {
    if (opts.trx?.isTransaction) this.wroteIn.add(opts.trx);
    this.cached = undefined;
    this.loading = undefined;
    this.generation++;
  }

  private startLoad(): Promise<T> {
    const generation = this.generation;
    const p = this.load(this.db)
      .then((value) => {
        if (generation === this.generation) this.cached = { at: this.clock.now().getTime(), value };
        return value;
      })
      .finally(() => {
        if (this.loading === p) this.loading = undefined;
      });
    this.loading = p;
    return p;
  }

  private refreshInBackground(): void {
    if (this.loading) return;
    // Not part of the caller's transaction: on PGlite it waits for that commit, on PostgreSQL it
    // takes another connection; nobody inside a transaction awaits it. A failure keeps the old value.
    inBackground(() => this.startLoad()).catch(() => undefined);
  }
}
