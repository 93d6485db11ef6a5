import { backoffDelay, retryAfterMs, spacingFromRate, type BackoffPolicy, DEFAULT_BACKOFF } from './backoff.js';
import {
  MalformedResponseError,
  MarketplaceAuthError,
  MarketplaceError,
  MarketplaceRejectedError,
  MarketplaceTimeoutError,
  MarketplaceUnavailableError,
  ThrottledError,
  type ConnectorDeps,
} from './types.js';

/**
 * The HTTP client every connector uses: one request with a timeout, the answer classified into the closed
 * set of connector errors (types.ts), and throttled / timed-out / 5xx calls tried again with jittered
 * exponential back-off. It also paces calls per operation: when a provider announces its rate (Amazon's
 * `x-amzn-RateLimit-Limit`), the next call of that operation waits for its slot instead of spending a
 * request on a certain 429.
 *
 * A timed-out write may have taken effect; callers only retry writes that are idempotent on the provider
 * (a listing PUT, a feed whose content is the latest figure), and the service records intent before calling.
 */

export interface HttpRequest {
  /** Rate-limit bucket name (the API operation); calls of one operation share a pace. */
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Whether a timeout may be retried (a GET, or an idempotent write). Defaults to true for GET. */
  retryOnTimeout?: boolean;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

export interface ResolvedDeps {
  fetch: typeof fetch;
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  maxAttempts: number;
  now: () => Date;
  backoff: BackoffPolicy;
}

export function resolveDeps(deps: ConnectorDeps = {}): ResolvedDeps {
  return {
    fetch: deps.fetch ?? ((...a) => fetch(...a)),
    timeoutMs: deps.timeoutMs ?? 15_000,
    sleep: deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    random: deps.random ?? Math.random,
    maxAttempts: deps.maxAttempts ?? 5,
    now: deps.now ?? (() => new Date()),
    backoff: DEFAULT_BACKOFF,
  };
}

/** Classifies a non-2xx answer. 429 is handled by the caller's retry loop before this. */
export function errorForStatus(status: number, text: string, operation: string): MarketplaceError {
  const detail = `${operation}: HTTP ${status} ${text.slice(0, 300)}`;
  if (status === 401 || status === 403) return new MarketplaceAuthError(detail, status);
  if (status === 429) return new ThrottledError(detail);
  if (status >= 500) return new MarketplaceUnavailableError(detail, status);
  return new MarketplaceRejectedError(detail, status);
}

/** Parses a JSON body; a body that is not JSON is a malformed answer (nothing from it is used). */
export function parseJson(text: string, operation: string, status: number | null = null): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MalformedResponseError(`${operation}: answer is not JSON (${text.slice(0, 80)})`, status);
  }
}

export class ConnectorHttp {
  /** Per operation: the ms between two calls at the rate the provider last announced. */
  private readonly spacing = new Map<string, number>();

  constructor(readonly deps: ResolvedDeps) {}

  /** Sends the request, retrying throttling, timeouts and 5xx; returns a 2xx answer or throws. */
  async send(req: HttpRequest): Promise<HttpAnswer> {
    const retryTimeout = req.retryOnTimeout ?? req.method === 'GET';
    let last: MarketplaceError | null = null;
    for (let attempt = 1; attempt <= this.deps.maxAttempts; attempt++) {
      let hint: number | null = null;
      try {
        const answer = await this.once(req);
        this.learnPace(req.operation, answer.headers);
        if (answer.status >= 200 && answer.status < 300) return answer;
        if (answer.status === 429) {
          hint =
            retryAfterMs(answer.headers.get('retry-after'), this.deps.now()) ?? this.spacing.get(req.operation) ?? null;
          last = new ThrottledError(`${req.operation}: throttled (429)`, hint);
        } else {
          const err = errorForStatus(answer.status, answer.text, req.operation);
          if (!err.retryable) throw err;
          last = err;
        }
      } catch (err) {
        if (!(err instanceof MarketplaceError)) throw err;
        if (!err.retryable || (err instanceof MarketplaceTimeoutError && !retryTimeout)) throw err;
        last = err;
      }
      if (attempt < this.deps.maxAttempts) {
        await this.deps.sleep(backoffDelay(attempt, this.deps.random(), this.deps.backoff, hint));
      }
    }
    throw last ?? new MarketplaceUnavailableError(`${req.operation}: no attempt made`);
  }

  /** `send` then the body as JSON. */
  async json(req: HttpRequest): Promise<{ status: number; headers: Headers; body: unknown }> {
    const a = await this.send(req);
    return { status: a.status, headers: a.headers, body: a.text === '' ? null : parseJson(a.text, req.operation) };
  }

  private async once(req: HttpRequest): Promise<HttpAnswer> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.deps.timeoutMs);
    try {
      const res = await this.deps.fetch(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: controller.signal,
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, text };
    } catch (err) {
      // The outbound guard refused the address (outbound.ts): final, never retried.
      if (err instanceof MarketplaceError) throw err;
      if (controller.signal.aborted) {
        throw new MarketplaceTimeoutError(`${req.operation}: no answer within ${this.deps.timeoutMs} ms`);
      }
      throw new MarketplaceUnavailableError(`${req.operation}: ${(err as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  private learnPace(operation: string, headers: Headers): void {
    const spacing = spacingFromRate(headers.get('x-amzn-ratelimit-limit'));
    if (spacing !== null) this.spacing.set(operation, spacing);
  }
}
