import { createHmac, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyEntry, KeyRing } from './keyring.js';

/**
 * Signed bearer tokens for staff and customers: `v2.<kid>.<base64url payload>.<base64url HMAC-SHA256>`.
 * The signature needs no database read; `kid` names the secret that signed it (see keyring.ts), so a
 * rotated secret keeps verifying its tokens. Whether the session behind a token is still live
 * (logout, disabled user, erased customer) is checked by sessions.ts against `sid` and `iat`.
 * `v1` tokens (no session, no kid) are refused: they could not be revoked.
 */
export interface TokenClaims {
  /** staff | customer */
  k: 'staff' | 'customer';
  /** user id or customer id */
  sub: string;
  /** session id: what logout revokes */
  sid: string;
  /** issued at, milliseconds since epoch: a subject's revocation refuses every token issued until then */
  iat: number;
  role?: string;
  loc?: string | null;
  /** channel a customer token was issued through */
  chn?: string;
  email?: string;
  /** expiry, seconds since epoch */
  exp: number;
}

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

export function signToken(claims: TokenClaims, key: KeyEntry): string {
  const signed = `v2.${key.kid}.${b64(JSON.stringify(claims))}`;
  return `${signed}.${createHmac('sha256', key.secret).update(signed).digest('base64url')}`;
}

/** Returns the claims, or undefined when the token is malformed, forged, signed by an unknown secret or expired. */
export function verifyToken(token: string, keys: KeyRing, nowMs: number): TokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== 'v2') return undefined;
  const key = keys.get(parts[1]!);
  if (!key) return undefined;
  const expected = createHmac('sha256', key.secret).update(`v2.${parts[1]}.${parts[2]}`).digest();
  const given = Buffer.from(parts[3]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[2]!, 'base64url').toString('utf8')) as TokenClaims;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) return undefined;
    if (typeof claims.sid !== 'string' || typeof claims.iat !== 'number' || typeof claims.sub !== 'string')
      return undefined;
    return claims;
  } catch {
    return undefined;
  }
}

/**
 * API keys: `omk_pub_<key id>.<secret>` (publishable) or `omk_sec_<key id>.<secret>` (secret), so
 * anyone reading one — a reviewer, a secret scanner — sees at once whether it may be public. Keys
 * minted before kinds existed read `omk_<key id>.<secret>` and still parse; the kind in the
 * database is what counts. The secret is 32 random bytes, so a fast SHA-256 of it is as safe to
 * store as a slow hash of a password would be, and cheap enough to check per request.
 */
export function newApiKeySecret(): string {
  return randomBytes(32).toString('base64url');
}
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
export function formatApiKey(kind: 'publishable' | 'secret', id: string, secret: string): string {
  return `omk_${kind === 'publishable' ? 'pub' : 'sec'}_${id}.${secret}`;
}
export function parseApiKey(
  raw: string,
): { id: string; secret: string; kind: 'publishable' | 'secret' | undefined } | undefined {
  const m = /^omk_(?:(pub|sec)_)?(key_[0-9A-Z]{26})\.([A-Za-z0-9_-]{43})$/.exec(raw);
  if (!m) return undefined;
  const kind = m[1] === 'pub' ? 'publishable' : m[1] === 'sec' ? 'secret' : undefined;
  return { id: m[2]!, secret: m[3]!, kind };
}
/**
 * Constant-time equality of two API key secrets (43 base64url characters): the time depends on the
 * length only, never on where they first differ.
 */
export function sameSecret(given: string, known: string): boolean {
  if (given.length !== known.length) return false;
  let diff = 0;
  for (let i = 0; i < given.length; i++) diff |= given.charCodeAt(i) ^ known.charCodeAt(i);
  return diff === 0;
}
export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
