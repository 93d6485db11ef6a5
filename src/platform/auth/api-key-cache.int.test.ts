import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { ManualClock } from '../clock.js';
import { AuthService } from './service.js';

/**
 * The per-process cache of verified API keys (service.ts): a cached key answers without reading
 * the database or hashing the secret again, so what it must still refuse is checked here — another
 * secret under the same key id, a prefix that contradicts the kind, a revocation in this process.
 */
describe('verified API keys cached per process', () => {
  let database: TestDatabase;
  let auth: AuthService;
  const clock = new ManualClock('2026-06-01T10:00:00Z');
  const web = { id: 'chn_web', code: 'web' };
  /** Holds the directory's answer while set, so a test can revoke between a key's read and its caching. */
  let gate: Promise<void> | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    auth = new AuthService(
      database.db,
      clock,
      {
        channel: async (x) => {
          await gate;
          return x === web.id || x === web.code ? web : undefined;
        },
        location: async () => undefined,
      },
      'k'.repeat(40),
    );
    await auth.init();
  });
  afterAll(() => database.close());

  it('refuses another secret under a cached key id, whichever character differs', async () => {
    const { key } = await auth.createApiKey({ channel: 'web', scopes: ['pricing:read'] });
    expect((await auth.authenticate(key))?.id).toMatch(/^key_/);
    // cached now: the database is not asked again, so a wrong secret is refused by the cache itself
    const secret = key.split('.')[1]!;
    for (const at of [0, 21, secret.length - 1]) {
      const other = secret.slice(0, at) + (secret[at] === 'A' ? 'B' : 'A') + secret.slice(at + 1);
      expect(await auth.authenticate(`${key.split('.')[0]}.${other}`)).toBeUndefined();
    }
    expect((await auth.authenticate(key))?.kind).toBe('api_key');
  });

  it('refuses a prefix that contradicts the stored kind, also once the key is cached', async () => {
    const { key } = await auth.createApiKey({ channel: 'web', kind: 'publishable' });
    expect((await auth.authenticate(key))?.kind).toBe('api_key');
    expect(await auth.authenticate(key.replace('omk_pub_', 'omk_sec_'))).toBeUndefined();
    // a key without a kind prefix (minted before kinds) is what the database says
    const bare = key.replace('omk_pub_', 'omk_');
    const principal = await auth.authenticate(bare);
    expect(principal?.kind === 'api_key' && principal.keyKind).toBe('publishable');
  });

  it('refuses a key revoked in this process on the very next request', async () => {
    const { key, id } = await auth.createApiKey({ channel: 'web', scopes: ['pricing:read'] });
    expect(await auth.authenticate(key)).toBeDefined();
    await auth.revokeApiKey(id);
    expect(await auth.authenticate(key)).toBeUndefined();
  });

  it('does not cache a key whose row was read before a revocation in this process finished', async () => {
    const { key, id } = await auth.createApiKey({ channel: 'web', scopes: ['pricing:read'] });
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    // this request reads the row (not revoked yet) and waits on the directory before caching it
    const racing = auth.authenticate(key);
    await new Promise((r) => setTimeout(r, 50));
    await auth.revokeApiKey(id);
    open();
    gate = undefined;
    await racing;
    expect(await auth.authenticate(key)).toBeUndefined();
  });
});
