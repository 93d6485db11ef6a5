/**
 * The AliExpress Open Platform request signature (docs: "Signature algorithm", AliExpress Open Platform,
 * developer.alibaba.com articleId 120692; "Calling parameters", articleId 120691). Pure: no clock, no I/O.
 *
 *  1. every request parameter — system (app_key, timestamp, sign_method, access_token, method, …) and
 *     business ones — except `sign` itself and file (byte array) parameters, sorted by name in ASCII order;
 *  2. concatenated as name1value1name2value2… with no separators;
 *  3. for the `/rest/<path>` style, the API path written in front (`/auth/token/create…`); the `/sync`
 *     style (an API name with dots in the `method` parameter) has nothing in front;
 *  4. HMAC-SHA256 over the UTF-8 bytes keyed with the app secret, written as UPPER-case hex.
 *
 * The official SDKs (iop-sdk-python's `sign`) add the path exactly when the API name contains a "/";
 * `apiPathOf` keeps that rule in one place.
 */
import { createHmac } from 'node:crypto';

/** The `sign_method` value that selects HMAC-SHA256 (the platform also knows md5/hmac, which we never send). */
export const SIGN_METHOD = 'sha256';

/** How far the request's timestamp may be from the platform's clock ("should not exceed 7200 seconds"). */
export const MAX_TIMESTAMP_SKEW_MS = 7_200_000;

/** The string that is signed: the path (for /rest calls), then the sorted name-value pairs. */
export function signatureBase(params: Readonly<Record<string, string>>, apiPath = ''): string {
  const names = Object.keys(params)
    .filter((n) => n !== 'sign')
    // ASCII order on the name, as the platform sorts: not localeCompare (locale-aware, puts "_" elsewhere).
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let s = apiPath;
  for (const n of names) s += n + params[n];
  return s;
}

/** The `sign` value for these parameters. */
export function sign(params: Readonly<Record<string, string>>, appSecret: string, apiPath = ''): string {
  return createHmac('sha256', appSecret).update(signatureBase(params, apiPath), 'utf8').digest('hex').toUpperCase();
}

/** `/auth/token/create` is signed with its path in front; `aliexpress.solution.order.get` is not. */
export function apiPathOf(apiName: string): string {
  return apiName.includes('/') ? apiName : '';
}

/**
 * The request's `timestamp` as epoch milliseconds: the platform takes digits (epoch ms, what the SDKs send)
 * or an ISO UTC time (`2017-11-11T12:00:00Z`). NaN when it is neither.
 */
export function timestampMs(value: string): number {
  if (/^\d{10,16}$/.test(value)) return Number(value);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value)) return Date.parse(value);
  return Number.NaN;
}

/** Whether a request stamped `value` is acceptable at `now` (the replay window the platform enforces). */
export function timestampFresh(value: string, now: Date, skewMs = MAX_TIMESTAMP_SKEW_MS): boolean {
  const t = timestampMs(value);
  return Number.isFinite(t) && Math.abs(now.getTime() - t) <= skewMs;
}
