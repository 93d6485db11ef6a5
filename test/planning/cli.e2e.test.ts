import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childEnv, OMNIA_BIN } from '../helpers/cli.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-cli-plan-'));
const dataDir = path.join(dir, 'data');

/** Runs the CLI without blocking the test worker (spawnSync would starve vitest's RPC). */
function omnia(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [OMNIA_BIN, ...args, '--data-dir', dataDir], { env: childEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('omnia plan minmax', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('plans the seeded history, shows progress and applies the levels', { timeout: 240_000 }, async () => {
    const seed = await omnia('seed', '--demo', '--stores', '3', '--products', '12', '--history', '30d', '--json');
    expect(seed.code, seed.stderr).toBe(0);
    const bad = await omnia('plan', 'minmax', '--service-level', '1.2');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('service_level');
    const res = await omnia('plan', 'minmax', '--history-days', '30', '--service-level', '0.9', '--apply', '--json');
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.summary.pairs).toBeGreaterThan(0);
    expect(out.summary.stores).toBe(3);
    expect(out.applied.applied).toBe(out.summary.pairs);
    const text = await omnia('plan', 'minmax', '--history-days', '30', '--simulate-skus', '0');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^run pln_\w+: \d+ SKU × store pairs/);
    // Not a terminal: the bar prints a line per 10 %, ending at 100 %.
    expect(text.stderr).toMatch(/plan minmax 100% /);
  });
});
