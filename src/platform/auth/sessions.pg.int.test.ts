import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { ManualClock } from '../clock.js';
import { inBackground } from '../db/tx-guard.js';
import { AuthService } from './service.js';

/**
 * PostgreSQL only: it needs a second connection to read while a revoking transaction is still open,
 * which PGlite's single connection cannot show.
 */
describe('a revocation is immediate in its own process, even before its transaction commits', () => {
  let database: TestDatabase;
  let auth: AuthService;
  const clock = new ManualClock('2026-05-01T10:00:00Z');

  beforeAll(async () => {
    database = await createTestDatabase();
    auth = new AuthService(database.db, clock, { channel: async () => undefined, location: async () => undefined });
    await auth.init();
  });
  afterAll(() => database.close());

  it('refuses the token while the erasure is still in flight, and keeps refusing after commit', async () => {
    const { token } = auth.issueCustomerToken('cus_inflight', 'chn_web');
    expect(await auth.authenticate(token)).toBeDefined();
    clock.advance(1);
    await database.db.transaction().execute(async (trx) => {
      await auth.revokeCustomerSessions(['cus_inflight'], trx);
      // Another request, on another connection (outside this transaction's scope): the revocation is
      // not committed yet, so only the process's memory of it can refuse the token.
      await inBackground(async () => {
        expect(await database.db.selectFrom('auth_revocations').selectAll().execute()).toEqual([]);
        expect(await auth.authenticate(token)).toBeUndefined();
      });
    });
    expect(await auth.authenticate(token)).toBeUndefined();
    clock.advance(60_000);
    expect(await auth.authenticate(token)).toBeUndefined();
  });
});
