/**
 * The seller's authorisation: exchanging the OAuth `code` for tokens (`/rest/auth/token/create`) and renewing
 * them (`/rest/auth/token/refresh`). These are the platform's "/rest" style calls: the API path is the URL's tail
 * and is written in front of the signed string (signing.ts), and the answer is flat —
 * `{ code: "0", access_token, refresh_token, expire_time, refresh_token_valid_time, … }` or
 * `{ code: "<error>", type, message, request_id }`.
 *
 * Used when setting a connection up or renewing it (docs/connectors/aliexpress.md); the connector itself only
 * sends the access token it is given.
 */
import { ConnectorHttp, parseJson, resolveDeps } from '../http.js';
import {
  MalformedResponseError,
  MarketplaceAuthError,
  MarketplaceRejectedError,
  ThrottledError,
  type ConnectorDeps,
} from '../types.js';
import { classifyError } from './rules.js';
import { SIGN_METHOD, sign } from './signing.js';

export interface SellerTokens {
  access_token: string;
  refresh_token: string;
  /** When the access token stops working. */
  expires_at: Date;
  /** When the refresh token does (the seller must authorise the app again after it). */
  refresh_expires_at: Date | null;
  seller_id: string | null;
}

/** `https://api-sg.aliexpress.com/sync` → `https://api-sg.aliexpress.com/rest` (the same gateway's /rest root). */
export function restRoot(baseUrl: string): string {
  const u = new URL(baseUrl);
  u.pathname = u.pathname.replace(/\/(sync|rest)\/?$/, '') + '/rest';
  u.search = '';
  return u.toString().replace(/\/$/, '');
}

/** The token answer → tokens; null when it lacks what we need. Pure. */
export function readTokens(body: unknown): SellerTokens | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as Record<string, unknown>;
  const ms = (v: unknown): number | null =>
    (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v))) && Number(v) > 0 ? Number(v) : null;
  const expires = ms(b.expire_time);
  if (typeof b.access_token !== 'string' || !b.access_token || typeof b.refresh_token !== 'string' || !expires) {
    return null;
  }
  const refreshExpires = ms(b.refresh_token_valid_time);
  return {
    access_token: b.access_token,
    refresh_token: b.refresh_token,
    expires_at: new Date(expires),
    refresh_expires_at: refreshExpires ? new Date(refreshExpires) : null,
    seller_id: b.seller_id === undefined || b.seller_id === null ? null : String(b.seller_id),
  };
}

async function tokenCall(
  baseUrl: string,
  app: { app_key: string; app_secret: string },
  path: '/auth/token/create' | '/auth/token/refresh',
  params: Record<string, string>,
  deps: ConnectorDeps,
): Promise<SellerTokens> {
  const resolved = resolveDeps(deps);
  const all: Record<string, string> = {
    ...params,
    app_key: app.app_key,
    timestamp: String(resolved.now().getTime()),
    sign_method: SIGN_METHOD,
  };
  all.sign = sign(all, app.app_secret, path);
  // Tokens are single-use on the platform's side once answered: no automatic retry of a lost answer here.
  const http = new ConnectorHttp({ ...resolved, maxAttempts: 1 });
  const answer = await http.send({
    operation: path,
    method: 'POST',
    url: restRoot(baseUrl) + path,
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: new URLSearchParams(all).toString(),
    retryOnTimeout: false,
  });
  const body = parseJson(answer.text, path, answer.status) as Record<string, unknown> | null;
  const code = body && body.code !== undefined ? String(body.code) : '0';
  if (code !== '0') {
    const message = String(body?.message ?? body?.msg ?? '');
    const { kind, retryAfterMs } = classifyError({ code, sub_code: null, message });
    const detail = `${path}: ${code} ${message}`.trim();
    if (kind === 'throttled') throw new ThrottledError(detail, retryAfterMs);
    if (kind === 'auth') throw new MarketplaceAuthError(detail);
    throw new MarketplaceRejectedError(detail);
  }
  const tokens = readTokens(body);
  if (!tokens) throw new MalformedResponseError(`${path}: the answer lacks access_token, refresh_token or expire_time`);
  return tokens;
}

/** The seller authorised the app and the callback got `code`: exchange it for tokens. */
export function createTokens(
  baseUrl: string,
  app: { app_key: string; app_secret: string },
  code: string,
  deps: ConnectorDeps = {},
): Promise<SellerTokens> {
  return tokenCall(baseUrl, app, '/auth/token/create', { code }, deps);
}

/** Renews the tokens before the access token expires (store both answers: the refresh token may change). */
export function refreshTokens(
  baseUrl: string,
  app: { app_key: string; app_secret: string },
  refreshToken: string,
  deps: ConnectorDeps = {},
): Promise<SellerTokens> {
  return tokenCall(baseUrl, app, '/auth/token/refresh', { refresh_token: refreshToken }, deps);
}
