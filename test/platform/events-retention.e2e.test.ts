/**
 * Retention through the running app (server.ts and services.ts jobs, OMNIA_EVENTS_KEEP_DAYS): once an
 * order's events are older than the days kept, the `events.retention` job takes them out of the outbox
 * (a chunk per run, run again while it finds work), `webhooks.retention` the settled webhook deliveries,
 * and a resend of the order's confirmation answers 409 (its event is no longer kept) instead of
 * failing. Events younger than the cut-off stay. (The webhook is never called: no delivery job runs.)
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { smtpMailer } from '../../src/notifications/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { drain, HOME, placeOrder, product, receive, setupNetwork, type Net } from '../fulfillment/fixtures.js';
import { smtpSink } from '../helpers/smtp.js';

const DAY = 86_400_000;

describe('events retention in the running app', () => {
  // ahead of the real clock: ids carry the newest time their process has seen (platform/ids.ts)
  const clock = new ManualClock('2030-03-01T10:00:00Z');
  let t: TestApp;
  let net: Net;
  let smtp: Awaited<ReturnType<typeof smtpSink>>;

  beforeAll(async () => {
    smtp = await smtpSink();
    t = await startTestApp({ clock, env: { OMNIA_EVENTS_KEEP_DAYS: '7', OMNIA_ALLOW_PRIVATE_WEBHOOKS: '1' } });
    t.omnia.services.notifications.useMailer(smtpMailer(smtp.url, 'Shop <shop@example.com>'));
    net = await setupNetwork(t);
    await product(t, 'cap', [{ sku: 'CAP', price: 1200 }]);
    await receive(t, 'CAP', net.warehouse, 20);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  /** Runs a job of the app as its runner would: again while it finds work. */
  async function runJob(name: string): Promise<number> {
    const job = t.omnia.ctx.jobs.list().find((j) => j.name === name);
    if (!job) throw new Error(`no job ${name}`);
    let total = 0;
    for (let n = await job.run(); n > 0; n = await job.run()) total += n;
    return total;
  }
  const eventsOf = async (orderId: string) =>
    (
      await sql<{ n: number }>`select count(*)::int as n from outbox where payload->>'order_id' = ${orderId}`.execute(
        t.database.db,
      )
    ).rows[0]!.n;

  it('drops an order’s events after the days kept; a resend of its mail then answers 409', async () => {
    const old = await placeOrder(t, net, [['CAP', 1]], { method: 'home', address: HOME });
    await drain(t);
    const hook = await t.request('POST', '/v1/webhooks', {
      body: { url: 'http://127.0.0.1:9/omnia', event_types: ['order.placed'] },
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    clock.advance(6 * DAY);
    const young = await placeOrder(t, net, [['CAP', 1]], { method: 'home', address: HOME });
    await drain(t);
    await sql`update webhook_deliveries set status = 'delivered', next_attempt_at = ${clock.now()}`.execute(
      t.database.db,
    );
    expect(await eventsOf(old.id)).toBeGreaterThan(0);
    expect(await runJob('events.retention')).toBe(0); // nothing older than 7 days yet

    clock.advance(3 * DAY); // the first order's events are 9 days old (a day past the grace), the second's 3
    // the doctor sees the overdue events while no job has run (GET /v1/doctor: the app's settings)
    const { token: staff } = await t.omnia.services.auth.loginStaff('admin@test.omnia', 'correct horse battery');
    const retentionOf = async () =>
      ((await t.request('GET', '/v1/doctor', { token: staff })).body.checks as { name: string; status: string }[]).find(
        (c) => c.name === 'outbox retention',
      );
    expect(await retentionOf()).toMatchObject({ status: 'warn' });
    const youngBefore = await eventsOf(young.id);
    expect(await runJob('events.retention')).toBeGreaterThan(0);
    expect(await eventsOf(old.id)).toBe(0);
    expect(await eventsOf(young.id)).toBe(youngBefore);
    expect(await retentionOf()).toMatchObject({ status: 'ok' });
    clock.advance(5 * DAY); // the webhook delivery of the young order's placement is 8 days old
    expect(await runJob('webhooks.retention')).toBe(1);

    // a fresh staff token: the test's admin token expired while the clock moved
    const { token } = await t.omnia.services.auth.loginStaff('admin@test.omnia', 'correct horse battery');
    const notes = (await t.request('GET', `/v1/orders/${old.id}/notifications`, { token })).body.items as {
      id: string;
      template: string;
    }[];
    const confirmation = notes.find((n) => n.template === 'order_confirmation');
    expect(confirmation).toBeDefined();
    const res = await t.request('POST', `/v1/orders/${old.id}/notifications/${confirmation!.id}/resend`, {
      token,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.detail).toMatch(/no longer kept/);
  });
});
