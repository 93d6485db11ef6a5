import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childEnv } from '../helpers/cli.js';

const BIN = path.resolve(__dirname, '../../bin/omnia.js');
const HEADER =
  'product_code,name,brand,category,tax_class,sku,gtin,size,colour,price,currency,sale_price,weight_g,unit_cost';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-cli-catalog-'));
const dataDir = path.join(dir, 'data');

/** Runs the CLI without blocking the test worker (spawnSync would starve vitest's RPC). */
function omnia(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args, '--data-dir', dataDir], { env: childEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('omnia seed and omnia import on the command line', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('seeds a small demo with the stable channel codes, once', { timeout: 180_000 }, async () => {
    const first = await omnia('seed', '--demo', '--stores', '3', '--products', '5', '--seed', '9', '--json');
    expect(first.code, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary).toMatchObject({
      seed: 9,
      stores: 3,
      warehouses: 2,
      pickup_points: 10,
      products: 5,
      channels: [
        'web',
        'app',
        'pos',
        'contact_center',
        'amazon',
        'aliexpress',
        'social',
        'instagram',
        'facebook',
        'tiktok',
      ],
    });
    const again = await omnia('seed', '--demo', '--stores', '3', '--products', '5');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has channels/);
    expect((await omnia('seed')).code).toBe(2);
    expect((await omnia('seed', '--demo', '--stores', 'many')).code).toBe(2);
  });

  it(
    'imports a file, reports refused rows by line and field, exits 1 when any row failed',
    { timeout: 180_000 },
    async () => {
      const file = path.join(dir, 'p.csv');
      fs.writeFileSync(
        file,
        `${HEADER}\nC1,Camisa,Nómada,men/shirts,standard,C1-M,,M,Azul,39.95,EUR,,250,12\nC1,Camisa,Nómada,men/shirts,standard,C1-L,,L,Azul,-1,EUR,,250,12\n`,
      );
      const res = await omnia('import', 'products', file, '--json');
      expect(res.code).toBe(1);
      expect(JSON.parse(res.stdout)).toMatchObject({
        rows: 2,
        imported: 1,
        failed: 1,
        errors: [{ line: 3, field: 'price', message: 'must not be negative' }],
      });
      fs.writeFileSync(file, `${HEADER}\nC2,Camisa,Nómada,men/shirts,standard,C2-M,,M,Azul,39.95,EUR,,250,12\n`);
      const ok = await omnia('import', 'products', file);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/imported 1 of 1 rows/);
      fs.writeFileSync(
        file,
        Buffer.from(`${HEADER}\nC3,Camis\xe9ta,N,men/shirts,standard,C3-M,,M,Azul,9,EUR,,1,1\n`, 'latin1'),
      );
      const latin = await omnia('import', 'products', file);
      expect(latin.code).toBe(1);
      expect(latin.stderr).toMatch(/line 2: file: the file is not UTF-8/);
      expect((await omnia('import', 'products', path.join(dir, 'missing.csv'))).code).toBe(2);
    },
  );
});
