import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import Fastify from 'fastify';
import type { App } from '../../src/platform/http/app.js';
import { CONSOLE_CSP, registerConsole } from '../../src/platform/http/console.js';

/** What the console needs from the server: its files at /console, GET /v1/doctor, stock of several SKUs. */
describe('console support in the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  async function staffToken(role: string): Promise<string> {
    const email = `${role}@console.test`;
    const r = await t.request('POST', '/v1/staff', { body: { email, password: 'a long staff password', role } });
    expect(r.status).toBe(201);
    return (await t.omnia.services.auth.loginStaff(email, 'a long staff password')).token;
  }

  it('serves the console at /console with its own CSP and index.html for deep links; the API keeps its strict CSP', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-console-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    fs.writeFileSync(path.join(dir, 'assets/app-1.js'), 'console.log(1)');
    const app = Fastify() as unknown as App;
    await registerConsole(app, dir);
    await app.ready();
    try {
      for (const url of ['/console', '/console/', '/console/orders/ord_123']) {
        const res = await app.inject({ url });
        expect(res.statusCode, url).toBe(200);
        expect(res.body).toContain('id="root"');
        expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
        expect(res.headers['cache-control']).toBe('no-cache');
      }
      const asset = await app.inject({ url: '/console/assets/app-1.js' });
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['content-type']).toMatch(/javascript/);
      expect(asset.headers['cache-control']).toMatch(/immutable/);
    } finally {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says the console is not built instead of a blank page', async () => {
    const app = Fastify() as unknown as App;
    await registerConsole(app, null);
    const res = await app.inject({ url: '/console' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm install');
    await app.close();
  });

  it('the whole app leaves /console its own CSP and keeps the API’s strict one', async () => {
    const api = await t.request('GET', '/health');
    expect(api.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    const page = await t.request('GET', '/console/orders');
    expect([200, 503]).toContain(page.status);
    expect(page.headers['content-security-policy']).toBe(page.status === 200 ? CONSOLE_CSP : "default-src 'none'");
  });

  it('GET /v1/doctor runs the invariant checks for an admin and refuses other roles', async () => {
    const ok = await t.request('GET', '/v1/doctor');
    expect(ok.status).toBe(200);
    expect(ok.body.ok).toBe(true);
    expect(ok.body.checks.map((c: { name: string }) => c.name)).toContain('migrations applied');
    const merch = await t.request('GET', '/v1/doctor', { token: await staffToken('merchandiser') });
    expect(merch.status).toBe(403);
    expect((await t.request('GET', '/v1/doctor', { token: '' })).status).toBe(401);
  });

  it('GET /v1/inventory?skus= gives the stock of several SKUs in one call and refuses bad lists', async () => {
    const p = await t.request('POST', '/v1/products', {
      body: {
        code: 'CONSOLE-1',
        name: 'Camisa',
        variants: [
          { sku: 'CONSOLE-1-S', size: 'S' },
          { sku: 'CONSOLE-1-M', size: 'M' },
        ],
      },
    });
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    const r = await t.request('GET', '/v1/inventory?skus=CONSOLE-1-S,CONSOLE-1-M');
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: { sku: string }) => i.sku)).toEqual(['CONSOLE-1-S', 'CONSOLE-1-M']);
    const empty = await t.request('GET', '/v1/inventory?skus=CONSOLE-1-S,,CONSOLE-1-M');
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].field).toBe('skus');
    const many = Array.from({ length: 101 }, (_, i) => `X${i}`).join(',');
    expect((await t.request('GET', `/v1/inventory?skus=${many}`)).status).toBe(400);
    // An unknown SKU is refused as the one-SKU route refuses it.
    const unknown = await t.request('GET', '/v1/inventory?skus=CONSOLE-1-S,NOPE-1');
    expect(unknown.status).toBeGreaterThanOrEqual(400);
    expect(unknown.status).toBe((await t.request('GET', '/v1/inventory/NOPE-1')).status);
  });
});
