/**
 * Retention (retention.ts, OMNIA_EVENTS_KEEP_DAYS): a settled event older than the cut-off leaves the
 * outbox; one with a pending or dead delivery, one never dispatched and a recent one stay. The delivery
 * log keeps pending webhook deliveries whatever their age. Chunks are bounded; 0 days keeps all.
 *
 * The clock starts in 2030: ids carry the newest time their process has seen (ids.ts), so a clock
 * ahead of the real one gives ids of its own time, as production's real clock does.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { ManualClock } from '../clock.js';
import { createLogger } from '../log.js';
import { EventBus } from './bus.js';
import { OutboxDispatcher } from './dispatcher.js';
import { emit, type DomainEvent } from './outbox.js';
import { chunkedPurge, DAY_MS, purgeSettledEvents, retentionCheck, retentionCutoff } from './retention.js';
import { WebhookService } from './webhooks/service.js';

const clock = new ManualClock('2030-01-01T00:00:00Z');
let d: TestDatabase;
let dispatcher: OutboxDispatcher;
let hooks: WebhookService;
/** Aggregates whose `test.consumed` event the consumer refuses (its delivery stays pending). */
const refuse = new Set<string>();

beforeAll(async () => {
  d = await createTestDatabase();
  const log = createLogger('silent');
  const bus = new EventBus();
  bus.subscribe(
    'test.consumed' as never,
    async (e: { aggregate_id: string | null }) => {
      if (refuse.has(e.aggregate_id ?? '')) throw new Error('not now');
    },
    { name: 'test.consumer' },
  );
  dispatcher = new OutboxDispatcher(d.db, bus, clock, log);
  // webhook URLs are never called here (no delivery job runs for them): a local address is fine
  hooks = new WebhookService(d.db, clock, log, { allowPrivate: true });
  dispatcher.addSink(hooks.sink);
});
afterAll(() => d?.close());

const event = (aggregate: string, type = 'test.consumed'): DomainEvent =>
  ({ type, aggregateId: aggregate, payload: { aggregate } }) as unknown as DomainEvent;
const ids = async (prefix: string) =>
  (
    await sql<{
      aggregate_id: string;
    }>`select aggregate_id from outbox where aggregate_id like ${`${prefix}%`} order by 1`.execute(d.db)
  ).rows.map((r) => r.aggregate_id);
/** Dispatches everything committed and runs the consumers once. */
async function settle(): Promise<void> {
  while ((await dispatcher.dispatchBatch()) > 0);
  await dispatcher.deliveries.runDue();
}

describe('outbox retention', () => {
  it('removes settled old events only: pending, dead, undispatched and recent ones stay', async () => {
    const t0 = clock.now().getTime();
    await emit(d.db, [event('a-settled'), event('a-pending'), event('a-dead')], clock.now());
    refuse.add('a-pending').add('a-dead');
    await settle();
    // the dead one ran out of attempts (what ten failures leave)
    await sql`update event_deliveries set status = 'dead' where event_id =
      (select id from outbox where aggregate_id = 'a-dead')`.execute(d.db);
    // committed long ago but never dispatched (a stalled outbox: the doctor's to report, not ours to drop)
    await emit(d.db, event('a-undispatched'), clock.now());
    await sql`update outbox set dispatched_at = null where aggregate_id = 'a-undispatched'`.execute(d.db);
    await sql`update outbox set dispatched_at = ${new Date(t0)} where aggregate_id like 'a-%' and aggregate_id <> 'a-undispatched'`.execute(
      d.db,
    );

    clock.advance(25 * DAY_MS);
    await emit(d.db, event('a-recent'), clock.now());
    await settle();
    await sql`update outbox set dispatched_at = null where aggregate_id = 'a-undispatched'`.execute(d.db);
    clock.advance(10 * DAY_MS); // a-* are 35 days old, a-recent 10

    const before = retentionCutoff(clock.now(), 30)!;
    expect((await purgeSettledEvents(d.db, before)).removed).toBe(1);
    expect(await ids('a-')).toEqual(['a-dead', 'a-pending', 'a-recent', 'a-undispatched']);
    expect((await purgeSettledEvents(d.db, before)).removed).toBe(0);

    // once its consumer succeeds (its row goes), the pending one goes too; the dead one waits for a person
    refuse.delete('a-pending');
    await sql`update event_deliveries set next_attempt_at = ${clock.now()} where status = 'pending'`.execute(d.db);
    await dispatcher.deliveries.runDue();
    expect((await purgeSettledEvents(d.db, before)).removed).toBe(1);
    expect(await ids('a-')).toEqual(['a-dead', 'a-recent', 'a-undispatched']);
    const dead = await sql<{
      n: number;
    }>`select count(*)::int as n from event_deliveries where status = 'dead'`.execute(d.db);
    expect(dead.rows[0]!.n).toBe(1);
  });

  it('works in chunks, and keeps everything when the days are 0', async () => {
    await sql`delete from event_deliveries`.execute(d.db); // the first test's rows would be counted too
    await sql`delete from outbox`.execute(d.db);
    const old = clock.now();
    await emit(
      d.db,
      Array.from({ length: 25 }, (_, i) => event(`b-${String(i).padStart(2, '0')}`, 'test.unheard')),
      old,
    );
    await settle();
    clock.advance(31 * DAY_MS);
    expect(retentionCutoff(clock.now(), 0)).toBeUndefined();
    const before = retentionCutoff(clock.now(), 30)!;
    expect(before.getTime()).toBe(clock.now().getTime() - 30 * DAY_MS);
    // a series goes on from where the last chunk ended (chunkedPurge), and starts over when one finds none
    const starts: string[] = [];
    const run = chunkedPurge(async (after) => (starts.push(after), purgeSettledEvents(d.db, before, 10, after)));
    const runs: number[] = [];
    for (let i = 0; i < 4; i++) runs.push(await run());
    expect(runs).toEqual([10, 10, 5, 0]);
    expect(starts[0]).toBe('');
    expect(starts[1]! > starts[0]! && starts[2]! > starts[1]! && starts[3]! > starts[2]!).toBe(true);
    // an old event dispatched only now is kept (dispatched after the cut-off) until it is old as well
    await emit(d.db, event('b-later', 'test.unheard'), old);
    await settle();
    expect(await run()).toBe(0);
    await sql`update outbox set dispatched_at = ${old} where aggregate_id = 'b-later'`.execute(d.db);
    expect(await run()).toBe(1); // from the beginning again
    expect(starts.slice(4)).toEqual(['', '']);
    expect(await ids('b-')).toEqual([]);
  });
});

describe('the doctor’s retention check', () => {
  it('warns while settled events a day past the days kept are left, and not when they are kept for ever', async () => {
    await emit(d.db, [event('d-1', 'test.unheard'), event('d-2', 'test.unheard')], clock.now());
    await settle();
    clock.advance(31 * DAY_MS);
    const check = (keep: number) => retentionCheck.run(d.db, clock.now(), { eventsKeepDays: keep });
    // 31 days old: within the day of grace after 30 days kept
    expect((await check(30)).status).toBe('ok');
    expect(await check(29)).toMatchObject({
      status: 'warn',
      summary: expect.stringMatching(/^2 settled events older than 30 days .*events\.retention/),
    });
    expect(await check(0)).toMatchObject({ status: 'ok', summary: expect.stringMatching(/kept for ever/) });
    await purgeSettledEvents(d.db, retentionCutoff(clock.now(), 29)!);
    expect((await check(29)).status).toBe('ok');
  });
});

describe('webhook delivery log retention', () => {
  it('removes delivered and failed deliveries older than the days kept; pending ones stay', async () => {
    const hook = await hooks.create({ url: 'http://127.0.0.1:9/hook', event_types: ['test.hooked'] });
    await emit(
      d.db,
      ['c-delivered', 'c-failed', 'c-pending'].map((a) => event(a, 'test.hooked')),
      clock.now(),
    );
    await settle();
    const mark = (aggregate: string, status: string) => sql`
      update webhook_deliveries set status = ${status}, next_attempt_at = ${clock.now()}
      where event_id = (select id from outbox where aggregate_id = ${aggregate})`;
    await mark('c-delivered', 'delivered').execute(d.db);
    await mark('c-failed', 'failed').execute(d.db);
    clock.advance(20 * DAY_MS);
    await emit(d.db, event('c-recent', 'test.hooked'), clock.now());
    await settle();
    await mark('c-recent', 'delivered').execute(d.db);
    clock.advance(15 * DAY_MS);

    expect((await hooks.purgeSettled(0)).removed).toBe(0);
    expect((await hooks.purgeSettled(30)).removed).toBe(2);
    expect((await hooks.purgeSettled(30)).removed).toBe(0);
    const left = await sql<{ aggregate_id: string; status: string }>`
      select o.aggregate_id, w.status from webhook_deliveries w join outbox o on o.id = w.event_id
      where w.webhook_id = ${hook.id} order by 1`.execute(d.db);
    expect(left.rows).toEqual([
      { aggregate_id: 'c-pending', status: 'pending' },
      { aggregate_id: 'c-recent', status: 'delivered' },
    ]);
  });
});
