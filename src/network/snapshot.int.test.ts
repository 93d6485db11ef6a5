import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../test/helpers/db.js';
import { systemClock } from '../platform/clock.js';
import { inBackground } from '../platform/db/tx.js';
import { TxGuardError } from '../platform/db/tx-guard.js';
import { NetworkService } from './service.js';

describe(`network snapshot and transactions (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestDatabase;
  let network: NetworkService;
  beforeAll(async () => {
    t = await createTestDatabase();
    network = new NetworkService(t.db, systemClock);
    await network.createChannel({ code: 'web', type: 'web', name: 'Web' });
  });
  afterAll(() => t.close());

  // The deadlock the re-entrant PGlite driver hid: the outside read starts the shared pool load, which
  // waits for the transaction's connection; the inside read awaited that same load. vitest's
  // testTimeout is the failure condition.
  it('serves an invalidated snapshot read from outside and inside a transaction at once', async () => {
    let fromOutside: Promise<unknown> = Promise.resolve();
    const [inside, meanwhile] = await t.db.transaction().execute(async (trx) => {
      network.invalidate();
      fromOutside = inBackground(() => network.listChannels());
      const fromInside = await network.listChannels({ trx });
      return [fromInside, await Promise.race([fromOutside, 'pending'])] as const;
    });
    expect(inside.map((c) => c.code)).toEqual(['web']);
    if (!onPostgres) expect(meanwhile).toBe('pending'); // it waits for the commit, not inside the transaction
    const [outside] = (await Promise.all([fromOutside])) as [{ code: string }[]];
    expect(outside.map((c) => c.code)).toEqual(['web']);
  });

  it('refuses a cached read without { trx } inside a transaction, warm or cold', async () => {
    await network.listChannels(); // warm
    await t.db.transaction().execute(async (trx) => {
      await expect(network.listChannels()).rejects.toThrow(TxGuardError);
      network.invalidate();
      await expect(network.requireChannel('web')).rejects.toThrow('pass { trx }');
      expect((await network.requireChannel('web', { trx })).code).toBe('web');
    });
  });

  // On PostgreSQL the background refresh commits a snapshot without the row while the transaction is
  // open; the writing transaction must still read its own write, and nobody else may.
  it('a transaction reads its own network writes, and no other reader is served them', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await network.createChannel({ code: 'tmp', type: 'pos', name: 'Rolled back' }, { trx });
        expect((await network.requireChannel('tmp', { trx })).code).toBe('tmp');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await network.channel('tmp')).toBeUndefined();
  });
});
