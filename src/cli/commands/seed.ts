import { parseArgs } from 'node:util';
import { createOmnia } from '../../server.js';
import { DataDirLockedError } from '../../platform/db/data-dir-lock.js';
import { CONFIG_FLAGS, configFrom, CliError, EXIT } from '../shared.js';
import { Progress } from '../progress.js';
import { DEMO_DEFAULTS } from '../../demo/index.js';

export const help = `omnia seed --demo [--stores N] [--products N] [--seed S] [--history 6m] [--history-end YYYY-MM-DD] [--json] [--database-url URL] [--data-dir DIR]

Creates the demo retailer in an empty database: a fashion chain with stores in real Spanish and
Portuguese cities (default ${DEMO_DEFAULTS.stores}), 2 warehouses, 10 pickup points, the channels web, app, pos,
contact_center, amazon, aliexpress and social, and products (default ${DEMO_DEFAULTS.products}) in sizes XS–XL or
36–46, with stock when the inventory module is present. The same --seed (default ${DEMO_DEFAULTS.seed}) always
makes the same retailer. A product has ~4.7 sizes on average: --stores 500 --products 4250 makes
500 stores × ~20,000 SKUs.

--history 6m (or 90d; 1–24 months, 1–730 days) adds that much past: orders in every channel (about
7 % of customers online-only, 20 % store-only, 73 % omnichannel), click & collect and ship-from-store,
returns, visit days and demand answered out of stock, ending the day before --history-end (default
today, UTC). The same seed and end day always give the same history.`;

/** "6m" → days (a month counted as 30.44 days, rounded), "90d" → 90. */
export function historyDays(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const m = /^(\d+)([md])$/.exec(raw);
  const n = m ? Number(m[1]) : NaN;
  if (!m || n < 1 || (m[2] === 'm' ? n > 24 : n > 730))
    throw new CliError(`--history must be months (1m–24m) or days (1d–730d), got "${raw}"`, EXIT.usage);
  return m[2] === 'm' ? Math.round(n * 30.44) : n;
}

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
      history: { type: 'string' },
      'history-end': { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  if (!values.demo) throw new CliError(`say what to seed: --demo\n\n${help}`, EXIT.usage);
  const stores = intFlag('stores', values.stores, DEMO_DEFAULTS.stores, 1, 5000);
  const products = intFlag('products', values.products, DEMO_DEFAULTS.products, 1, 500_000);
  const seed = intFlag('seed', values.seed, DEMO_DEFAULTS.seed, 0, 4294967295);
  const historyDaysN = historyDays(values.history);
  const historyEnd = values['history-end'];
  if (historyEnd !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(historyEnd))
    throw new CliError(`--history-end must be a day YYYY-MM-DD, got "${historyEnd}"`, EXIT.usage);
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
      ...(historyDaysN ? { history_days: historyDaysN } : {}),
      ...(historyEnd ? { history_end: historyEnd } : {}),
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
        : `seeded the demo retailer (seed ${summary.seed}): ${summary.stores} stores, ${summary.warehouses} warehouses, ${summary.pickup_points} pickup points, channels ${summary.channels.join(', ')}, ${summary.products} products / ${summary.skus} SKUs${summary.stock_rows === null ? ' (no inventory module: no stock)' : `, ${summary.stock_rows} stock rows`}${summary.history ? `; history ${summary.history.from} to ${summary.history.to}: ${summary.history.orders} orders of ${summary.history.customers} customers, ${summary.history.returns} returns, ${summary.history.visit_days} visit days, ${summary.history.lost_demand} lost-demand rows (${summary.history.ms} ms)` : ''} in ${summary.ms.total} ms\n`,
    );
    return EXIT.ok;
  } catch (err) {
    if (err instanceof DemoNotEmptyError) throw new CliError(err.message, EXIT.failure);
    throw err;
  } finally {
    await omnia.close();
  }
}
