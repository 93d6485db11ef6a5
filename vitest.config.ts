import { defineConfig } from 'vitest/config';

/**
 * Two runs share this config (see scripts/test.mjs):
 *  - default (PGlite): unit, int and e2e suites, except the PostgreSQL-only ones (`*.pg.*.test.ts`)
 *  - OMNIA_TEST_DB=pg: int and e2e suites, including the PostgreSQL-only ones (races, multi-process, crash)
 */
const onPg = process.env.OMNIA_TEST_DB === 'pg';
/**
 * Browser suites (test/web/*.browser.e2e.test.ts) spawn their own PGlite server, so they run in the PGlite pass
 * only; scripts/test.mjs sets OMNIA_TEST_NO_BROWSER=1 (and reports them NOT RUN) when Chromium is missing.
 * The console's pure parts (web/src/**\/*.unit.test.ts) run with the unit suites.
 */
const noBrowser = process.env.OMNIA_TEST_NO_BROWSER === '1';
const browserSuites = 'test/web/**/*.browser.e2e.test.ts';

export default defineConfig({
  test: {
    include: onPg
      ? ['{src,test}/**/*.{int,e2e}.test.ts']
      : ['{src,test}/**/*.{unit,int,e2e}.test.ts', 'web/src/**/*.unit.test.ts'],
    exclude: onPg
      ? ['node_modules/**', browserSuites]
      : ['node_modules/**', '**/*.pg.*.test.ts', ...(noBrowser ? [browserSuites] : [])],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});
