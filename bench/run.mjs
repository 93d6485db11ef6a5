#!/usr/bin/env node
// `npm run bench -- <name> [args]` runs bench/<name>.ts; with no name, lists them.
// Every benchmark prints its workload and ends with one line `BENCH {json}`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);
const available = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));
if (!name || !available.includes(name)) {
  process.stdout.write(`usage: npm run bench -- <name> [options]\navailable: ${available.join(', ')}\n`);
  process.exit(name ? 2 : 0);
}
// Benchmarks measure what production runs: NODE_ENV=production (unless set) turns off the PostgreSQL
// transaction guard (src/platform/db/tx-guard.ts, a test-time check whose AsyncLocalStorage costs
// ~10 % of a request's CPU on Node 20); servers the benchmark starts inherit it.
const res = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, `${name}.ts`), ...args], {
  stdio: 'inherit',
  env: { NODE_ENV: 'production', ...process.env },
});
process.exit(res.status ?? 1);
