/**
 * Matching a column against a list of values so that PostgreSQL keeps one plan for the statement.
 *
 * `col = any($1::text[])` is one text for every list, so prepared.ts names it once, but PostgreSQL
 * plans it again on every execution while the list is short: the generic plan assumes an array of 10
 * elements, the custom plan sees the real one, so for one to nine values the custom plan always
 * looks cheaper and is made afresh (0.1–0.4 ms of planning per call on the quote's catalog read,
 * more than it takes to execute; docs/scaling.md, "Plans kept (thirteenth session)"). A list of at most `SHORT_LIST`
 * values goes as `col in ($1, …, $n)`, whose generic plan counts the values: one text per length,
 * each planned once per connection as any other prepared statement. A longer list keeps the array
 * parameter; its generic plan (10 elements) then looks no dearer than the custom one and is kept.
 */
import { sql, type Compilable, type QueryResult, type RawBuilder } from 'kysely';
import type { Executor } from './schema.js';
import { compiled, type CompiledStatement } from './compiled.js';

/** Lists up to this length are sent as `in (…)`, one parameter per value. */
export const SHORT_LIST = 10;

export type ListType = 'text' | 'bigint';
type Column = string | RawBuilder<unknown>;

const columnSql = (col: Column) => (typeof col === 'string' ? sql.ref(col) : col);

/** `col in ($1, …)`: one parameter per value (placeholders, in a compiled statement's build). */
const inSql = (col: Column, values: readonly unknown[]) =>
  sql<boolean>`${columnSql(col)} in (${sql.join(values.map((v) => sql.val(v)))})`;
/** `col = any($1::type[])`: the whole list as one array parameter. */
const anySql = (col: Column, list: unknown, type: ListType) =>
  sql<boolean>`${columnSql(col)} = any(${sql.val(list)}::${sql.raw(type)}[])`;

/** `col in ($1, …)` for a short list, `col = any($1::type[])` for a longer one (never empty). */
export function inList(
  col: Column,
  values: readonly (string | number)[],
  type: ListType = 'text',
): RawBuilder<boolean> {
  if (!values.length) throw new Error('inList: an empty list matches nothing; callers skip the statement');
  return values.length <= SHORT_LIST ? inSql(col, values) : anySql(col, values, type);
}

/** The list's matcher inside a compiled statement's build: `match(col)` is the predicate. */
export type ListMatch = (col: Column) => RawBuilder<boolean>;

export interface CompiledListStatement<P, R> {
  rows(ex: Executor, list: readonly (string | number)[], values: P): Promise<R[]>;
  run(ex: Executor, list: readonly (string | number)[], values: P): Promise<QueryResult<R>>;
}

/**
 * A compiled statement (compiled.ts) whose `build` matches one column against a list: compiled once
 * per list length up to `SHORT_LIST` (as `in`) and once for longer lists (as `= any`). The list is
 * bound apart from the other parameters; an empty list is the caller's to skip.
 */
export function compiledList<P extends Record<string, unknown>, R>(
  type: ListType,
  build: (db: Executor, p: P, match: ListMatch) => Compilable<R> | RawBuilder<R>,
): CompiledListStatement<P, R> {
  const byLength = new Map<number, CompiledStatement<Record<string, unknown>, R>>();
  const statement = (n: number) => {
    const key = n <= SHORT_LIST ? n : 0;
    let s = byLength.get(key);
    if (!s) {
      s = compiled((db, p: Record<string, unknown>) =>
        build(db, p as P, (col) =>
          key === 0
            ? anySql(col, p['list.all'], type)
            : inSql(
                col,
                Array.from({ length: key }, (_, i) => p[`list.${i}`]),
              ),
        ),
      );
      byLength.set(key, s);
    }
    return s;
  };
  const run = (ex: Executor, list: readonly (string | number)[], values: P) => {
    if (!list.length) throw new Error('compiledList: an empty list matches nothing; callers skip the statement');
    const bound: Record<string, unknown> = { ...values };
    if (list.length > SHORT_LIST) bound['list.all'] = list;
    else list.forEach((v, i) => (bound[`list.${i}`] = v));
    return statement(list.length).run(ex, bound);
  };
  return {
    run,
    async rows(ex, list, values) {
      return (await run(ex, list, values)).rows;
    },
  };
}
