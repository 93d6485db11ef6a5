/**
 * The edges between Omnia's modules, checked by `npm run lint` (docs/CONVENTIONS.md, "Module edges").
 *
 * A module is a folder under src/. `platform/` is the ground floor: every module may import its files
 * directly, except the database drivers, which only `platform/db/` touches. Any other module is reached
 * only through its `index.ts`, or its `events.ts` (the event types it emits: a published contract, like
 * index.ts). The composition root (src/*.ts) wires modules through the same two files.
 * Tests under test/<module>/ may read that module's internals (its own tests); anything else in test/,
 * bench/ and scripts/ goes through index.ts (or a module's fixtures.ts, its test data builders) or HTTP.
 */
const DRIVERS = ['^node_modules/pg/', '^node_modules/pg-[a-z-]+/', '^node_modules/@electric-sql/pglite/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: split the shared part out (ports.ts, types.ts, rules.ts) so the arrows point one way.',
      from: { path: '^(src|test|bench|scripts)/' },
      to: { circular: true },
    },
    {
      name: 'module-through-index',
      severity: 'error',
      comment:
        "Another module is imported only through its index.ts (platform/ excepted): the rest of it is that module's own business.",
      from: { path: '^src/([^/]+)/' },
      to: {
        path: '^src/[^/]+/',
        pathNot: ['^src/$1/', '^src/platform/', '^src/[^/]+/(index|events)\\.ts$'],
      },
    },
    {
      name: 'root-through-index',
      severity: 'error',
      comment: 'The composition root (src/*.ts) wires modules through their index.ts.',
      from: { path: '^src/[^/]+\\.ts$' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/platform/', '^src/[^/]+/(index|events)\\.ts$'] },
    },
    {
      name: 'platform-is-the-ground-floor',
      severity: 'error',
      comment:
        'platform/ imports no module: a module plugs into it from the composition root (its tests may check the whole).',
      from: { path: '^src/platform/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/', pathNot: ['^src/platform/'] },
    },
    {
      name: 'drivers-only-in-platform-db',
      severity: 'error',
      comment:
        'Only src/platform/db/ talks to the database drivers (pg, PGlite) and the PGlite dialect; others use Kysely.',
      from: { path: '^src/', pathNot: '^src/platform/db/' },
      to: { path: [...DRIVERS, '^src/platform/db/pglite-dialect\\.ts$'] },
    },
    {
      name: 'tests-through-index',
      severity: 'error',
      comment:
        "A test under test/<module>/ may read that module's internals; cross-module scenarios go through index.ts or HTTP.",
      from: { path: '^test/([^/]+)/' },
      to: {
        path: '^src/[^/]+/',
        pathNot: ['^src/$1/', '^src/platform/', '^src/[^/]+/(index|events)\\.ts$'],
      },
    },
    {
      name: 'bench-and-scripts-through-index',
      severity: 'error',
      comment: "Benchmarks and scripts reach modules through their index.ts (or a module's fixtures.ts) or HTTP.",
      from: { path: '^(bench|scripts)/' },
      to: {
        path: '^src/[^/]+/',
        pathNot: ['^src/platform/', '^src/[^/]+/(index|events)\\.ts$', '^src/[^/]+/fixtures\\.ts$'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|web|coverage)/' },
    // Type-only imports are edges too: a cycle through types still ties two files together.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    cache: { folder: 'node_modules/.cache/dependency-cruiser', strategy: 'content' },
  },
};
