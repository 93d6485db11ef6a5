import type { FastifyBaseLogger } from 'fastify';
import { levels } from 'pino';

type LogCall = (...args: unknown[]) => void;
type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildOptions = Parameters<FastifyBaseLogger['child']>[1];

/**
 * A request's logger (Fastify's `request.log`, bound to the request id), made on its first use.
 * Fastify makes a pino child per request; with request logging off (any level above debug) most
 * requests never log, and the child — its bindings serialised, its redaction set up — was about 2 %
 * of a pricing quote's server CPU (bench/_pricing-http.ts profile). What is logged is the same.
 * Methods on the prototype, not per-instance closures: one small object per request.
 * A call below the level makes no child either: the error handler's `debug` of every 4xx problem
 * made one per refused request (a 401 answer's CPU, bench/_http-path.ts). It would have logged nothing.
 */
export class LazyChildLogger {
  private made: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildOptions,
  ) {}

  private get real(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return this.made?.level ?? this.options?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real.level = level;
  }

  /** Whether a call at `level` would write: the child's level is its options' or else its parent's. */
  private logs(level: string): boolean {
    if (this.made) return true;
    const min = levels.values[this.level];
    // A level pino does not name (a custom one): let the real child decide.
    return min === undefined || levels.values[level]! >= min;
  }

  fatal(...args: unknown[]): void {
    if (this.logs('fatal')) (this.real.fatal as LogCall)(...args);
  }
  error(...args: unknown[]): void {
    if (this.logs('error')) (this.real.error as LogCall)(...args);
  }
  warn(...args: unknown[]): void {
    if (this.logs('warn')) (this.real.warn as LogCall)(...args);
  }
  info(...args: unknown[]): void {
    if (this.logs('info')) (this.real.info as LogCall)(...args);
  }
  debug(...args: unknown[]): void {
    if (this.logs('debug')) (this.real.debug as LogCall)(...args);
  }
  trace(...args: unknown[]): void {
    if (this.logs('trace')) (this.real.trace as LogCall)(...args);
  }
  silent(...args: unknown[]): void {
    (this.real.silent as LogCall)(...args);
  }

  child(bindings: Bindings, options?: ChildOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: the lazy child above, typed as the logger Fastify expects. */
export function lazyChildLogger(
  parent: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildOptions,
): FastifyBaseLogger {
  return new LazyChildLogger(parent, bindings, options) as unknown as FastifyBaseLogger;
}
