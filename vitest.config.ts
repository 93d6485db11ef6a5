import { defineConfig } from 'vitest/config';

/**
 * Two runs share this config (see scripts/test.mjs):
 *  - default (PGlite): unit, int and e2e suites, except the PostgreSQL-only ones (`*.pg.*.test.ts`)
 *  - OMNIA_TEST_DB=pg: int and e2e suites, including the PostgreSQL-only ones (races, multi-process, crash)
 */
const onPg = process.env.OMNIA_TEST_DB === 'pg';

export default defineConfig({
  test: {
    include: onPg ? ['{src,test}/**/*.{int,e2e}.test.ts'] : ['{src,test}/**/*.{unit,int,e2e}.test.ts'],
    exclude: onPg ? ['node_modules/**'] : ['node_modules/**', '**/*.pg.*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});
