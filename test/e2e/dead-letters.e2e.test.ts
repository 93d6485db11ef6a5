import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import { MAX_DELIVERY_ATTEMPTS } from '../../src/platform/events/delivery-rules.js';
import { runChecks } from '../../src/platform/doctor.js';
import { doctorChecks } from '../../src/doctor-checks.js';

/**
 * Issue 11 (5): one failing consumer stalls nothing. Before per-consumer delivery rows, a handler that
 * threw rolled back the dispatcher's whole batch: the other events were never delivered and every
 * other consumer's side effect ran again on each retry.
 */
describe('event delivery: per-consumer attempts, back-off, dead letters', () => {
  let t: TestApp;
  const clock = new ManualClock(new Date());
  const seenInTx: string[] = [];
  const sent: string[] = [];
  let broken = true;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    // A database consumer that fails on one event, and a side-effect consumer (think e-mail) that fails on it too.
    t.omnia.ctx.bus.subscribe(
      'channel.created',
      async (e) => {
        if (broken && e.data.code === 'bad') throw new Error('handler refuses bad');
        seenInTx.push(String(e.data.code));
      },
      { name: 'test.recorder' },
    );
    t.omnia.ctx.bus.subscribeAfterCommit('channel.created', 'test.mailer', async (e) => {
      if (broken && e.data.code === 'bad') throw new Error('550 mailbox unavailable');
      sent.push(String(e.data.code));
    });
  });
  afterAll(async () => t?.close());

  const createChannel = (code: string) =>
    t.request('POST', '/v1/channels', { body: { code, type: 'web', name: code } });

  it('delivers the other events at once and does not repeat their side effects while one fails', async () => {
    await createChannel('bad');
    await createChannel('good');
    expect(await t.omnia.dispatcher.drain()).toBe(2);
    expect(seenInTx).toEqual(['good']);
    expect(sent).toEqual(['good']);
    const outbox = await t.omnia.ctx.db.selectFrom('outbox').select('dispatched_at').execute();
    expect(outbox.every((r) => r.dispatched_at !== null)).toBe(true); // the outbox did not stall

    // Retries come with back-off, and only the failing rows are tried again.
    expect(await t.omnia.dispatcher.deliveries.runDue()).toBe(0);
    await createChannel('later');
    await t.omnia.dispatcher.drain();
    expect(seenInTx).toEqual(['good', 'later']);
    for (let i = 1; i < MAX_DELIVERY_ATTEMPTS; i++) {
      clock.advance(16 * 60_000);
      expect(await t.omnia.dispatcher.deliveries.runDue()).toBe(2);
    }
    expect(await t.omnia.dispatcher.deliveries.runDue()).toBe(0);
    expect(sent).toEqual(['good', 'later']); // never sent twice
    expect(seenInTx).toEqual(['good', 'later']);
  });

  it('lists dead letters for operators, reports them in doctor, and retries them by hand', async () => {
    const res = await t.request('GET', '/v1/events/dead-letters');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items.map((d: { consumer: string }) => d.consumer).sort()).toEqual([
      'test.mailer',
      'test.recorder',
    ]);
    expect(res.body.items[0]).toMatchObject({ event_type: 'channel.created', attempts: MAX_DELIVERY_ATTEMPTS });
    expect(res.body.items.find((d: { consumer: string }) => d.consumer === 'test.mailer').last_error).toBe(
      '550 mailbox unavailable',
    );

    const checks = await runChecks(t.omnia.ctx.db, doctorChecks, clock.now());
    const dead = checks.find((c) => c.name === 'event deliveries not dead')!;
    expect(dead.result.status).toBe('warn');
    expect(dead.result.summary).toMatch(/^2 dead letters/);

    const key = await t.apiKey('good', ['webhooks:manage', 'network:read']);
    expect((await t.request('GET', '/v1/events/dead-letters', { token: key })).status).toBe(403);
    expect((await t.request('POST', '/v1/events/dead-letters/evd_nope/retry')).status).toBe(404);

    broken = false;
    for (const d of res.body.items) {
      expect((await t.request('POST', `/v1/events/dead-letters/${d.id}/retry`)).status).toBe(202);
    }
    await t.omnia.dispatcher.drain();
    expect(seenInTx).toEqual(['good', 'later', 'bad']);
    expect(sent).toEqual(['good', 'later', 'bad']);
    expect((await t.request('GET', '/v1/events/dead-letters')).body.items).toHaveLength(0);
    const after = await runChecks(t.omnia.ctx.db, doctorChecks, clock.now());
    expect(after.find((c) => c.name === 'event deliveries not dead')!.result.status).toBe('ok');
    // a delivery that succeeded leaves no row, in a transaction or as a side effect (removeDone)
    const rows = await t.omnia.ctx.db
      .selectFrom('event_deliveries')
      .select(['consumer', 'status'])
      .where('consumer', 'in', ['test.recorder', 'test.mailer'])
      .execute();
    expect(rows).toEqual([]);
  });
});
