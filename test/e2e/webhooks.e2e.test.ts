import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import { verifySignature } from '../../src/platform/events/webhooks/rules.js';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('webhooks: signed deliveries, retries with back-off, delivery log', () => {
  let t: TestApp;
  let server: http.Server;
  let url = '';
  const received: Received[] = [];
  let failNext = 0;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (failNext > 0) {
          failNext--;
          res.writeHead(503).end();
          return;
        }
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    // The receiver listens on 127.0.0.1, which webhooks refuse unless this development flag is set.
    t = await startTestApp({ clock, env: { OMNIA_ALLOW_PRIVATE_WEBHOOKS: '1' } });
  });
  afterAll(async () => {
    await t?.close();
    server?.close();
  });

  it('refuses bad subscriptions', async () => {
    expect(
      (await t.request('POST', '/v1/webhooks', { body: { url: 'ftp://x.example/', event_types: ['order.created'] } }))
        .status,
    ).toBe(400);
    expect((await t.request('POST', '/v1/webhooks', { body: { url, event_types: ['NOT A TYPE'] } })).status).toBe(400);
    expect((await t.request('POST', '/v1/webhooks', { body: { url, event_types: [] } })).status).toBe(400);
  });

  it('delivers matching events signed with the webhook secret, and retries failures with back-off', async () => {
    const hook = await t.request('POST', '/v1/webhooks', { body: { url, event_types: ['channel.*'] } });
    expect(hook.status).toBe(201);
    expect(hook.body.secret).toMatch(/^whsec_/);
    expect((await t.request('GET', '/v1/webhooks')).body.items[0].secret).toBeUndefined();

    failNext = 1;
    await t.request('POST', '/v1/channels', { body: { code: 'web', type: 'web', name: 'Web' } });
    await t.request('POST', '/v1/locations', {
      body: {
        code: 'wh-1',
        type: 'warehouse',
        name: 'WH',
        lat: 40,
        lng: -3,
        address: { line1: 'a', city: 'b', postal_code: '1', country: 'ES' },
      },
    });
    await t.omnia.dispatcher.drain();
    const webhooks = t.omnia.services.webhooks;

    expect(await webhooks.deliverDue()).toBe(1); // only channel.created matches; the receiver answers 503
    expect(received).toHaveLength(0);
    let log = await t.request('GET', `/v1/webhooks/${hook.body.id}/deliveries`);
    expect(log.body.items[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status_code: 503,
      event_type: 'channel.created',
    });

    expect(await webhooks.deliverDue()).toBe(0); // not due yet: 5 s back-off
    clock.advance(5_001);
    expect(await webhooks.deliverDue()).toBe(1);
    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect(r.headers['omnia-event-type']).toBe('channel.created');
    expect(
      verifySignature(
        hook.body.secret,
        r.body,
        String(r.headers['omnia-signature']),
        Math.floor(clock.now().getTime() / 1000),
      ),
    ).toBe(true);
    expect(JSON.parse(r.body)).toMatchObject({ type: 'channel.created', data: { code: 'web' } });

    log = await t.request('GET', `/v1/webhooks/${hook.body.id}/deliveries`);
    expect(log.body.items[0]).toMatchObject({ status: 'delivered', attempts: 2, last_status_code: 204 });

    // a manual retry sends it again
    expect(
      (await t.request('POST', `/v1/webhooks/${hook.body.id}/deliveries/${log.body.items[0].id}/retry`)).status,
    ).toBe(202);
    expect(await webhooks.deliverDue()).toBe(1);
    expect(received).toHaveLength(2);
    expect(received[1]!.headers['omnia-event-id']).toBe(received[0]!.headers['omnia-event-id']);

    // dispatching again creates no duplicate deliveries
    await t.omnia.dispatcher.drain();
    expect(await webhooks.deliverDue()).toBe(0);
  });

  it('needs the webhooks:manage scope', async () => {
    const key = await t.apiKey('web', ['catalog:read']);
    expect((await t.request('GET', '/v1/webhooks', { token: key })).status).toBe(403);
  });
});
