#!/usr/bin/env node
// The `omnia` command. Uses the prebuilt bundle (dist/omnia.mjs, made by `npm install` through the
// `prepare` script) when it is newer than every source file; otherwise runs the TypeScript sources
// through tsx, so a checkout that was edited since the last build never runs stale code.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist/omnia.mjs');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

let useBundle = false;
try {
  useBundle = process.env.OMNIA_NO_BUNDLE !== '1' && fs.statSync(bundle).mtimeMs >= newestMtime(path.join(root, 'src'));
} catch {
  useBundle = false;
}
if (useBundle) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
