/**
 * Repeated statements as named prepared statements on PostgreSQL, so each connection parses,
 * analyses and (while PostgreSQL keeps a generic plan) plans a hot statement once instead of on every
 * execution. Kysely sends every statement unnamed (`client.query(text, values)`), which makes the
 * server do all three per call; on a checkout's ~50 short statements that is a large share of the
 * database's CPU (docs/scaling.md, "Prepared statements").
 *
 * Which statements: only parameterised ones (the extended protocol is used for them anyway) whose
 * exact text was sent `NAME_AFTER` times by this process, so a one-off statement (a planning chunk's
 * own tables, an ad-hoc report) never takes a name. At most `MAX_NAMED` texts are named per process:
 * each named statement costs server memory on every pooled connection that ran it, and prepared
 * statements cannot be bounded per connection without a DEALLOCATE round trip. The same text has the
 * same name on every connection (names are per connection on the server; node-postgres remembers which
 * its connection has parsed and sends only Bind/Execute after the first time).
 */

const MAX_NAMED = 400;
/**
 * Texts with more parameters are never named: they are the batch-length VALUES and IN lists (a new
 * text per length, some of 30 KB), which would take the bounded names first-come and keep them.
 */
export const MAX_PARAMS = 64;
const NAME_AFTER = 3;
/** Counts of texts not yet named; cleared when it grows past this (a workload of one-off texts). */
const SEEN_LIMIT = 20_000;

export class StatementNames {
  private readonly names = new Map<string, string>();
  private readonly seen = new Map<string, number>();
  /** Part of every name; a new generation renames every statement (see `forget`). */
  private generation = 0;

  constructor(
    private readonly maxNamed = MAX_NAMED,
    private readonly nameAfter = NAME_AFTER,
    private readonly seenLimit = SEEN_LIMIT,
  ) {}

  /** The name to send `text` under, or undefined to send it unnamed. */
  nameOf(text: string): string | undefined {
    const known = this.names.get(text);
    if (known !== undefined || this.names.size >= this.maxNamed) return known;
    const n = (this.seen.get(text) ?? 0) + 1;
    if (n < this.nameAfter) {
      if (this.seen.size >= this.seenLimit) this.seen.clear();
      this.seen.set(text, n);
      return undefined;
    }
    this.seen.delete(text);
    const name = `omnia_g${this.generation}_s${this.names.size}`;
    this.names.set(text, name);
    return name;
  }

  /**
   * A table's columns changed under a prepared `select *` or `returning *` (a migration run while this
   * process serves): PostgreSQL refuses to run that statement again on every connection that prepared
   * it. Every text is named afresh under a new generation, so each connection parses it again on its
   * next use; the statement that met the error fails once (its transaction is aborted anyway).
   */
  forget(): void {
    this.generation++;
    this.names.clear();
  }

  get size(): number {
    return this.names.size;
  }
}

type Query = (...args: unknown[]) => unknown;

/**
 * Wraps a client's `query` (connect.ts, the pool's 'connect' hook): `query(text, values)` with at least
 * one value goes out as `{ name, text, values }` once the text is named. Everything else (a config
 * object, a COPY stream, a statement without parameters, a callback) passes through unchanged.
 */
export function namingQuery(query: Query, names: StatementNames): Query {
  return (...args: unknown[]) => {
    const [text, values] = args;
    if (
      args.length === 2 &&
      typeof text === 'string' &&
      Array.isArray(values) &&
      values.length > 0 &&
      values.length <= MAX_PARAMS
    ) {
      const name = names.nameOf(text);
      if (name !== undefined)
        return (query({ name, text, values }) as Promise<unknown>).catch((err: unknown) => {
          if (planChanged(err)) names.forget();
          throw err;
        });
    }
    return query(...args);
  };
}

/** PostgreSQL's "cached plan must not change result type" (feature_not_supported, from plancache.c). */
function planChanged(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e?.code === '0A000' && typeof e.message === 'string' && e.message.includes('cached plan must not change');
}
