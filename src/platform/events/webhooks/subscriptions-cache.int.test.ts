/**
 * The per-process cache of webhook subscriptions (WebhookService.sink, migration 9450): whatever
 * changes a subscription — the service, or plain SQL that bypasses it — is honoured by the next event
 * committed after it, while a batch whose subscriptions did not change reads no webhook row.
 */
import {
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type RootOperationNode,
} from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/db.js';
import { ManualClock } from '../../clock.js';
import { createLogger } from '../../log.js';
import { EventBus } from '../bus.js';
import { OutboxDispatcher } from '../dispatcher.js';
import { emit } from '../outbox.js';
import { WebhookService } from './service.js';

let d: TestDatabase;
let hooks: WebhookService;
let dispatcher: OutboxDispatcher;
const clock = new ManualClock('2026-12-01T00:00:00Z');
const channel = 'chn_cache';

beforeAll(async () => {
  d = await createTestDatabase();
  const log = createLogger('silent');
  // No delivery job runs here: the URLs (a local address, hence allowPrivate) are never called.
  const counted = d.db.withPlugin(readCounter);
  hooks = new WebhookService(counted, clock, log, { allowPrivate: true });
  dispatcher = new OutboxDispatcher(counted, new EventBus(), clock, log);
  dispatcher.addSink(hooks.sink);
});
afterAll(async () => {
  await d?.close();
});

let n = 0;
/** Commits one event and dispatches it; answers which webhooks got a delivery row for it. */
async function fanOut(): Promise<string[]> {
  n++;
  const type = 'channel.updated';
  await emit(
    d.db,
    { type, aggregateId: `x${n}`, payload: { id: channel, code: 'cache', channel_id: channel, n } },
    clock.now(),
  );
  expect(await dispatcher.dispatchBatch()).toBe(1);
  const rows = await sql<{ webhook_id: string }>`
    select wd.webhook_id from webhook_deliveries wd join outbox o on o.id = wd.event_id
    where o.aggregate_id = ${`x${n}`} order by wd.webhook_id`.execute(d.db);
  return rows.rows.map((r) => r.webhook_id);
}

/** Counts the statements that read the webhooks rows while `fn` runs (a plugin on the services' Kysely). */
let reading = 0;
const readCounter: KyselyPlugin = {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node as { kind: string; sqlFragments?: readonly string[] };
    if (node.kind === 'RawNode' && node.sqlFragments?.join(' ').includes('left join webhooks w on w.active')) reading++;
    return args.node;
  },
  transformResult: async (args: PluginTransformResultArgs) => args.result,
};
async function webhookReads(fn: () => Promise<unknown>): Promise<number> {
  const before = reading;
  await fn();
  return reading - before;
}

describe('webhook subscriptions cached per process, by version', () => {
  it('a subscription made after the cache warmed gets the next event; changes and removals likewise', async () => {
    const a = await hooks.create({ url: 'http://127.0.0.1:9/a', event_types: ['channel.*'], channel_id: channel });
    expect(await fanOut()).toEqual([a.id]);
    const b = await hooks.create({ url: 'http://127.0.0.1:9/b', event_types: ['channel.*'], channel_id: channel });
    expect(await fanOut()).toEqual([a.id, b.id].sort());
    await hooks.update(a.id, { active: false });
    expect(await fanOut()).toEqual([b.id]);
    await hooks.update(b.id, { event_types: ['order.*'] });
    expect(await fanOut()).toEqual([]);
    await hooks.update(b.id, { event_types: ['channel.updated'] });
    expect(await fanOut()).toEqual([b.id]);
    await hooks.remove(b.id);
    expect(await fanOut()).toEqual([]);
  });

  it('a change made in plain SQL, not through the service, is honoured too (the trigger moves the version)', async () => {
    const c = await hooks.create({ url: 'http://127.0.0.1:9/c', event_types: ['channel.*'], channel_id: channel });
    expect(await fanOut()).toEqual([c.id]);
    await sql`update webhooks set channel_id = 'chn_other' where id = ${c.id}`.execute(d.db);
    expect(await fanOut()).toEqual([]);
    await sql`update webhooks set channel_id = ${channel} where id = ${c.id}`.execute(d.db);
    expect(await fanOut()).toEqual([c.id]);
  });

  it('a rolled-back change moves nothing: the cache still answers, with the committed subscriptions', async () => {
    const before = await fanOut();
    await d.db
      .transaction()
      .execute(async (trx) => {
        await sql`update webhooks set active = false`.execute(trx);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await fanOut()).toEqual(before);
  });

  it('an unchanged subscription set is not read again; a change is read once', async () => {
    expect(await webhookReads(() => fanOut())).toBeLessThanOrEqual(1); // warms the cache, if it was not
    expect(await webhookReads(() => fanOut())).toBe(0);
    await hooks.create({ url: 'http://127.0.0.1:9/d', event_types: ['channel.*'], channel_id: channel });
    expect(await webhookReads(() => fanOut())).toBe(1);
    expect(await webhookReads(() => fanOut())).toBe(0);
  });
});
