import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { WebhookService } from '../../src/platform/events/webhooks/service.js';
import { createLogger } from '../../src/platform/log.js';
import type { Resolver } from '../../src/platform/http/outbound.js';
import { emit } from '../../src/platform/events/outbox.js';

/** Issue 11 (6): webhooks never reach loopback, private, link-local or metadata addresses. */
describe('webhooks: SSRF-safe targets and channel ownership', () => {
  let t: TestApp;
  let server: http.Server;
  let port = 0;
  const received: http.IncomingHttpHeaders[] = [];
  // A local resolver stub: what "DNS" answers for each name, changeable during a test (rebinding).
  const dnsAnswers: Record<string, string> = {};
  const resolver: Resolver = async (host) => {
    const address = dnsAnswers[host];
    if (!address) throw new Error(`ENOTFOUND ${host}`);
    return [{ address, family: 4 }];
  };
  const log = createLogger('silent');

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      received.push(req.headers);
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    t = await startTestApp(); // no OMNIA_ALLOW_PRIVATE_WEBHOOKS: the production default
  });
  afterAll(async () => {
    await t?.close();
    server?.close();
  });

  it('refuses 127.0.0.1 and 169.254.169.254 at registration over HTTP', async () => {
    for (const url of [
      `http://127.0.0.1:${port}/hook`,
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/hook',
      'http://localhost/hook',
    ]) {
      const res = await t.request('POST', '/v1/webhooks', { body: { url, event_types: ['order.*'] } });
      expect(res.status, url).toBe(400);
      expect(res.body.errors[0].field).toBe('url');
    }
  });

  it('refuses a DNS name that resolves to 10.x, at registration and (after rebinding) at delivery', async () => {
    const hooks = new WebhookService(t.omnia.ctx.db, t.omnia.ctx.clock, log, { allowPrivate: false, resolver });
    dnsAnswers['internal.example'] = '10.0.0.7';
    await expect(hooks.create({ url: 'https://internal.example/hook', event_types: ['*'] })).rejects.toMatchObject({
      type: 'validation_failed',
    });

    // Registered while it resolved to a public address, then rebound to loopback: delivery refuses it.
    dnsAnswers['rebind.example'] = '93.184.216.34';
    const hook = await hooks.create({ url: `http://rebind.example:${port}/hook`, event_types: ['channel.created'] });
    dnsAnswers['rebind.example'] = '127.0.0.1';
    await t.omnia.services.network.createChannel({ code: 'ssrf', type: 'web', name: 'SSRF' });
    await t.omnia.dispatcher.drain();
    expect(await hooks.deliverDue()).toBe(1);
    expect(received).toHaveLength(0);
    const history = await hooks.deliveries(hook.id, 10);
    expect(history.items[0]).toMatchObject({ status: 'pending', attempts: 1 });
    expect(history.items[0]!.last_error).toMatch(/127\.0\.0\.1 \(loopback\)/);
    await hooks.remove(hook.id);
  });

  it('connects to the address it checked (the resolved IP is pinned), with the development flag', async () => {
    const hooks = new WebhookService(t.omnia.ctx.db, t.omnia.ctx.clock, log, { allowPrivate: true, resolver });
    // "pinned.test" exists only in the stub: the request can only arrive if it used the checked address.
    dnsAnswers['pinned.test'] = '127.0.0.1';
    const hook = await hooks.create({ url: `http://pinned.test:${port}/hook`, event_types: ['channel.created'] });
    await t.omnia.services.network.createChannel({ code: 'pinned', type: 'web', name: 'Pinned' });
    await t.omnia.dispatcher.drain();
    expect(await hooks.deliverDue()).toBe(1);
    expect(received).toHaveLength(1);
    expect(received[0]!.host).toBe(`pinned.test:${port}`);
    await hooks.remove(hook.id);
  });

  it("lets a channel's secret key manage its channel's webhooks only; global webhooks are an admin's", async () => {
    const hooks = t.omnia.services.webhooks;
    const a = await t.apiKey('wh-a', ['webhooks:manage']);
    const b = await t.apiKey('wh-b', ['webhooks:manage']);
    const chA = (await t.omnia.services.network.channel('wh-a'))!;
    // Public names only: the stub-free system resolver is not consulted for IP literals.
    const url = 'https://93.184.216.34/hook';
    const mine = await t.request('POST', '/v1/webhooks', { token: a, body: { url, event_types: ['order.*'] } });
    expect(mine.status).toBe(201);
    expect(mine.body.channel_id).toBe(chA.id);
    expect(
      (await t.request('POST', '/v1/webhooks', { token: a, body: { url, event_types: ['*'], channel_id: null } }))
        .status,
    ).toBe(403);
    expect((await t.request('GET', `/v1/webhooks/${mine.body.id}`, { token: b })).status).toBe(404);
    expect((await t.request('DELETE', `/v1/webhooks/${mine.body.id}`, { token: b })).status).toBe(404);
    const global = await t.request('POST', '/v1/webhooks', { body: { url, event_types: ['*'] } });
    expect(global.body.channel_id).toBeNull();
    expect((await t.request('GET', `/v1/webhooks/${global.body.id}`, { token: a })).status).toBe(403);
    const listA = await t.request('GET', '/v1/webhooks', { token: a });
    expect(listA.body.items.map((w: { id: string }) => w.id)).toEqual([mine.body.id]);
    const listAdmin = await t.request('GET', '/v1/webhooks');
    expect(listAdmin.body.items.map((w: { id: string }) => w.id)).toEqual(
      expect.arrayContaining([mine.body.id, global.body.id]),
    );

    // A channel's webhook hears its own channel's events only; the global one hears all.
    await t.omnia.ctx.db.transaction().execute(async (trx) => {
      const now = t.omnia.ctx.clock.now();
      await emit(
        trx,
        {
          type: 'order.cancelled',
          aggregateId: 'ord_x1',
          payload: { order_id: 'ord_x1', customer_id: null, channel: chA.id },
        },
        now,
      );
      await emit(
        trx,
        {
          type: 'order.cancelled',
          aggregateId: 'ord_x2',
          payload: { order_id: 'ord_x2', customer_id: null, channel: 'chn_other' },
        },
        now,
      );
    });
    await t.omnia.dispatcher.drain();
    const toMine = await hooks.deliveries(mine.body.id, 10);
    const toGlobal = await hooks.deliveries(global.body.id, 10);
    expect(toMine.items.map((d) => d.event_type)).toEqual(['order.cancelled']);
    expect(toGlobal.items.filter((d) => d.event_type === 'order.cancelled')).toHaveLength(2);
  });
});
