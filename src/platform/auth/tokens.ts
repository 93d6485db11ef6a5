import { createHmac, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signed bearer tokens for staff and customers: `v1.<base64url payload>.<base64url HMAC-SHA256>`.
 * Stateless so every process verifies without a database read; they expire (staff 12 h by default).
 */
export interface TokenClaims {
  /** staff | customer */
  k: 'staff' | 'customer';
  /** user id or customer id */
  sub: string;
  role?: string;
  loc?: string | null;
  /** channel a customer token was issued through */
  chn?: string;
  email?: string;
  /** expiry, seconds since epoch */
  exp: number;
}

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

export function signToken(claims: TokenClaims, secret: string): string {
  const body = b64(JSON.stringify(claims));
  const sig = createHmac('sha256', secret).update(`v1.${body}`).digest('base64url');
  return `v1.${body}.${sig}`;
}

/** Returns the claims, or undefined when the token is malformed, forged or expired. */
export function verifyToken(token: string, secret: string, nowMs: number): TokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'v1') return undefined;
  const expected = createHmac('sha256', secret).update(`v1.${parts[1]}`).digest();
  const given = Buffer.from(parts[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as TokenClaims;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) return undefined;
    return claims;
  } catch {
    return undefined;
  }
}

/**
 * API keys: `omk_<key id>.<secret>`. The secret is 32 random bytes, so a fast SHA-256 of it is as
 * safe to store as a slow hash of a password would be, and cheap enough to check per request.
 */
export function newApiKeySecret(): string {
  return randomBytes(32).toString('base64url');
}
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
export function formatApiKey(id: string, secret: string): string {
  return `omk_${id}.${secret}`;
}
export function parseApiKey(raw: string): { id: string; secret: string } | undefined {
  const m = /^omk_(key_[0-9A-Z]{26})\.([A-Za-z0-9_-]{43})$/.exec(raw);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}
export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
