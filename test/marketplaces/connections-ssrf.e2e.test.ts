import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import type { Resolver } from '../../src/platform/http/outbound.js';
import { guardedFetch } from '../../src/marketplaces/outbound.js';
import { MarketplaceRejectedError } from '../../src/marketplaces/types.js';
import { startAmazonFake, amazonOrder, type AmazonFake } from './fakes/amazon-fake.js';
import { SECRETS_KEY } from './fixtures.js';

/**
 * A connection's endpoints pass the webhooks' SSRF check (issue 11): loopback, private, link-local and
 * metadata addresses are refused when the connection is saved and again at every connector call, which
 * connects to the address it checked. Only OMNIA_ALLOW_PRIVATE_WEBHOOKS=1 (development, tests) lifts it.
 */
describe('marketplace connections: SSRF-safe endpoints', () => {
  let t: TestApp;
  let fake: AmazonFake;
  let server: http.Server;
  let port = 0;
  const received: string[] = [];
  const dnsAnswers: Record<string, string> = {};
  const resolver: Resolver = async (host) => {
    const address = dnsAnswers[host];
    if (!address) throw new Error(`ENOTFOUND ${host}`);
    return [{ address, family: 4 }];
  };

  beforeAll(async () => {
    fake = await startAmazonFake();
    server = http.createServer((req, res) => {
      received.push(`${req.method} ${req.headers.host}${req.url}`);
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    // The production default: no OMNIA_ALLOW_PRIVATE_WEBHOOKS.
    t = await startTestApp({ env: { OMNIA_SECRETS_KEY: SECRETS_KEY } });
    await t.omnia.services.network.createChannel({ code: 'ssrf-amazon', type: 'marketplace', name: 'Amazon' });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
    server?.close();
  });

  const body = (base_url: string, settings: Record<string, string> = { seller_id: 'S', marketplace_id: 'M' }) => ({
    channel: 'ssrf-amazon',
    provider: 'amazon',
    base_url,
    credentials: fake.credentials,
    settings,
  });

  it('refuses loopback, metadata, private and local names as the base URL (400 on base_url)', async () => {
    for (const url of [
      fake.url,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.1.2.3',
      'http://[::1]:8080',
      'http://localhost:9000',
      'ftp://93.184.216.34',
    ]) {
      const res = await t.request('POST', '/v1/marketplaces/connections', { body: body(url) });
      expect(res.status, url).toBe(400);
      expect(res.body.errors[0].field, url).toBe('base_url');
    }
  });

  it('checks URL settings (Amazon lwa_url) the same way, and a PATCH as well', async () => {
    const bad = await t.request('POST', '/v1/marketplaces/connections', {
      body: body('https://93.184.216.34', { ...fake.settings }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('settings/lwa_url');
    const ok = await t.request('POST', '/v1/marketplaces/connections', { body: body('https://93.184.216.34') });
    expect(ok.status).toBe(201);
    const patch = await t.request('PATCH', `/v1/marketplaces/connections/${ok.body.id}`, {
      body: { base_url: 'http://127.0.0.1:1' },
    });
    expect(patch.status).toBe(400);
    expect(patch.body.errors[0].field).toBe('base_url');
    const view = await t.request('GET', `/v1/marketplaces/connections/${ok.body.id}`);
    expect(view.body.base_url).toBe('https://93.184.216.34');
  });

  it('refuses at call time too: a stored endpoint that now points at loopback is never called', async () => {
    const conns = await t.request('GET', '/v1/marketplaces/connections');
    const id = conns.body.items[0].id as string;
    // As if the row were written when its name resolved publicly and DNS now answers 127.0.0.1.
    await t.database.db
      .updateTable('marketplace_connections')
      .set({ base_url: fake.url, settings: JSON.stringify(fake.settings), updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    fake.orders.push(amazonOrder('402-5555555-0000001', [{ sku: 'NOPE', quantity: 1 }]));
    const before = fake.calls.length;
    const sync = await t.request('POST', `/v1/marketplaces/connections/${id}/sync`, { body: {} });
    // The import stops (recorded on the connection, tried again next run) without one call made.
    expect(sync.status).toBe(200);
    expect(sync.body.orders).toBe(0);
    expect(fake.calls.length).toBe(before);
    const after = await t.request('GET', `/v1/marketplaces/connections/${id}`);
    expect(after.body.last_error).toMatch(/outbound call refused: .*127\.0\.0\.1 \(loopback\)/);
  });

  it('connects to the address it checked (pinned), and refuses a rebound name without the development flag', async () => {
    dnsAnswers['pinned.test'] = '127.0.0.1';
    const allowed = guardedFetch({ allowPrivate: true, resolver });
    // "pinned.test" exists only in the stub: the call can only arrive if it used the checked address.
    const res = await allowed(`http://pinned.test:${port}/orders?x=1`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(received).toEqual([`POST pinned.test:${port}/orders?x=1`]);

    dnsAnswers['rebind.example'] = '127.0.0.1';
    const strict = guardedFetch({ allowPrivate: false, resolver });
    await expect(strict(`http://rebind.example:${port}/orders`)).rejects.toBeInstanceOf(MarketplaceRejectedError);
    expect(received).toHaveLength(1);
  });
});
