import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { ManualClock } from '../clock.js';
import { AuthService } from './service.js';
import { SESSION_CACHE_MS } from './sessions.js';
import { hashPassword, verifyPassword } from './passwords.js';

const S1 = 'first-secret-'.padEnd(40, '1');
const S2 = 'second-secret-'.padEnd(40, '2');
const noDirectory = { channel: async () => undefined, location: async () => undefined };

describe('token secrets and sessions across processes', () => {
  let database: TestDatabase;
  const clock = new ManualClock('2026-04-01T08:00:00Z');
  const processWith = async (secret: string | undefined, previous: string[] = []) => {
    const auth = new AuthService(database.db, clock, noDirectory, secret, previous);
    await auth.init();
    return auth;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('rotating OMNIA_SECRET keeps old tokens valid while the old secret is listed as previous', async () => {
    const before = await processWith(S1);
    const { token } = before.issueCustomerToken('cus_rotation', 'chn_web');
    expect((await before.authenticate(token))?.id).toBe('cus_rotation');

    const rotated = await processWith(S2, [S1]);
    expect((await rotated.authenticate(token))?.id).toBe('cus_rotation');
    // New tokens are signed with the new secret: the old process cannot read them.
    const fresh = rotated.issueCustomerToken('cus_rotation', 'chn_web').token;
    expect(fresh.split('.')[1]).not.toBe(token.split('.')[1]);
    expect(await before.authenticate(fresh)).toBeUndefined();

    // Once the previous secret is dropped, its tokens end.
    const dropped = await processWith(S2);
    expect(await dropped.authenticate(token)).toBeUndefined();
    expect((await dropped.authenticate(fresh))?.id).toBe('cus_rotation');
  });

  it('without OMNIA_SECRET every process shares the generated secret stored in the database', async () => {
    const a = await processWith(undefined);
    const b = await processWith(undefined);
    const { token } = a.issueCustomerToken('cus_shared', 'chn_web');
    expect((await b.authenticate(token))?.id).toBe('cus_shared');
  });

  it('a revocation by one process is refused by another within SESSION_CACHE_MS, at once by itself', async () => {
    const a = await processWith(S1);
    const b = await processWith(S1);
    const { token } = a.issueCustomerToken('cus_erased', 'chn_web');
    expect(await a.authenticate(token)).toBeDefined();
    expect(await b.authenticate(token)).toBeDefined(); // b caches it as live
    clock.advance(1);
    await a.revokeCustomerSessions(['cus_erased']);
    expect(await a.authenticate(token)).toBeUndefined();
    expect(await b.authenticate(token)).toBeDefined();
    clock.advance(SESSION_CACHE_MS);
    expect(await b.authenticate(token)).toBeUndefined();
    // A token issued after the revocation is live.
    clock.advance(1);
    expect(await b.authenticate(a.issueCustomerToken('cus_erased', 'chn_web').token)).toBeDefined();
  });

  it('a token issued right after a revocation, in the same millisecond, is live (a password reset hands one out)', async () => {
    const a = await processWith(S1);
    const { token: old } = a.issueCustomerToken('cus_reset', 'chn_web');
    expect(await a.authenticate(old)).toBeDefined();
    clock.advance(1);
    // The clock does not move between the revocation and the new token.
    await a.revokeCustomerSessions(['cus_reset']);
    const fresh = a.issueCustomerToken('cus_reset', 'chn_web').token;
    expect(await a.authenticate(old)).toBeUndefined();
    expect((await a.authenticate(fresh))?.id).toBe('cus_reset');
    // Another process reads the revocation from the database and agrees.
    const b = await processWith(S1);
    expect(await b.authenticate(old)).toBeUndefined();
    expect((await b.authenticate(fresh))?.id).toBe('cus_reset');
  });

  it('purges ended sessions once their tokens would have expired', async () => {
    const a = await processWith(S1);
    const { token } = a.issueCustomerToken('cus_purge', 'chn_web');
    const principal = await a.authenticate(token);
    await a.logout(principal);
    expect(await a.authenticate(token)).toBeUndefined();
    expect(await a.purgeSessions()).toBe(0);
    clock.advance(31 * 24 * 3600_000);
    expect(await a.purgeSessions()).toBeGreaterThanOrEqual(1);
    const left = await database.db.selectFrom('auth_revoked_sessions').select('sid').execute();
    expect(left).toEqual([]);
  });
});

describe('passwords', () => {
  it('check a missing hash against the dummy (false), and a real one', async () => {
    const hash = await hashPassword('the right password');
    expect(await verifyPassword(hash, 'the right password')).toBe(true);
    expect(await verifyPassword(hash, 'a wrong password')).toBe(false);
    expect(await verifyPassword(null, 'the right password')).toBe(false);
    expect(await verifyPassword(undefined, '')).toBe(false);
  });
});
