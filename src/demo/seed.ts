/** Writes the demo retailer (plan.ts) through the modules' services, in bulk. */
import type { Services } from '../services.js';
import { planDemo, DEMO_DEFAULTS, type DemoOptions } from './plan.js';
import { seedHistory, type HistorySummary } from './history.js';

export interface DemoSummary {
  seed: number;
  stores: number;
  warehouses: number;
  pickup_points: number;
  channels: string[];
  products: number;
  skus: number;
  stock_rows: number | null;
  /** Present when a history was asked for (`--history 6m`). */
  history?: HistorySummary;
  ms: { network: number; catalog: number; stock: number; total: number };
}

export class DemoNotEmptyError extends Error {}

/** The inventory's demo stock hook, when an inventory module is composed in. */
interface DemoStock {
  seedDemoStock(input: { seed: number; skus: string[] }): Promise<{ rows: number }>;
}

function stockOf(services: Services): DemoStock | undefined {
  const inv = (services as unknown as Record<string, unknown>)['inventory'] as Partial<DemoStock> | undefined;
  return inv && typeof inv.seedDemoStock === 'function' ? (inv as DemoStock) : undefined;
}

export interface SeedDemoOptions extends Partial<DemoOptions> {
  onStep?: (step: string) => void;
  onProgress?: (done: number, total: number) => void;
  /** Days of past orders, returns, visits and lost demand to add, ending the day before `history_end`. */
  history_days?: number;
  /** YYYY-MM-DD, the first day after the history (default: today on the context's clock). */
  history_end?: string;
}

/**
 * Creates the demo retailer in an empty database (no channels). Refuses a database that already has
 * channels: the demo's stable codes would collide with what is there.
 */
export async function seedDemo(services: Services, options: SeedDemoOptions = {}): Promise<DemoSummary> {
  const opts: DemoOptions = {
    seed: options.seed ?? DEMO_DEFAULTS.seed,
    stores: options.stores ?? DEMO_DEFAULTS.stores,
    products: options.products ?? DEMO_DEFAULTS.products,
  };
  const { network, catalog } = services;
  if ((await network.listChannels()).length > 0)
    throw new DemoNotEmptyError('the database already has channels; the demo is seeded into an empty database only');
  const t0 = performance.now();
  const plan = planDemo(opts);

  options.onStep?.(`network: ${plan.locations.length} locations, ${plan.channels.length} channels`);
  const locations = await network.createLocations(plan.locations);
  for (const c of plan.channels) await network.createChannel(c);
  const t1 = performance.now();

  options.onStep?.(`catalog: ${plan.products.length} products`);
  const created = await catalog.bulkCreateProducts(plan.products, {
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const t2 = performance.now();

  const stock = stockOf(services);
  let stockRows: number | null = null;
  if (stock) {
    options.onStep?.(`inventory: stock for ${created.skus.length} SKUs`);
    stockRows = (await stock.seedDemoStock({ seed: opts.seed, skus: created.skus })).rows;
  }
  const t3 = performance.now();
  let history: HistorySummary | undefined;
  if (options.history_days) {
    history = await seedHistory(services.ctx.db, {
      seed: opts.seed,
      days: options.history_days,
      end: options.history_end ?? services.ctx.clock.now().toISOString().slice(0, 10),
      ...(options.onStep ? { onStep: options.onStep } : {}),
    });
  }
  const t4 = performance.now();
  return {
    seed: opts.seed,
    stores: locations.filter((l) => l.type === 'store').length,
    warehouses: locations.filter((l) => l.type === 'warehouse').length,
    pickup_points: locations.filter((l) => l.type === 'pickup_point').length,
    channels: plan.channels.map((c) => c.code),
    products: created.products,
    skus: created.variants,
    stock_rows: stockRows,
    ...(history ? { history } : {}),
    ms: {
      network: Math.round(t1 - t0),
      catalog: Math.round(t2 - t1),
      stock: Math.round(t3 - t2),
      total: Math.round(t4 - t0),
    },
  };
}
