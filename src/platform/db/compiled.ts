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
 * does not come out as a parameter (compiled inline by `sql.lit`/`sql.raw`, or inside a larger value);
 * every placeholder must be bound on every call, never to `undefined`, and a name the statement does
 * not use is refused. `compiledRow` and `compiledRows` (below) take rows whose keys vary by caller.
 *
 * What must not vary per call is the text, so a statement whose shape depends on the values cannot be
 * one: a list of variable length goes as one array parameter (`= any(${sql.val(p.ids)}::text[])`,
 * never a Kysely `in`), or, on a hot path, through `compiledList` (in-list.ts: one text per short
 * length, so PostgreSQL keeps a generic plan); an optional condition takes two statements (or stays a
 * Kysely builder), and a column Kysely would leave out for `undefined` is always written (bind `null`
 * or its default explicitly).
 *
 * On an executor with Kysely plugins (`withPlugin`: a test's statement counter) a statement is built
 * and compiled per call, so every plugin sees every query as it would without this module.
 */
import type { Compilable, CompiledQuery, QueryResult, RawBuilder } from 'kysely';
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
 * `p`'s type, annotated in `build`'s signature, is the statement's parameters. `build` may return a
 * query builder or a raw `sql` template.
 */
export function compiled<P extends Record<string, unknown>, R>(
  build: (db: Executor, p: P) => Compilable<R> | RawBuilder<R>,
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
    // A plugin transforms each query as it is compiled (and may count or rewrite it): with one, the
    // statement is built and compiled per call, as an ordinary Kysely query.
    if (ex.getExecutor().plugins.length > 0) {
      const built = build(ex, values);
      return ex.executeQuery('isRawBuilder' in built ? built.compile(ex) : built);
    }
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
    // Every placeholder is bound (checked above), so more keys than placeholders means an unknown one.
    if (Object.keys(values).length > names.length) throw unknownKey(values, names);
    return ex.executeQuery<R>({ ...query, parameters } as CompiledQuery<R>);
  };

  return {
    ...readers(execute),
    describe(ex) {
      const { query, slots } = shapeFor(ex);
      const parameters: (string | null)[] = query.parameters.map(() => null);
      for (const [i, name] of slots) parameters[i] = name;
      return { sql: query.sql, parameters };
    },
  };
}

export interface CompiledRowStatement<P, R> extends Omit<CompiledStatement<P, R>, 'describe'> {
  /** How many key lists have been compiled. */
  readonly shapes: number;
}

/** Shapes kept per row statement; past this a new key set runs as an ordinary Kysely query. */
const MAX_ROW_SHAPES = 32;

/**
 * A statement over a row whose columns vary between call sites (an `Insertable` or an `Updateable`
 * patch): compiled once per list of the row's defined keys, in their order, as Kysely would write
 * them (it leaves out a key whose value is `undefined`). `build` gets the row with a placeholder for
 * each of those keys and `p` for the other parameters (their names must not start with `row.`). A row
 * holding a Kysely expression (`sql\`version + 1\``) is not a value: that call runs as an ordinary
 * Kysely query, as does any key set past the first 32.
 */
export function compiledRow<Row extends Record<string, unknown>, P extends Record<string, unknown>, R>(
  build: (db: Executor, row: Row, p: P) => Compilable<R>,
): CompiledRowStatement<{ row: Row } & P, R> {
  // one row is the one-row case of compiledRows: the same key lists, slots and checks
  const many = rowsStatement<Row, P, R>((db, rows, p) => build(db, rows[0]!, p), MAX_ROW_SHAPES);
  const run = (ex: Executor, values: { row: Row } & P): Promise<QueryResult<R>> => {
    const { row, ...rest } = values;
    return many.run(ex, { rows: [row], ...rest } as unknown as { rows: readonly Row[] } & P);
  };
  return {
    ...readers(run),
    get shapes() {
      return many.shapes;
    },
  };
}

/**
 * `compiledRow` for several rows (a multi-row insert): compiled once per number of rows and list of
 * each row's defined keys, so an order of three lines is one text and one of two another (each
 * named by prepared.ts once repeated). `build` gets the rows with placeholders and `p` for the other
 * parameters (their names must not start with `rows.`). Rows holding an expression, and key lists
 * past the first 64, run as an ordinary Kysely query.
 */
export function compiledRows<Row extends Record<string, unknown>, P extends Record<string, unknown>, R>(
  build: (db: Executor, rows: Row[], p: P) => Compilable<R>,
): CompiledRowStatement<{ rows: readonly Row[] } & P, R> {
  return rowsStatement(build, 2 * MAX_ROW_SHAPES);
}

/** compiledRows' statement, keeping at most `maxShapes` key lists. */
function rowsStatement<Row extends Record<string, unknown>, P extends Record<string, unknown>, R>(
  build: (db: Executor, rows: Row[], p: P) => Compilable<R>,
  maxShapes: number,
): CompiledRowStatement<{ rows: readonly Row[] } & P, R> {
  const byKeys = new Map<string, { keys: string[][]; shapes: WeakMap<object, RowsShape> }>();
  const plain = (ex: Executor, values: { rows: readonly Row[] } & P): Promise<QueryResult<R>> => {
    const { rows, ...rest } = values;
    return ex.executeQuery(build(ex, [...rows], rest as unknown as P));
  };
  const run = async (ex: Executor, values: { rows: readonly Row[] } & P): Promise<QueryResult<R>> => {
    const rows = values.rows;
    let sig = '';
    for (const row of rows) {
      for (const k of Object.keys(row)) {
        const v = row[k];
        if (v === undefined) continue;
        if (v !== null && typeof (v as { toOperationNode?: unknown }).toOperationNode === 'function')
          return plain(ex, values);
        sig += `${k}\u0000`;
      }
      sig += '\u0001';
    }
    let entry = byKeys.get(sig);
    if (!entry) {
      if (byKeys.size >= maxShapes) return plain(ex, values);
      const keys = sig
        .split('\u0001')
        .slice(0, -1)
        .map((r) => r.split('\u0000').slice(0, -1));
      entry = { keys, shapes: new WeakMap() };
      byKeys.set(sig, entry);
    }
    if (ex.getExecutor().plugins.length > 0) return plain(ex, values);
    const adapter = ex.getExecutor().adapter;
    let shape = entry.shapes.get(adapter);
    if (!shape) {
      const keys = entry.keys;
      const c = compile(ex, (db, ph: Record<string, unknown>) =>
        build(
          db,
          keys.map((ks, i) => Object.fromEntries(ks.map((k) => [k, ph[`rows.${i}.${k}`]])) as Row),
          ph as P,
        ),
      );
      shape = {
        query: c.query,
        slots: c.slots.map(([i, name]) => {
          const m = /^rows\.(\d+)\.(.*)$/.exec(name);
          return m ? ([i, Number(m[1]), m[2]!] as const) : ([i, -1, name] as const);
        }),
        restNames: c.names.filter((n) => !n.startsWith('rows.')),
      };
      entry.shapes.set(adapter, shape);
    }
    const parameters = shape.query.parameters.slice();
    for (const [i, r, key] of shape.slots) {
      const v = r >= 0 ? rows[r]![key] : (values as Record<string, unknown>)[key];
      if (v === undefined)
        throw new CompiledStatementError(`compiled statement: placeholder '${key}' is not bound (or undefined)`);
      parameters[i] = v;
    }
    if (Object.keys(values).length - 1 > shape.restNames.length) {
      const { rows: _rows, ...rest } = values;
      throw unknownKey(rest, shape.restNames);
    }
    return ex.executeQuery<R>({ ...shape.query, parameters } as CompiledQuery<R>);
  };
  return {
    ...readers(run),
    get shapes() {
      return byKeys.size;
    },
  };
}

/** A statement's readers from its `run`: all rows, the first row, the driver's result. */
function readers<V, R>(run: (ex: Executor, values: V) => Promise<QueryResult<R>>) {
  return {
    async rows(ex: Executor, values: V): Promise<R[]> {
      return (await run(ex, values)).rows;
    },
    async first(ex: Executor, values: V): Promise<R | undefined> {
      return (await run(ex, values)).rows[0];
    },
    run,
  };
}

interface RowsShape {
  readonly query: CompiledQuery;
  /** (position, row index or -1 for the other parameters, key). */
  readonly slots: readonly (readonly [number, number, string])[];
  readonly restNames: readonly string[];
}

function unknownKey(values: Record<string, unknown>, names: readonly string[]): CompiledStatementError {
  const k = Object.keys(values).find((x) => !names.includes(x));
  return new CompiledStatementError(`compiled statement: no placeholder '${k}'`);
}

function compile<P, R>(ex: Executor, build: (db: Executor, p: P) => Compilable<R> | RawBuilder<R>): Shape {
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
  const built = build(ex, p);
  const query = 'isRawBuilder' in built ? built.compile(ex) : built.compile();
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
