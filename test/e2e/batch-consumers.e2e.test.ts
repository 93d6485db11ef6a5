import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';

/**
 * Issue 17 (2): a consumer subscribed with `subscribeBatch` gets the due events of a delivery batch in
 * one call; when that call fails, the batch is run again one event per call with a savepoint each, so
 * only the failing event fails and the others' writes commit once.
 */
describe('batch event consumers', () => {
  let t: TestApp;
  const clock = new ManualClock(new Date());
  const calls: string[][] = [];
  let broken = false;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    await sql`create table batch_seen (code text primary key)`.execute(t.omnia.ctx.db);
    t.omnia.ctx.bus.subscribeBatch(
      'channel.created',
      async (events, trx) => {
        const codes = events.map((e) => String(e.data.code));
        calls.push(codes);
        // writes first, then fails: a failed call's writes must be rolled back
        for (const c of codes) await sql`insert into batch_seen (code) values (${c})`.execute(trx);
        if (broken && codes.includes('bad')) throw new Error('refuses bad');
      },
      { name: 'test.batch' },
    );
  });
  afterAll(async () => t?.close());

  const create = (code: string) => t.request('POST', '/v1/channels', { body: { code, type: 'web', name: code } });
  const seen = async () =>
    (await sql<{ code: string }>`select code from batch_seen order by code`.execute(t.omnia.ctx.db)).rows.map(
      (r) => r.code,
    );

  it('hands the whole batch to one call, in order', async () => {
    for (const c of ['c1', 'c2', 'c3']) expect((await create(c)).status).toBe(201);
    await t.omnia.dispatcher.drain();
    expect(calls).toEqual([['c1', 'c2', 'c3']]);
    expect(await seen()).toEqual(['c1', 'c2', 'c3']);
  });

  it('retries a failed batch one event at a time: only the failing event fails, the rest commit once', async () => {
    calls.length = 0;
    broken = true;
    for (const c of ['d1', 'bad', 'd2']) await create(c);
    await t.omnia.dispatcher.drain();
    expect(calls).toEqual([['d1', 'bad', 'd2'], ['d1'], ['bad'], ['d2']]);
    expect(await seen()).toEqual(['c1', 'c2', 'c3', 'd1', 'd2']);
    const rows = await t.omnia.ctx.db
      .selectFrom('event_deliveries')
      .select(['status', 'attempts', 'last_error'])
      .where('consumer', '=', 'test.batch')
      .execute();
    // the successes' rows are gone (removeDone); the failure's stays with its attempt and error
    expect(rows).toEqual([{ status: 'pending', attempts: 1, last_error: 'refuses bad' }]);

    // once the cause is fixed, the retry delivers it alone
    broken = false;
    calls.length = 0;
    clock.advance(16 * 60_000);
    await t.omnia.dispatcher.deliveries.runDue();
    expect(calls).toEqual([['bad']]);
    expect(await seen()).toEqual(['bad', 'c1', 'c2', 'c3', 'd1', 'd2']);
    const left = await t.omnia.ctx.db
      .selectFrom('event_deliveries')
      .select('id')
      .where('consumer', '=', 'test.batch')
      .execute();
    expect(left).toEqual([]);
  });
});
