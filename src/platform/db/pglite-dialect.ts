import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { Kysely as KyselyBase, type KyselyConfig, type Transaction, type TransactionBuilder } from 'kysely';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Kysely over embedded PGlite. PGlite has exactly one connection, so the driver hands it out to one
 * holder at a time (a FIFO mutex): a transaction keeps it from BEGIN to COMMIT and every other query
 * waits. That serialises the process, which is what an embedded single-user database can offer.
 *
 * Re-entrance: code running inside a transaction's callback that queries through the pool (a
 * service refreshing a cache with `this.db` while its caller holds `trx`) would wait for the
 * connection its own transaction holds — forever. So each transaction callback runs in an
 * AsyncLocalStorage scope holding a token, and a query from within the scope of the transaction that
 * holds the connection uses it directly; a transaction opened there becomes a SAVEPOINT. On
 * PostgreSQL such a query would run on another connection outside the transaction; here it runs
 * inside it, which is the only answer a single connection can give without deadlocking.
 */
const scope = new AsyncLocalStorage<object>();
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const acquired = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return acquired;
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pg: PGlite) {}
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // Parameterless SQL may hold several statements (migrations): the simple protocol runs them all.
    const res =
      query.parameters.length === 0 && query.sql.includes(';')
        ? ((await this.pg.exec(query.sql)).at(-1) as Awaited<ReturnType<PGlite['query']>> & { rows: R[] })
        : await this.pg.query<R>(query.sql, query.parameters as unknown[]);
    const affected = res.rowCount ?? res.affectedRows ?? 0;
    const isWrite =
      res.command === 'INSERT' || res.command === 'UPDATE' || res.command === 'DELETE' || res.command === 'MERGE';
    return isWrite ? { rows: res.rows, numAffectedRows: BigInt(affected) } : { rows: res.rows };
  }
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported on PGlite');
  }
}

/** The same connection, handed to code inside the holding transaction's scope; its transactions are savepoints. */
class NestedConnection extends PGliteConnection {
  constructor(
    pg: PGlite,
    readonly savepoint: string,
  ) {
    super(pg);
  }
}

/** Which transaction's scope currently holds the connection (tokens stack for nested transactions). */
export interface HolderState {
  holder: object | undefined;
}

class PGliteDriver implements Driver {
  private readonly mutex = new Mutex();
  private readonly conn: PGliteConnection;
  private releases = new Map<DatabaseConnection, () => void>();
  private nested = 0;
  constructor(
    private readonly pg: PGlite,
    private readonly state: HolderState,
  ) {
    this.conn = new PGliteConnection(pg);
  }
  async init(): Promise<void> {
    await this.pg.waitReady;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const token = scope.getStore();
    if (token !== undefined && token === this.state.holder)
      return new NestedConnection(this.pg, `omnia_sp_${++this.nested}`);
    const release = await this.mutex.lock();
    this.releases.set(this.conn, release);
    return this.conn;
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (connection instanceof NestedConnection) {
      await connection.executeQuery(CompiledQuery.raw(`savepoint ${connection.savepoint}`));
      return;
    }
    const iso = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await connection.executeQuery(CompiledQuery.raw(`begin${iso}`));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const sql = connection instanceof NestedConnection ? `release savepoint ${connection.savepoint}` : 'commit';
    await connection.executeQuery(CompiledQuery.raw(sql));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const sql = connection instanceof NestedConnection ? `rollback to savepoint ${connection.savepoint}` : 'rollback';
    await connection.executeQuery(CompiledQuery.raw(sql));
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (connection instanceof NestedConnection) return;
    const release = this.releases.get(connection);
    this.releases.delete(connection);
    release?.();
  }
  async destroy(): Promise<void> {
    await this.pg.close();
  }
}

export class PGliteDialect implements Dialect {
  constructor(
    private readonly pg: PGlite,
    readonly state: HolderState = { holder: undefined },
  ) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pg, this.state);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}

/** Runs each transaction callback in a scope whose token marks it as the connection's holder. */
function scoped<DB>(builder: TransactionBuilder<DB>, state: HolderState): TransactionBuilder<DB> {
  return new Proxy(builder, {
    get(target, prop, receiver) {
      if (prop === 'execute') {
        return <T>(fn: (trx: Transaction<DB>) => Promise<T>) =>
          target.execute((trx) => {
            const token = {};
            const previous = state.holder;
            state.holder = token;
            return scope
              .run(token, () => fn(trx))
              .finally(() => {
                state.holder = previous;
              });
          });
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const out = (value as (...a: unknown[]) => unknown).apply(target, args);
        return out && typeof (out as TransactionBuilder<DB>).execute === 'function'
          ? scoped(out as TransactionBuilder<DB>, state)
          : out;
      };
    },
  });
}

/** A Kysely whose transactions mark their scope, so the driver can serve re-entrant queries. */
export class PGliteKysely<DB> extends KyselyBase<DB> {
  constructor(
    config: KyselyConfig,
    private readonly state: HolderState,
  ) {
    super(config);
  }
  override transaction(): TransactionBuilder<DB> {
    return scoped(super.transaction(), this.state);
  }
}

export function createPGliteKysely<DB>(pg: PGlite): KyselyBase<DB> {
  const dialect = new PGliteDialect(pg);
  return new PGliteKysely<DB>({ dialect }, dialect.state);
}

/**
 * Runs `fn` outside any transaction scope. Background work started from inside a transaction
 * (timers, nudges) uses it so that it never joins, re-entrantly, the transaction that started it.
 */
export function outsideTransactionScope<T>(fn: () => T): T {
  return scope.exit(fn);
}
