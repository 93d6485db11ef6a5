/**
 * The AliExpress Open Platform gateway client: one signed call (`/sync` style: the API name in `method`),
 * a timeout per try, and the gateway's answers mapped to the connector error set (../types.ts).
 *
 * AliExpress reports most failures at HTTP 200 inside `{ error_response: { code, msg, sub_code, … } }` —
 * throttling included ("ApiCallLimit … This ban will last for N more seconds") — so retrying cannot be left
 * to the shared HTTP client, which only sees statuses. This loop owns every retry: the transport is asked
 * for one try at a time, and throttling (200 + code, or a plain 429), 5xx, network failures and (for calls
 * that are safe to repeat) timeouts are tried again with the shared jittered back-off, honouring the ban's
 * announced length as a floor. Each try is signed afresh: a new timestamp, a new signature.
 *
 * A malformed answer (not JSON, or not the documented envelope) is thrown at once as MalformedResponseError:
 * nothing of it is used, and the caller's cursor does not move, so nothing is lost; the service retries later.
 */
import { backoffDelay } from '../backoff.js';
import { ConnectorHttp, parseJson, type ResolvedDeps } from '../http.js';
import {
  MalformedResponseError,
  MarketplaceAuthError,
  MarketplaceError,
  MarketplaceRejectedError,
  MarketplaceTimeoutError,
  MarketplaceUnavailableError,
  ThrottledError,
} from '../types.js';
import { classifyError } from './rules.js';
import { SIGN_METHOD, apiPathOf, sign } from './signing.js';

export interface AliExpressCredentials {
  app_key: string;
  app_secret: string;
  /** The seller's authorisation (OAuth access token), sent as `access_token`. */
  access_token: string;
}

export interface CallOptions {
  /** Whether a try that timed out may be sent again: true only for reads and absolute (idempotent) writes. */
  retryOnTimeout: boolean;
}

export class AliExpressClient {
  /** One try per `send`: the retry loop below decides, because AliExpress throttles at HTTP 200. */
  private readonly http: ConnectorHttp;

  constructor(
    private readonly baseUrl: string,
    private readonly creds: AliExpressCredentials,
    private readonly deps: ResolvedDeps,
  ) {
    this.http = new ConnectorHttp({ ...deps, maxAttempts: 1 });
  }

  /** The signed form for one try of `method` with these business parameters. */
  signedForm(method: string, params: Record<string, string>, now: Date): URLSearchParams {
    const all: Record<string, string> = {
      ...params,
      method,
      app_key: this.creds.app_key,
      access_token: this.creds.access_token,
      timestamp: String(now.getTime()),
      sign_method: SIGN_METHOD,
      format: 'json',
      simplify: 'false',
    };
    all.sign = sign(all, this.creds.app_secret, apiPathOf(method));
    return new URLSearchParams(all);
  }

  /**
   * Calls `method` and returns its `<method_with_underscores>_response` object (e.g. the value holding
   * `result`). Throws a MarketplaceError subclass.
   */
  async call(method: string, params: Record<string, string>, opts: CallOptions): Promise<Record<string, unknown>> {
    const { maxAttempts } = this.deps;
    let last: MarketplaceError | null = null;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let hint: number | null = null;
      try {
        return await this.once(method, params);
      } catch (err) {
        if (!(err instanceof MarketplaceError)) throw err;
        const retryable =
          err instanceof ThrottledError ||
          err instanceof MarketplaceUnavailableError ||
          (err instanceof MarketplaceTimeoutError && opts.retryOnTimeout);
        if (!retryable) throw err;
        last = err;
        if (err instanceof ThrottledError) hint = err.retryAfterMs;
      }
      if (attempt < maxAttempts) {
        await this.deps.sleep(backoffDelay(attempt, this.deps.random(), this.deps.backoff, hint));
      }
    }
    throw last ?? new MarketplaceUnavailableError(`${method}: no attempt made`);
  }

  private async once(method: string, params: Record<string, string>): Promise<Record<string, unknown>> {
    const body = this.signedForm(method, params, this.deps.now()).toString();
    const answer = await this.http.send({
      operation: method,
      method: 'POST',
      url: this.baseUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', accept: 'application/json' },
      body,
      retryOnTimeout: false,
    });
    const parsed = parseJson(answer.text, method, answer.status);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new MalformedResponseError(`${method}: answer is not a JSON object`, answer.status);
    }
    const doc = parsed as Record<string, unknown>;
    const error = doc.error_response;
    if (error !== undefined) throw errorFrom(method, error);
    const key = `${method.replace(/\./g, '_')}_response`;
    const payload = doc[key];
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
      throw new MalformedResponseError(`${method}: answer lacks ${key}`, answer.status);
    }
    return payload as Record<string, unknown>;
  }
}

/** `error_response` → the connector error it means. */
function errorFrom(method: string, raw: unknown): MarketplaceError {
  if (!raw || typeof raw !== 'object') return new MalformedResponseError(`${method}: error_response is not an object`);
  const e = raw as Record<string, unknown>;
  const code = e.code === undefined || e.code === null ? '' : String(e.code);
  const subCode = typeof e.sub_code === 'string' ? e.sub_code : null;
  const message = [e.msg, e.sub_msg, e.message].filter((m) => typeof m === 'string' && m).join(' — ');
  const detail = `${method}: ${code}${subCode ? `/${subCode}` : ''} ${message}`.trim();
  const { kind, retryAfterMs } = classifyError({ code, sub_code: subCode, message });
  switch (kind) {
    case 'throttled':
      return new ThrottledError(detail, retryAfterMs);
    case 'auth':
      return new MarketplaceAuthError(detail);
    case 'unavailable':
      return new MarketplaceUnavailableError(detail);
    default:
      return new MarketplaceRejectedError(detail);
  }
}
