import { parseArgs } from 'node:util';
import { createOmnia } from '../../server.js';
import { DataDirLockedError } from '../../platform/db/data-dir-lock.js';
import { CONFIG_FLAGS, configFrom, CliError, EXIT } from '../shared.js';
import { Progress } from '../progress.js';
import { DEMO_DEFAULTS } from '../../demo/index.js';

export const help = `omnia seed --demo [--stores N] [--products N] [--seed S] [--json] [--database-url URL] [--data-dir DIR]

Creates the demo retailer in an empty database: a fashion chain with stores in real Spanish and
Portuguese cities (default ${DEMO_DEFAULTS.stores}), 2 warehouses, 10 pickup points, the channels web, app, pos,
contact_center, amazon, aliexpress and social, and products (default ${DEMO_DEFAULTS.products}) in sizes XS–XL or
36–46, with stock when the inventory module is present. The same --seed (default ${DEMO_DEFAULTS.seed}) always
makes the same retailer. A product has ~4.7 sizes on average: --stores 500 --products 4250 makes
500 stores × ~20,000 SKUs.`;

function intFlag(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw new CliError(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`, EXIT.usage);
  return Number(raw);
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...CONFIG_FLAGS,
      demo: { type: 'boolean' },
      stores: { type: 'string' },
      products: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  if (!values.demo) throw new CliError(`say what to seed: --demo\n\n${help}`, EXIT.usage);
  const stores = intFlag('stores', values.stores, DEMO_DEFAULTS.stores, 1, 5000);
  const products = intFlag('products', values.products, DEMO_DEFAULTS.products, 1, 500_000);
  const seed = intFlag('seed', values.seed, DEMO_DEFAULTS.seed, 0, 4294967295);
  const config = { ...configFrom(values), jobs: false, logLevel: 'warn' as const };
  let omnia;
  try {
    omnia = await createOmnia({ config, command: 'omnia seed' });
  } catch (err) {
    if (err instanceof DataDirLockedError) throw new CliError(err.message, EXIT.locked);
    throw err;
  }
  const { seedDemo, DemoNotEmptyError } = await import('../../demo/index.js');
  try {
    let bar: Progress | undefined;
    let shown = 0;
    const summary = await seedDemo(omnia.services, {
      seed,
      stores,
      products,
      onStep: (s) => values.json || process.stderr.write(`${s}\n`),
      onProgress: (done, total) => {
        if (values.json) return;
        bar ??= new Progress('catalog rows', total);
        bar.tick(done - shown);
        shown = done;
        if (done === total) bar.finish();
      },
    });
    process.stdout.write(
      values.json
        ? `${JSON.stringify(summary)}\n`
        : `seeded the demo retailer (seed ${summary.seed}): ${summary.stores} stores, ${summary.warehouses} warehouses, ${summary.pickup_points} pickup points, channels ${summary.channels.join(', ')}, ${summary.products} products / ${summary.skus} SKUs${summary.stock_rows === null ? ' (no inventory module: no stock)' : `, ${summary.stock_rows} stock rows`} in ${summary.ms.total} ms\n`,
    );
    return EXIT.ok;
  } catch (err) {
    if (err instanceof DemoNotEmptyError) throw new CliError(err.message, EXIT.failure);
    throw err;
  } finally {
    await omnia.close();
  }
}
