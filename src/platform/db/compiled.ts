/**
 * Compiled statements: a hot call site's query built once with Kysely (typed, in the dialect's SQL),
 * compiled once, then executed with new values as a `CompiledQuery` on whichever executor the caller
 * passes (the pool or its `trx`), so transactions, the transaction guard and the prepared-statement
 * naming (prepared.ts) work as for any other query. Kysely builds an immutable node tree and compiles
 * it to text on every call, though the text of a call site never changes; on a checkout that was ≈ 8 %
 * of the process's CPU (docs/scaling.md, "Compiled statements").
 *
 *   const byId = compiled((db, p: { id: string }) =>
 *     db.selectFrom('carts').selectAll().where('id', '=', p.id));
 *   const cart = await byId.first(trx, { id });   // typed as the built query's row
 *
 * `p` gives one placeholder per parameter: a unique sentinel string typed as the parameter's type,
 * which Kysely passes through as an ordinary value; after compiling, each sentinel is found in the
 * compiled parameters and its positions are replaced on every call. Building fails if a placeholder
 * does not come out as a parameter (compiled inline by `sql.lit`/`sql.raw`, or never used); every
 * placeholder must be bound on every call, never to `undefined`.
 *
 * What must not vary per call is the text, so a statement whose shape depends on the values cannot be
 * one: a list of variable length goes as one array parameter (`= any(${sql.val(p.ids)}::text[])`,
 * never `in`), an optional condition takes two statements (or stays a Kysely builder), and a column
 * Kysely would leave out for `undefined` is always written (bind `null` or its default explicitly).
 */
import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import { randomBytes } from 'node:crypto';
import type { Executor } from './schema.js';

export class CompiledStatementError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CompiledStatementError';
  }
}

interface Shape {
  readonly query: CompiledQuery;
  /** (position in parameters, placeholder name), for every position a placeholder took. */
  readonly slots: readonly (readonly [number, string])[];
  readonly names: readonly string[];
}

export interface CompiledStatement<P, R> {
  /** All rows, typed as the built query's rows. */
  rows(ex: Executor, values: P): Promise<R[]>;
  /** The first row, or undefined (as `executeTakeFirst`). */
  first(ex: Executor, values: P): Promise<R | undefined>;
  /** The driver's result: rows and `numAffectedRows` (as an update's or delete's `numUpdatedRows`). */
  run(ex: Executor, values: P): Promise<QueryResult<R>>;
  /** The compiled text and the placeholder of each parameter position (null: a value fixed at build). */
  describe(ex: Executor): { sql: string; parameters: readonly (string | null)[] };
}

/**
 * A statement built by `build` the first time it runs on a database (per dialect adapter: every
 * transaction of one Kysely shares its adapter), then only bound and executed.
 * `p`'s type, annotated in `build`'s signature, is the statement's parameters.
 */
export function compiled<P extends Record<string, unknown>, R>(
  build: (db: Executor, p: P) => Compilable<R>,
): CompiledStatement<P, R> {
  const shapes = new WeakMap<object, Shape>();

  const shapeFor = (ex: Executor): Shape => {
    const key = ex.getExecutor().adapter;
    const known = shapes.get(key);
    if (known) return known;
    const shape = compile(ex, build);
    shapes.set(key, shape);
    return shape;
  };

  const execute = async (ex: Executor, values: P): Promise<QueryResult<R>> => {
    const { query, slots, names } = shapeFor(ex);
    const parameters = query.parameters.slice();
    for (const [i, name] of slots) {
      const v = values[name];
      if (v === undefined)
        throw new CompiledStatementError(
          name in values
            ? `compiled statement: placeholder '${name}' bound to undefined (bind null)`
            : `compiled statement: placeholder '${name}' is not bound`,
        );
      parameters[i] = v;
    }
    for (const k of Object.keys(values))
      if (!names.includes(k)) throw new CompiledStatementError(`compiled statement: no placeholder '${k}'`);
    return ex.executeQuery<R>({ ...query, parameters } as CompiledQuery<R>);
  };

  return {
    async rows(ex, values) {
      return (await execute(ex, values)).rows;
    },
    async first(ex, values) {
      return (await execute(ex, values)).rows[0];
    },
    run: execute,
    describe(ex) {
      const { query, slots } = shapeFor(ex);
      const parameters: (string | null)[] = query.parameters.map(() => null);
      for (const [i, name] of slots) parameters[i] = name;
      return { sql: query.sql, parameters };
    },
  };
}

function compile<P, R>(ex: Executor, build: (db: Executor, p: P) => Compilable<R>): Shape {
  const nonce = randomBytes(8).toString('hex');
  const byToken = new Map<string, string>();
  const p = new Proxy(
    {},
    {
      get(_t, prop) {
        if (typeof prop !== 'string') return undefined;
        const token = `\u0001omnia:${nonce}:${prop}\u0001`;
        byToken.set(token, prop);
        return token;
      },
    },
  ) as P;
  const query = build(ex, p).compile();
  const slots: [number, string][] = [];
  query.parameters.forEach((v, i) => {
    if (typeof v === 'string' && byToken.has(v)) slots.push([i, byToken.get(v)!]);
  });
  const names = [...new Set(byToken.values())];
  for (const name of names) {
    if (!slots.some(([, n]) => n === name))
      throw new CompiledStatementError(
        `compiled statement: placeholder '${name}' is not a parameter of the compiled query (compiled inline or inside a value)`,
      );
  }
  if (query.sql.includes(`\u0001omnia:${nonce}:`))
    throw new CompiledStatementError('compiled statement: a placeholder was compiled into the SQL text');
  return { query, slots, names };
}
