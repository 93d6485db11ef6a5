/**
 * Browser tests: a real `omnia serve` with a small demo retailer, driven by Debian's Chromium through
 * playwright-core. scripts/test.mjs installs Chromium when it can and reports these suites as NOT RUN
 * when it cannot (OMNIA_TEST_NO_BROWSER=1 makes vitest.config.ts leave them out).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { omniaAsync, ROOT, startServer, waitExit } from '../helpers/cli.js';

export const CHROMIUM = process.env.OMNIA_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ROOT, '.test-results/screenshots');
export const ADMIN = { email: 'admin@console.test', password: 'console admin password 1' };
export const PASSWORD = 'console staff password 1';

// Without these Chromium stalls on refused connections on a machine with no internet.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface ConsoleServer {
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** JSON over the public API with a bearer token. */
  api(method: string, p: string, token: string | undefined, body?: unknown): Promise<{ status: number; body: any }>;
  token(email: string, password: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * `opts.env` reaches the server process (e.g. `OMNIA_SMTP_URL` for a test SMTP server, read by the mailer);
 * the seed and create-admin steps do not need it.
 */
export async function startConsoleServer(
  demo = { stores: 3, products: 12 },
  opts: { env?: Record<string, string> } = {},
): Promise<ConsoleServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-web-'));
  const seed = await omniaAsync([
    'seed',
    '--demo',
    '--stores',
    String(demo.stores),
    '--products',
    String(demo.products),
    '--data-dir',
    dataDir,
  ]);
  if (seed.code !== 0) throw new Error(`seed failed: ${seed.stderr}${seed.stdout}`);
  const admin = await omniaAsync(['create-admin', '--email', ADMIN.email, '--password-stdin', '--data-dir', dataDir], {
    input: `${ADMIN.password}\n`,
  });
  if (admin.code !== 0) throw new Error(`create-admin failed: ${admin.stderr}${admin.stdout}`);
  const { url, child } = await startServer(['--no-demo', '--data-dir', dataDir], opts.env ?? {});
  const api: ConsoleServer['api'] = async (method, p, token, body) => {
    const res = await fetch(`${url}${p}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed };
  };
  return {
    url,
    dataDir,
    child,
    api,
    async token(email, password) {
      const r = await api('POST', '/v1/auth/staff/login', undefined, { email, password });
      if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.token as string;
    },
    async close() {
      child.kill('SIGTERM');
      await waitExit(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true, timeout: 60_000 });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Counts the API calls a page makes, to hold every page to at most 5 calls to render. */
export function countApiCalls(page: Page): { reset(): void; calls(): string[] } {
  let seen: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/v1/')) seen.push(`${r.method()} ${u.pathname}`);
  });
  return { reset: () => (seen = []), calls: () => [...seen] };
}

export async function login(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/console/`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('header nav');
}

/** Every English string of the console that another language says differently. */
export function englishOnlyStrings(lang: 'pt' | 'es'): string[] {
  // One folder per language, one file per area (see web/src/app/locales.ts).
  const read = (l: string): Record<string, unknown> =>
    Object.assign(
      {},
      ...fs
        .readdirSync(path.join(ROOT, 'web/locales', l))
        .filter((f) => f.endsWith('.json'))
        .map((f) => JSON.parse(fs.readFileSync(path.join(ROOT, 'web/locales', l, f), 'utf8'))),
    );
  const flat = (o: Record<string, unknown>, pre = ''): Record<string, string> =>
    Object.entries(o).reduce<Record<string, string>>((acc, [k, v]) => {
      if (typeof v === 'string') acc[pre + k] = v;
      else Object.assign(acc, flat(v as Record<string, unknown>, `${pre}${k}.`));
      return acc;
    }, {});
  const en = flat(read('en'));
  const other = flat(read(lang));
  const pieces = (v: string) =>
    v
      .split(/\{\{\w+\}\}/)
      .map((s) => s.trim().replace(/[:.…]$/, ''))
      .filter((s) => s.length >= 4);
  // A word the other language itself uses somewhere ("Total", "Stock" in Portuguese) is not English left over.
  const theirs = new Set(Object.values(other).flatMap(pieces));
  return Object.entries(en)
    .filter(([k, v]) => other[k] !== v)
    .flatMap(([, v]) => pieces(v))
    .filter((s) => !theirs.has(s));
}
