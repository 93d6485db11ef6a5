#!/usr/bin/env node
// Bundles the CLI and server into dist/omnia.mjs so `omnia serve` starts without transpiling
// TypeScript at run time (tsx remains the fallback when the bundle is missing or older than src/).
// Runs on `npm install` (the `prepare` script) and takes well under a second.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
await build({
  entryPoints: [path.join(root, 'src/cli/main.ts')],
  outfile: path.join(root, 'dist/omnia.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
process.stdout.write(`built dist/omnia.mjs in ${Date.now() - started} ms\n`);
