/**
 * The test card provider's memory in the database (as a PSP's own: outside our transactions): an
 * authorisation is decided and stored in one statement; the same idempotency key answers the first
 * outcome from another process's provider (a fresh instance on the same database), approved or
 * declined, also when two calls with one key race; `retrieve` reads what was stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { statementCounter } from '../../test/helpers/statements.js';
import { testCardProvider } from './providers.js';

const auth = (card: string) => ({
  amount: 1000,
  currency: 'EUR',
  reference: 'ord_1',
  request: { provider: 'test', card_number: card },
});

describe('test card provider remembered in the database', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.close());

  it('stores a new key in one statement and answers the first outcome to another process', async () => {
    const counter = statementCounter();
    const a = testCardProvider({ db: t.db.withPlugin(counter.plugin) });
    const first = await a.authorise(auth('4242424242424242'), { idempotency_key: 'k1' });
    expect(first.ok).toBe(true);
    expect(counter.count).toBe(1);
    // the same key again in this process: from memory
    expect(await a.authorise(auth('4242424242424242'), { idempotency_key: 'k1' })).toEqual(first);
    expect(counter.count).toBe(1);

    const b = testCardProvider({ db: t.db });
    expect(await b.authorise(auth('4242424242424242'), { idempotency_key: 'k1' })).toEqual(first);
    expect(await testCardProvider({ db: t.db }).retrieve!('k1')).toEqual(first);
  });

  it('keeps a declined outcome for its key', async () => {
    const a = testCardProvider({ db: t.db });
    const declined = await a.authorise(auth('4000000000000002'), { idempotency_key: 'k2' });
    const again = await testCardProvider({ db: t.db }).authorise(auth('4242424242424242'), { idempotency_key: 'k2' });
    expect(again).toEqual(declined);
  });

  it('answers one outcome to calls with one key that race from two processes', async () => {
    const [x, y] = await Promise.all([
      testCardProvider({ db: t.db }).authorise(auth('4242424242424242'), { idempotency_key: 'k3' }),
      testCardProvider({ db: t.db }).authorise(auth('4242424242424242'), { idempotency_key: 'k3' }),
    ]);
    expect(x.ok && y.ok).toBe(true);
    expect(y).toEqual(x);
  });
});
