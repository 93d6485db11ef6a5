#!/usr/bin/env node
// `npm test`: the suites on PGlite, then again on the PostgreSQL server with the PostgreSQL-only
// suites (races, locking, multi-process, crash). An unreachable PostgreSQL is reported loudly as
// "not run", never as passed; with OMNIA_TEST_REQUIRE_PG=1 (CI) it fails the run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import pg from 'pg';

const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const requirePg = process.env.OMNIA_TEST_REQUIRE_PG === '1';
const extra = process.argv.slice(2);
fs.mkdirSync('.test-results', { recursive: true });

// The console's browser suites (test/web) drive Debian's Chromium. Install it when missing and we
// are root (as CI is); otherwise those suites are reported NOT RUN, and CI fails like it does
// without PostgreSQL.
const CHROMIUM = process.env.OMNIA_CHROMIUM ?? '/usr/bin/chromium';
function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return true;
  if (process.getuid?.() === 0 && CHROMIUM === '/usr/bin/chromium') {
    process.stdout.write('Chromium is missing: apt-get install -y chromium (for the console browser tests)\n');
    spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], {
      stdio: 'inherit',
    });
  }
  return fs.existsSync(CHROMIUM);
}
const browser = ensureChromium();

/** Newest modification time of a file or under a folder (0 when it does not exist). */
function newest(dir) {
  if (!fs.existsSync(dir)) return 0;
  if (!fs.statSync(dir).isDirectory()) return fs.statSync(dir).mtimeMs;
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}
// The browser suites drive the built console: build it when missing or older than its sources, so
// they never test yesterday's pages (the server itself runs from source when its bundle is stale).
const built = fs.existsSync('web/dist/index.html') ? fs.statSync('web/dist/index.html').mtimeMs : 0;
if (browser && built < Math.max(newest('web/src'), newest('web/locales'), newest('web/index.html'))) {
  spawnSync(process.execPath, ['scripts/build-web.mjs'], { stdio: 'inherit' });
}

const failures = [];
const firstLine = (m) =>
  String(m ?? '')
    .split('\n')[0]
    .slice(0, 300);

function vitest(label, env, out) {
  process.stdout.write(`\n=== ${label} ===\n`);
  const res = spawnSync(
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...extra],
    {
      stdio: 'inherit',
      env: { ...process.env, ...env },
    },
  );
  let counts = { passed: 0, failed: 0, skipped: 0 };
  try {
    const r = JSON.parse(fs.readFileSync(out, 'utf8'));
    // CI keeps only the tail of the log: name every failure again next to the totals.
    for (const file of r.testResults ?? []) {
      const failedTests = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
      if (file.status === 'failed' && failedTests.length === 0) {
        failures.push(`${label.split(' ')[0]} ${file.name}: ${firstLine(file.message)}`);
      }
      for (const t of failedTests) {
        failures.push(`${label.split(' ')[0]} ${file.name} > ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
      }
    }
    counts = {
      passed: r.numPassedTests,
      failed: r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0),
      skipped: r.numPendingTests + r.numTodoTests,
    };
    if (r.numFailedTestSuites && !r.numFailedTests) counts.failed += r.numFailedTestSuites;
  } catch {
    counts.failed += 1; // no report: the run itself broke
  }
  if (res.status !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}

async function pgReachable() {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } catch (err) {
    return err;
  } finally {
    await c.end().catch(() => {});
  }
}

const total = { passed: 0, failed: 0, skipped: 0 };
const add = (c) => {
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
};

add(
  vitest(
    `PGlite (embedded): unit, integration, e2e${browser ? ', console in Chromium' : ''}`,
    { OMNIA_TEST_DB: 'pglite', ...(browser ? {} : { OMNIA_TEST_NO_BROWSER: '1' }) },
    '.test-results/pglite.json',
  ),
);
if (!browser) {
  const banner = '!'.repeat(78);
  process.stdout.write(
    `\n${banner}\n!! Chromium (${CHROMIUM}) is missing and could not be installed.\n!! The console browser suites (test/web/*.browser.e2e.test.ts) were NOT RUN.\n${banner}\n`,
  );
  if (requirePg) total.failed += 1;
}

const reach = await pgReachable();
if (reach === true) {
  add(
    vitest(
      `PostgreSQL (${PG_URL.replace(/:[^:@/]*@/, ':***@')}): integration, e2e, races, multi-process, crash`,
      { OMNIA_TEST_DB: 'pg', DATABASE_URL: PG_URL },
      '.test-results/pg.json',
    ),
  );
} else {
  const banner = '!'.repeat(78);
  process.stdout.write(
    `\n${banner}\n!! PostgreSQL at ${PG_URL} is unreachable (${reach?.message ?? reach}).\n!! The PostgreSQL suites (races, locking, multi-process, crash) were NOT RUN.\n${banner}\n`,
  );
  if (requirePg) total.failed += 1;
}

if (failures.length > 0) {
  process.stdout.write(`\nFailed:\n${failures.map((f) => `  ${f.replace(process.cwd() + '/', '')}`).join('\n')}\n`);
}
process.stdout.write(`\nomnia tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
process.exit(total.failed > 0 ? 1 : 0);
