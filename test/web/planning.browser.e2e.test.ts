import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { omniaAsync, startServer } from '../helpers/cli.js';
import { ADMIN, countApiCalls, englishOnlyStrings, launchBrowser, login, screenshot } from './harness.js';

/**
 * The planning pages against a real Omnia with the demo retailer and 60 days of seeded history
 * (orders in every channel, demand answered out of stock): a run from the form, its min/max grid,
 * pooling chart and simulation, the CSV, writing the levels, and the proposals (one accepted → an
 * inventory transfer). Screenshots of every screen; each screen renders with ≤ 5 API calls.
 */

describe('planning console (Chromium)', () => {
  let browser: Browser;
  let url: string;
  let stop: () => Promise<void>;
  let runId: string;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-web-planning-'));

  const api = async (method: string, p: string, token: string, body?: unknown) => {
    const res = await fetch(`${url}${p}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    // The shared harness seeds no history; planning needs some, so this file starts its own server.
    const seed = await omniaAsync([
      'seed',
      '--demo',
      '--stores',
      '3',
      '--products',
      '12',
      '--history',
      '60d',
      '--data-dir',
      dataDir,
    ]);
    if (seed.code !== 0) throw new Error(`seed: ${seed.stderr}`);
    const admin = await omniaAsync(
      ['create-admin', '--email', ADMIN.email, '--password-stdin', '--data-dir', dataDir],
      { input: `${ADMIN.password}\n` },
    );
    if (admin.code !== 0) throw new Error(`create-admin: ${admin.stderr}`);
    const [server, b] = await Promise.all([startServer(['--no-demo', '--data-dir', dataDir]), launchBrowser()]);
    url = server.url;
    browser = b;
    stop = async () => {
      server.child.kill('SIGTERM');
      await new Promise((r) => server.child.once('exit', r));
    };
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await stop?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function session(lang = 'en-GB'): Promise<{ ctx: BrowserContext; page: Page }> {
    const ctx = await browser.newContext({
      locale: lang,
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    const page = await ctx.newPage();
    page.setDefaultTimeout(60_000);
    await login(page, url, ADMIN.email, ADMIN.password);
    return { ctx, page };
  }

  it(
    'computes a run from the form and shows the grid, the pooling chart and the simulation',
    { timeout: 180_000 },
    async () => {
      const { ctx, page } = await session();
      const calls = countApiCalls(page);
      await page.goto(`${url}/console/planning`);
      await page.waitForSelector('form.planning-form');
      expect(calls.calls().length).toBeLessThanOrEqual(5);
      await screenshot(page, 'planning-runs');
      // A bad figure comes back from the API as a field error, not silently fixed.
      await page.fill('input[name=review_days]', '0');
      await page.click('form.planning-form button[type=submit]');
      await page.waitForSelector('[data-field-error=review_days]');
      await page.fill('input[name=review_days]', '2');
      await page.fill('input[name=history_days]', '60');
      await page.click('form.planning-form button[type=submit]');
      await page.waitForSelector('[data-testid=minmax-grid] tbody tr');
      runId = page.url().split('/').pop()!;
      await page.waitForSelector('[data-testid=pooling-chart] svg');
      expect(await page.textContent('[data-testid=planning-simulation]')).toContain('Each store alone');
      // The demo's stores have regions: the saving when only a region's stores back each other up,
      // as a figure and as a line over the per-store bars.
      expect(await page.textContent('[data-testid=planning-region-saving]')).toMatch(/region[\s\S]*ratio \d/);
      expect(await page.textContent('[data-testid=pooling-chart]')).toContain('Pooled within the region');
      calls.reset();
      await page.reload();
      await page.waitForSelector('[data-testid=minmax-grid] tbody tr');
      await page.waitForSelector('[data-testid=pooling-chart] svg');
      expect(calls.calls().length).toBeLessThanOrEqual(5);
      const cells = await page.$$eval('[data-testid=minmax-grid] tbody td.num', (tds) =>
        tds.map((td) => td.textContent),
      );
      expect(cells.some((c) => /^\d+ \/ \d+$/.test(c ?? ''))).toBe(true);
      await screenshot(page, 'planning-run');
      const download = page.waitForEvent('download');
      await page.click('text=Export CSV');
      const file = await (await download).path();
      expect(fs.readFileSync(file!, 'utf8').split('\n')[0]).toMatch(/^sku,location_id,size,/);
      await page.click('text=Write to stock levels');
      await page.waitForSelector('[data-testid=planning-applied]');
      await screenshot(page, 'planning-run-applied');
      await ctx.close();
    },
  );

  it('reviews the proposals: an accepted one becomes a transfer', { timeout: 120_000 }, async () => {
    const { ctx, page } = await session();
    const calls = countApiCalls(page);
    await page.goto(`${url}/console/planning/proposals?run=${runId}`);
    await page.waitForSelector('main table tbody tr, main .empty');
    expect(calls.calls().length).toBeLessThanOrEqual(5);
    await screenshot(page, 'planning-proposals');
    const first = await page.getAttribute('button[data-accept]', 'data-accept');
    expect(first, 'the seeded history leaves some store below its min').toBeTruthy();
    await page.click(`button[data-accept="${first}"]`);
    await page.waitForSelector(`button[data-accept="${first}"]`, { state: 'detached' });
    await page.selectOption('select[name=status]', 'accepted');
    await page.waitForSelector('text=/Transfer trf_/');
    await screenshot(page, 'planning-proposals-accepted');
    const login = await fetch(`${url}/v1/auth/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const { token } = (await login.json()) as { token: string };
    const p = await api('GET', `/v1/planning/proposals?run_id=${runId}&status=accepted`, token);
    const tr = await api('GET', `/v1/transfers/${p.body.items[0].transfer_id}`, token);
    expect(tr.body.status).toBe('in_transit');
    await ctx.close();
  });

  it('speaks Portuguese on the run page', { timeout: 120_000 }, async () => {
    const { ctx, page } = await session();
    await page.selectOption('header select[name=language]', 'pt');
    await page.waitForFunction(() => document.documentElement.lang === 'pt');
    await page.goto(`${url}/console/planning/runs/${runId}`);
    await page.waitForSelector('[data-testid=minmax-grid] tbody tr');
    const text = (await page.textContent('main')) ?? '';
    const english = englishOnlyStrings('pt').filter((s) => s.length >= 6);
    expect(english.filter((s) => text.includes(s))).toEqual([]);
    expect(text).toContain('Stock de segurança por loja');
    await screenshot(page, 'planning-run-pt');
    await ctx.close();
  });

  it('shows an expired run with its figures and without its grid', { timeout: 180_000 }, async () => {
    const login = await fetch(`${url}/v1/auth/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const { token } = (await login.json()) as { token: string };
    // Ten newer runs (OMNIA_PLANNING_KEEP_RUNS, default 10): the first run's output is dropped.
    for (let i = 0; i < 10; i++) {
      const r = await api('POST', '/v1/planning/minmax', token, { history_days: 60 });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    const first = await api('GET', `/v1/planning/minmax/${runId}`, token);
    expect(first.body.expired_at).toEqual(expect.any(String));
    const { ctx, page } = await session();
    await page.goto(`${url}/console/planning/runs/${runId}`);
    await page.waitForSelector('[data-testid=planning-expired]');
    expect(await page.$('[data-testid=minmax-grid]')).toBeNull();
    expect((await page.textContent('main')) ?? '').toContain('newer runs replace it');
    await screenshot(page, 'planning-run-expired');
    await ctx.close();
  });
});
