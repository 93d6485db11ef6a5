/**
 * The webhook subscriptions' cache across processes (PostgreSQL): this test process dispatches the
 * outbox with its cache warm, while a separate `omnia serve --role api` process creates, changes and
 * removes subscriptions over HTTP. Nothing tells this process but the database: the version it reads
 * with each batch's events (migration 9450) makes the next event committed after each change follow it.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/db.js';
import { api, omniaCli, startServer, stopServer, type Server } from '../../../../test/inventory/procs.js';
import { systemClock } from '../../clock.js';
import { createLogger } from '../../log.js';
import { NetworkService } from '../../../network/index.js';
import { EventBus } from '../bus.js';
import { OutboxDispatcher } from '../dispatcher.js';
import { emit } from '../outbox.js';
import { WebhookService } from './service.js';

let d: TestDatabase;
let other: Server;
let key = '';
let channelId = '';
let dispatcher: OutboxDispatcher;

beforeAll(async () => {
  d = await createTestDatabase({ forcePg: true, poolSize: 4 });
  channelId = (await new NetworkService(d.db, systemClock).createChannel({ code: 'web', type: 'web', name: 'Web' })).id;
  const k = omniaCli(['api-key', 'create', '--channel', 'web', '--scopes', 'webhooks:manage', '--json'], {
    url: d.url!,
  });
  expect(k.status, k.stderr).toBe(0);
  key = JSON.parse(k.stdout).key;
  // The other process: serves the API and runs no jobs (so it never dispatches, nor warms a cache).
  other = await startServer(d.url!, { OMNIA_ALLOW_PRIVATE_WEBHOOKS: '1', OMNIA_ROLE: 'api' });
  const log = createLogger('silent');
  const hooks = new WebhookService(d.db, systemClock, log, { allowPrivate: true });
  dispatcher = new OutboxDispatcher(d.db, new EventBus(), systemClock, log);
  dispatcher.addSink(hooks.sink);
}, 120_000);
afterAll(async () => {
  if (other) await stopServer(other);
  await d?.close();
});

let n = 0;
/** Commits one channel event here, dispatches it here; answers which webhooks got a delivery row. */
async function fanOut(): Promise<string[]> {
  const ref = `cache-${++n}`;
  await emit(
    d.db,
    { type: 'channel.updated', aggregateId: ref, payload: { id: channelId, code: 'web', channel_id: channelId } },
    new Date(),
  );
  // Events the other process commits (if any) may share the batch; only this one's rows are asked for.
  expect(await dispatcher.dispatchBatch()).toBeGreaterThanOrEqual(1);
  const rows = await sql<{ webhook_id: string }>`
    select wd.webhook_id from webhook_deliveries wd join outbox o on o.id = wd.event_id
    where o.aggregate_id = ${ref} order by wd.webhook_id`.execute(d.db);
  return rows.rows.map((r) => r.webhook_id);
}

describe('webhook subscriptions changed by another process', () => {
  it('the next event after each change, dispatched by a process with a warm cache, follows the change', async () => {
    const hook = (path: string, types = ['channel.*']) =>
      api(other.base, key, 'POST', '/v1/webhooks', { url: `http://127.0.0.1:9/${path}`, event_types: types });
    expect(await fanOut()).toEqual([]); // warms the cache with no subscription
    const a = await hook('a');
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(await fanOut()).toEqual([a.body.id]);
    expect(await fanOut()).toEqual([a.body.id]); // from the cache
    const b = await hook('b', ['channel.updated']);
    expect(b.status).toBe(201);
    expect(await fanOut()).toEqual([a.body.id, b.body.id].sort());
    expect((await api(other.base, key, 'PATCH', `/v1/webhooks/${a.body.id}`, { active: false })).status).toBe(200);
    expect(await fanOut()).toEqual([b.body.id]);
    expect(
      (await api(other.base, key, 'PATCH', `/v1/webhooks/${b.body.id}`, { event_types: ['order.*'] })).status,
    ).toBe(200);
    expect(await fanOut()).toEqual([]);
    expect((await api(other.base, key, 'PATCH', `/v1/webhooks/${a.body.id}`, { active: true })).status).toBe(200);
    expect(await fanOut()).toEqual([a.body.id]);
    expect((await api(other.base, key, 'DELETE', `/v1/webhooks/${a.body.id}`)).status).toBe(204);
    expect(await fanOut()).toEqual([]);
  }, 60_000);
});
