import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { newId } from './ids.js';
import { loadConfig, ConfigError } from './config.js';
import { signToken, verifyToken, parseApiKey, formatApiKey, newApiKeySecret } from './auth/tokens.js';
import { KeyRing, keyId } from './auth/keyring.js';
import { requestHash } from './http/idempotency.js';
import { authorize, PUBLISHABLE_SCOPES, type Principal } from './http/auth-model.js';
import { decodeCursor, encodeCursor, pageOf } from './http/pagination.js';

describe('ids', () => {
  it('are prefixed, 26 chars after the prefix, and strictly increasing within a process', () => {
    const ids = Array.from({ length: 2000 }, () => newId('ord', 1_700_000_000_000));
    expect(ids[0]).toMatch(/^ord_[0-9A-Z]{26}$/);
    const sorted = [...ids].sort();
    expect(sorted).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it('sort by time across milliseconds', () => {
    const a = newId('ord', 1_800_000_000_000);
    const b = newId('ord', 1_800_000_000_001);
    expect(a < b).toBe(true);
  });
  it('draw a fresh random tail for each id, even within one millisecond (an id is no clue to the next)', () => {
    const ids = Array.from({ length: 200 }, () => newId('crt', 1_900_000_000_000));
    const tails = ids.map((id) => id.slice(-13));
    expect(new Set(tails).size).toBe(tails.length);
    // Under the old monotonic rule each id was the previous one plus one: most neighbours shared all
    // but the last characters. Fresh tails share a 12-char head only by 1-in-2^60 chance.
    const sharedHeads = tails.slice(1).filter((t, i) => t.slice(0, 12) === tails[i]!.slice(0, 12));
    expect(sharedHeads).toEqual([]);
  });
});

describe('config', () => {
  it('reads defaults and lets flags override env', () => {
    const c = loadConfig({ PORT: '4000' }, { port: '5000', 'log-level': 'debug' });
    expect(c.port).toBe(5000);
    expect(c.logLevel).toBe('debug');
    expect(c.databaseUrl).toBeUndefined();
  });
  it('reports every bad value at once', () => {
    try {
      loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', OMNIA_SECRET: 'short' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toHaveLength(4);
    }
  });
  it('reads rotated-out secrets and login limits, refusing short secrets and non-numbers', () => {
    const c = loadConfig({
      OMNIA_SECRET_PREVIOUS: ` ${'a'.repeat(32)} , ${'b'.repeat(40)},`,
      OMNIA_LOGIN_RATE_ACCOUNT: '3',
      OMNIA_RATE_WINDOW_S: '10',
    });
    expect(c.secretPrevious).toEqual(['a'.repeat(32), 'b'.repeat(40)]);
    expect(c.rateLimits).toEqual({ windowMs: 10_000, loginPerAccount: 3, loginPerIp: 30, pickupPerIp: 30 });
    expect(loadConfig({}).secretPrevious).toEqual([]);
    expect(() => loadConfig({ OMNIA_SECRET_PREVIOUS: 'short' })).toThrow(/OMNIA_SECRET_PREVIOUS/);
    expect(() => loadConfig({ OMNIA_LOGIN_RATE_IP: 'lots' })).toThrow(/OMNIA_LOGIN_RATE_IP/);
    expect(() => loadConfig({ OMNIA_LOGIN_RATE_ACCOUNT: '0' })).toThrow(/OMNIA_LOGIN_RATE_ACCOUNT/);
  });
});

describe('tokens', () => {
  const secret = 's'.repeat(40);
  const ring = new KeyRing(secret);
  const claims = { k: 'staff' as const, sub: 'usr_1', sid: 'ses_1', iat: 0, role: 'admin', exp: 2000 };
  it('verify what they sign and refuse tampering and expiry', () => {
    const t = signToken(claims, ring.current);
    expect(verifyToken(t, ring, 1000 * 1000)?.sub).toBe('usr_1');
    expect(verifyToken(t, ring, 2001 * 1000)).toBeUndefined();
    expect(verifyToken(t, new KeyRing('x'.repeat(40)), 1000)).toBeUndefined();
    const [v, kid, body, sig] = t.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, exp: 9e9 })).toString('base64url');
    expect(verifyToken(`${v}.${kid}.${forged}.${sig}`, ring, 1000)).toBeUndefined();
    expect(body).toBeTruthy();
  });
  it('verify with a rotated-out secret until it is dropped, and sign with the current one', () => {
    const old = new KeyRing('o'.repeat(40));
    const rotated = new KeyRing('n'.repeat(40), ['o'.repeat(40)]);
    const before = signToken(claims, old.current);
    expect(verifyToken(before, rotated, 1000)?.sub).toBe('usr_1');
    expect(verifyToken(before, new KeyRing('n'.repeat(40)), 1000)).toBeUndefined();
    const after = signToken(claims, rotated.current);
    expect(after.split('.')[1]).toBe(keyId('n'.repeat(40)));
    expect(verifyToken(after, old, 1000)).toBeUndefined();
  });
  it('refuse unversioned v1 tokens, which carry no session and so cannot be revoked', () => {
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const sig = createHmac('sha256', secret).update(`v1.${body}`).digest('base64url');
    expect(verifyToken(`v1.${body}.${sig}`, ring, 1000)).toBeUndefined();
  });
  it('seal values only a ring holding the sealing secret can open', () => {
    const sealed = ring.seal('{"key":"omk_secret"}');
    expect(sealed).not.toContain('omk_secret');
    expect(ring.open(sealed)).toBe('{"key":"omk_secret"}');
    expect(new KeyRing('n'.repeat(40), [secret]).open(sealed)).toBe('{"key":"omk_secret"}');
    expect(new KeyRing('n'.repeat(40)).open(sealed)).toBeUndefined();
    const [p, kid, iv, body] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(ring.open(`${p}.${kid}.${iv}.${flipped.toString('base64url')}`)).toBeUndefined();
  });
  it('api keys round-trip through their format', () => {
    const id = newId('key');
    const secretPart = newApiKeySecret();
    expect(parseApiKey(formatApiKey('secret', id, secretPart))).toEqual({ id, secret: secretPart, kind: 'secret' });
    expect(formatApiKey('publishable', id, secretPart)).toMatch(/^omk_pub_key_/);
    expect(parseApiKey(formatApiKey('publishable', id, secretPart))?.kind).toBe('publishable');
    // Keys minted before kinds existed still parse; the stored kind decides.
    expect(parseApiKey(`omk_${id}.${secretPart}`)).toEqual({ id, secret: secretPart, kind: undefined });
    expect(parseApiKey('omk_nonsense')).toBeUndefined();
  });
});

describe('idempotency request hash', () => {
  it('ignores key order but not values', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.integer()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(requestHash('POST', '/v1/x', obj)).toBe(requestHash('POST', '/v1/x', reversed));
      }),
    );
    expect(requestHash('POST', '/v1/x', { a: 1 })).not.toBe(requestHash('POST', '/v1/x', { a: 2 }));
  });
});

describe('authorization', () => {
  const key: Principal = {
    kind: 'api_key',
    id: 'k',
    keyKind: 'secret',
    channelId: 'c',
    channelCode: 'pos',
    locationId: 'loc_A',
    scopes: new Set(['inventory:read']),
  };
  const customer: Principal = {
    kind: 'customer',
    id: 'c',
    customerId: 'c',
    channelId: 'ch',
    scopes: new Set(['orders:read']),
  };
  it('needs a principal, the scope, and customer opt-in', () => {
    expect(() => authorize({ scope: 'inventory:read' }, undefined)).toThrow(/Authorization/);
    expect(() => authorize({ scope: 'inventory:write' }, key)).toThrow(/scope/);
    expect(() => authorize({ scope: 'inventory:read' }, key)).not.toThrow();
    expect(() => authorize({ scope: 'orders:read' }, customer)).toThrow(/customer/);
    expect(() => authorize({ scope: 'orders:read', customer: true }, customer)).not.toThrow();
    expect(() => authorize('public', undefined)).not.toThrow();
  });
  it('admits a publishable key on shopper routes only, whatever the scope', () => {
    const pub: Principal = { ...key, keyKind: 'publishable', locationId: null, scopes: new Set(PUBLISHABLE_SCOPES) };
    expect(() => authorize({ scope: 'inventory:read', customer: true }, pub)).not.toThrow();
    expect(() => authorize({ scope: 'inventory:read' }, pub)).toThrow(/publishable/);
    expect(() => authorize({ scope: 'orders:read', customer: true }, pub)).toThrow(/scope/);
  });
});

describe('pagination', () => {
  it('pages without repeats or gaps', () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ id: `r${i}` }));
    const first = pageOf(rows.slice(0, 4), 3, (r) => r.id);
    expect(first.items.map((r) => r.id)).toEqual(['r0', 'r1', 'r2']);
    expect(decodeCursor(first.next_cursor!)).toBe('r2');
    expect(pageOf(rows.slice(6), 3, (r) => r.id).next_cursor).toBeNull();
    expect(() => decodeCursor('%%%')).toThrow(/cursor/);
    expect(decodeCursor(encodeCursor(['a', 1]))).toEqual(['a', 1]);
  });
});
