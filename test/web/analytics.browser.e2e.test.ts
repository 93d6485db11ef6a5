import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { omniaAsync, startServer, waitExit } from '../helpers/cli.js';
import { ADMIN, PASSWORD, countApiCalls, englishOnlyStrings, launchBrowser, login, screenshot } from './harness.js';

/**
 * The analytics pages on the demo retailer with six months of history (`omnia seed --demo --history
 * 6m`), as a merchandiser: channel mix (stacked shares, segments' value, conversion, crediting),
 * shipping (margin by basket band with the break-even threshold, a what-if threshold typed in) and
 * lost sales (store × size heat map), each within 5 API calls, CSV export, screenshots; in Portuguese too.
 */

describe('analytics console (Chromium)', () => {
  let url: string;
  let child: ChildProcess;
  let dataDir: string;
  let browser: Browser;
  const MERCH = { email: 'merch@console.test', password: PASSWORD };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-analytics-'));
    // Seeding months of history takes a while: spawned, not spawnSync, so the test worker stays responsive.
    const seed = await omniaAsync([
      'seed',
      '--demo',
      '--stores',
      '6',
      '--products',
      '60',
      '--history',
      '6m',
      '--data-dir',
      dataDir,
    ]);
    if (seed.code !== 0) throw new Error(`seed failed: ${seed.stderr}${seed.stdout}`);
    expect(seed.stdout).toMatch(/history .* orders of \d+ customers/);
    const admin = await omniaAsync(
      ['create-admin', '--email', ADMIN.email, '--password-stdin', '--data-dir', dataDir],
      {
        input: `${ADMIN.password}\n`,
      },
    );
    if (admin.code !== 0) throw new Error(`create-admin failed: ${admin.stderr}${admin.stdout}`);
    [{ url, child }, browser] = await Promise.all([startServer(['--no-demo', '--data-dir', dataDir]), launchBrowser()]);
    const login = await fetch(`${url}/v1/auth/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const { token } = (await login.json()) as { token: string };
    const staff = await fetch(`${url}/v1/staff`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ ...MERCH, role: 'merchandiser' }),
    });
    expect(staff.status).toBe(201);
  }, 360_000);
  afterAll(async () => {
    await browser?.close();
    if (child) {
      child.kill('SIGTERM');
      await waitExit(child);
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function session(): Promise<{ ctx: BrowserContext; page: Page }> {
    const ctx = await browser.newContext({
      locale: 'en-GB',
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    const page = await ctx.newPage();
    page.setDefaultTimeout(60_000);
    await login(page, url, MERCH.email, MERCH.password);
    return { ctx, page };
  }
  const settled = (page: Page) => page.waitForFunction(() => !document.querySelector('.spinner'));

  it('channel mix: stacked shares by month near 7 / 20 / 73 %, then by region; CSV of the segments', async () => {
    const { ctx, page } = await session();
    const calls = countApiCalls(page);
    await page.goto(`${url}/console/analytics`);
    await page.waitForSelector('[data-testid=shares-chart] svg');
    await settled(page);
    const share = async (s: string) =>
      Number(((await page.textContent(`[data-testid=share-${s}] strong`)) ?? '').replace(/[^\d.]/g, ''));
    expect(await share('online_only')).toBeGreaterThan(2);
    expect(await share('online_only')).toBeLessThan(15);
    expect(await share('store_only')).toBeGreaterThan(12);
    expect(await share('store_only')).toBeLessThan(30);
    expect(await share('omnichannel')).toBeGreaterThan(60);
    // one bar per month and segment: six or seven months, three segments
    expect(await page.locator('[data-testid=shares-chart] svg path').count()).toBeGreaterThan(15);
    expect(calls.calls().filter((c) => c.includes('/analytics/'))).toEqual(['GET /v1/analytics/channel-mix']);
    expect(calls.calls().length).toBeLessThanOrEqual(5);
    await screenshot(page, 'analytics-channel-mix');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=csv-segments]')]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe(
      'month,name,segment,customers,share,spend_per_customer,orders_per_year,average_basket,return_rate,retention_12m',
    );
    expect(csv).toContain('total,total,omnichannel,');

    calls.reset();
    await page.selectOption('select[name=group_by]', 'region');
    await page.locator('main h2', { hasText: 'by region' }).first().waitFor();
    await page.waitForSelector('[data-testid=shares-chart] svg');
    expect(calls.calls()).toEqual(['GET /v1/analytics/channel-mix']);
    await screenshot(page, 'analytics-channel-mix-by-region');
    await ctx.close();
  });

  it('shipping: margin by basket band with the break-even threshold, and a what-if threshold', async () => {
    const { ctx, page } = await session();
    const calls = countApiCalls(page);
    await page.goto(`${url}/console/analytics/shipping`);
    await page.waitForSelector('[data-testid=band-chart] svg');
    await settled(page);
    expect(calls.calls().length).toBeLessThanOrEqual(5);
    const before = await page.textContent('[data-testid=what-if]');
    expect(before).toContain('€50.00');
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.fill('input[name=threshold]', '35');
    await page.fill('input[name=reach]', '10');
    await page.click('form[aria-label="Free shipping what-if"] button[type=submit]');
    await page.locator('[data-testid=what-if]', { hasText: '€35.00' }).waitFor();
    expect(requests.some((u) => u.includes('threshold=3500') && u.includes('reach=1000'))).toBe(true);
    const band = await page.getAttribute('[data-testid=band-chart]', 'data-break-even-band');
    const breakEven = await page.textContent('[data-testid=break-even] strong');
    // the mark sits on the band that holds the threshold shown in the tile, when there is one
    if (band) expect(breakEven).toMatch(/€\d/);
    await page.waitForSelector('[data-testid=whatif-chart] svg');
    await screenshot(page, 'analytics-shipping');
    // a bad margin: the API's problem, shown on the page
    await page.fill('input[name=gross_margin]', '150');
    await page.click('form[aria-label="Free shipping what-if"] button[type=submit]');
    await page.waitForSelector('.problem');
    await ctx.close();
  });

  it('lost sales: totals split into sourcing opportunity and buying problem, store × size heat map, CSV', async () => {
    const { ctx, page } = await session();
    const calls = countApiCalls(page);
    await page.goto(`${url}/console/analytics/lost-sales`);
    await page.waitForSelector('[data-testid=heat-chart] svg');
    await settled(page);
    expect(calls.calls()).toEqual(['GET /v1/analytics/lost-sales']);
    expect(await page.textContent('[data-testid=lost-total] strong')).toMatch(/€[\d,]+\.\d\d/);
    expect(await page.textContent('[data-testid=lost-sourceable] strong')).toMatch(/€/);
    // a heat map cell per store and size with lost demand
    expect(await page.locator('[data-testid=heat-chart] svg path').count()).toBeGreaterThan(10);
    await screenshot(page, 'analytics-lost-sales');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=csv-grid]')]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('location_id,name,size,units,value');
    expect(csv.split('\r\n').length).toBeGreaterThan(5);
    await ctx.close();
  });

  it('speaks Portuguese: no English string of the console remains on the three pages', async () => {
    const { ctx, page } = await session();
    await page.selectOption('header select[name=language]', 'pt');
    await page.waitForFunction(() => document.documentElement.lang === 'pt');
    const english = englishOnlyStrings('pt');
    for (const [name, p, ready] of [
      ['channel-mix', '/console/analytics', '[data-testid=shares-chart] svg'],
      ['shipping', '/console/analytics/shipping', '[data-testid=band-chart] svg'],
      ['lost-sales', '/console/analytics/lost-sales', '[data-testid=heat-chart] svg'],
    ] as const) {
      await page.goto(`${url}${p}`);
      await page.waitForSelector(ready);
      await settled(page);
      const text = (await page.evaluate('document.body.innerText')) as string;
      const left = english.filter((s) => new RegExp(`\\b${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text));
      expect({ page: name, left }).toEqual({ page: name, left: [] });
      await screenshot(page, `pt-analytics-${name}`);
    }
    await ctx.close();
  });
});
