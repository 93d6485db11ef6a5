#!/usr/bin/env node
// Builds the web console (web/ → web/dist, served at /console) and checks its first-load budget:
// the entry chunk and everything it imports statically must stay within 300 KB of gzipped
// JavaScript (pages and echarts load lazily). Runs on `npm install` (prepare) after the server
// bundle; OMNIA_SKIP_WEB_BUILD=1 skips it (server-only installs).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const BUDGET_BYTES = 300 * 1024;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webRoot = path.join(root, 'web');
// OMNIA_WEB_OUT builds elsewhere (served with OMNIA_CONSOLE_DIR), leaving web/dist alone.
const dist = process.env.OMNIA_WEB_OUT ? path.resolve(process.env.OMNIA_WEB_OUT) : path.join(webRoot, 'dist');

/** Gzipped bytes of the JavaScript a first visit loads: the entry and its static imports. */
export function firstLoadJs(distDir = dist) {
  const manifest = JSON.parse(fs.readFileSync(path.join(distDir, '.vite/manifest.json'), 'utf8'));
  const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
  const files = new Set();
  const walk = (key) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imp of chunk.imports ?? []) walk(imp);
  };
  walk(entry);
  let gzip = 0;
  for (const f of files) gzip += zlib.gzipSync(fs.readFileSync(path.join(distDir, f)), { level: 9 }).length;
  return { files: [...files], gzip };
}

/** .gz and .br beside every text asset, so the server sends them compressed without compressing per request. */
function precompress(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    if (!entry.isFile() || !/\.(js|css|html|json|svg)$/.test(entry.name)) continue;
    const body = fs.readFileSync(file);
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(body, { level: 9 }));
    fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(body));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.env.OMNIA_SKIP_WEB_BUILD === '1') {
    process.stdout.write('web console: build skipped (OMNIA_SKIP_WEB_BUILD=1)\n');
    process.exit(0);
  }
  const started = Date.now();
  const { build } = await import('vite');
  await build({
    root: webRoot,
    configFile: path.join(webRoot, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: dist, emptyOutDir: true },
  });
  precompress(dist);
  const { files, gzip } = firstLoadJs();
  const kb = (gzip / 1024).toFixed(1);
  process.stdout.write(
    `built ${path.relative(root, dist) || dist} in ${Date.now() - started} ms; first load ${kb} KB gzipped JS (${files.length} files, budget 300 KB)\n`,
  );
  if (gzip > BUDGET_BYTES) {
    process.stderr.write(`web console: first-load JavaScript ${kb} KB gzipped is over the 300 KB budget\n`);
    process.exit(1);
  }
}
