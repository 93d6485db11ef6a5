import { AsyncLocalStorage } from 'node:async_hooks';
import {
  Kysely,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type KyselyConfig,
  type TransactionBuilder,
  type TransactionSettings,
} from 'kysely';

/**
 * Detection, never routing: a transaction's callback runs in a scope that records that it is open,
 * and a query through the pool (`this.db`) issued from within that scope is refused with an error
 * naming the call site. Queries always go where the code sends them: `trx` or the pool.
 *
 * Why refuse: on PGlite the pool has one connection and the open transaction holds it, so such a
 * read waits for itself forever; on PostgreSQL it runs on another connection, outside the
 * transaction, and sees neither its writes nor its locks. Either way the fix is to pass `{ trx }`.
 */
interface Scope {
  open: boolean;
  /** The guard's `trace` option (`OMNIA_TX_GUARD_TRACE`, read by loadConfig): print each refusal's stack. */
  trace: boolean;
}
const scope = new AsyncLocalStorage<Scope>();

export class TxGuardError extends Error {
  constructor(what: string) {
    super(`${what} inside a transaction: pass { trx }`);
    this.name = 'TxGuardError';
  }
}

/**
 * The refusal of `what` inside the current transaction scope. A route turns it into a logged 500,
 * silent in tests: with the guard's `trace` on, its stack (the call site) is printed when hunting them.
 */
export function txGuardRefusal(what: string): TxGuardError {
  const err = new TxGuardError(what);
  if (scope.getStore()?.trace) console.error(err.stack);
  return err;
}

/** True when the caller runs in the scope of a transaction callback that has not ended. */
export function inTransactionScope(): boolean {
  return scope.getStore()?.open === true;
}

/**
 * Runs `fn` (and whatever it schedules) as background work, no longer part of the caller's
 * transaction: timers, nudges and cache refreshes started while a transaction is open. Their pool
 * queries then wait for a connection (on PGlite, for the commit) instead of being refused.
 */
export function inBackground<T>(fn: () => T): T {
  return scope.exit(fn);
}

class GuardedDriver implements Driver {
  constructor(private readonly inner: Driver) {}
  init(): Promise<void> {
    return this.inner.init();
  }
  acquireConnection(): Promise<DatabaseConnection> {
    // Called for every pool query and for opening a transaction; queries on `trx` reuse its connection.
    if (inTransactionScope()) return Promise.reject(txGuardRefusal('read through this.db (or a new transaction)'));
    return this.inner.acquireConnection();
  }
  beginTransaction(c: DatabaseConnection, s: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(c, s);
  }
  commitTransaction(c: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(c);
  }
  rollbackTransaction(c: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(c);
  }
  releaseConnection(c: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(c);
  }
  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

function guarded(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new GuardedDriver(dialect.createDriver()),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}

/** Runs each transaction callback in a scope marked open until the callback settles. */
function scoped<DB>(builder: TransactionBuilder<DB>, trace: boolean): TransactionBuilder<DB> {
  return new Proxy(builder, {
    get(target, prop, receiver) {
      if (prop === 'execute') {
        return <T>(fn: Parameters<TransactionBuilder<DB>['execute']>[0]) =>
          target.execute((trx) => {
            const s: Scope = { open: true, trace };
            // Work the callback detached keeps the store after it ends; closing it frees that work.
            return scope.run(s, () => fn(trx) as Promise<T>).finally(() => (s.open = false));
          });
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const out = (value as (...a: unknown[]) => unknown).apply(target, args);
        return out && typeof (out as TransactionBuilder<DB>).execute === 'function'
          ? scoped(out as TransactionBuilder<DB>, trace)
          : out;
      };
    },
  });
}

class GuardedKysely<DB> extends Kysely<DB> {
  constructor(
    config: KyselyConfig,
    private readonly trace: boolean,
  ) {
    super(config);
  }
  override transaction(): TransactionBuilder<DB> {
    return scoped(super.transaction(), this.trace);
  }
}

/**
 * The process's Kysely. With `guard`, pool queries from inside a transaction callback throw
 * `TxGuardError` (and with `trace`, print its stack); without it (PostgreSQL in production) they run as written.
 */
export function createKysely<DB>(config: KyselyConfig, opts: { guard: boolean; trace?: boolean }): Kysely<DB> {
  return opts.guard
    ? new GuardedKysely<DB>({ ...config, dialect: guarded(config.dialect) }, opts.trace ?? false)
    : new Kysely<DB>(config);
}
