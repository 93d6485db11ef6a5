/**
 * Statements per checkout (a profile, not a benchmark): counts every query the pg client sends while
 * 30 checkouts run one after the other (3-line carts of a 60-SKU shop, home delivery, test card),
 * then 6 s more for the consumers, and lists them by text. `node --import tsx bench/_checkout-statements.ts 1`
 * runs the outbox consumers in process, `0` without them. Figures: docs/scaling.md.
 *
 * `b` (batched): no background jobs; the 30 checkouts run, then their consumers are worked off at
 * once (dispatcher drain, fulfillment inbox), as a busy worker sees them: every batch consumer gets
 * the 30 orders in one call. Deterministic, and it shows per-batch work that sequential checkouts
 * (one order per batch) hide.
 *
 * Each statement is listed with how it went out: P named prepared statement, u unnamed with
 * parameters (its text varies, e.g. an `in (…)` list of a batch's length), - without parameters.
 */
import pg from 'pg';
import { benchDatabase } from './_lib.js';
import { seedShop, benchAddress } from './_checkout-seed.js';
import { createOmnia } from '../src/server.js';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/log.js';
const counts = new Map<string, number>();
// Optional second argument: a pattern; the call sites (src/ frames) of matching statements are counted too.
const tracePattern = process.argv[3] ? new RegExp(process.argv[3]) : null;
const sites = new Map<string, number>();
if (tracePattern) Error.stackTraceLimit = 60;
let on = false;
const orig = pg.Client.prototype.query;
(pg.Client.prototype as any).query = function (this: unknown, ...a: any[]) {
  if (on) {
    const t = typeof a[0] === 'string' ? a[0] : (a[0]?.text ?? '?');
    // P: sent as a named prepared statement (src/platform/db/prepared.ts); u: unnamed with parameters
    // (parsed and planned on every call: its text varies, or it is not yet repeated); -: no parameters.
    const kind = typeof a[0] === 'object' && a[0]?.name ? 'P' : Array.isArray(a[1]) && a[1].length ? 'u' : '-';
    const k = `${kind} ${String(t).replace(/\s+/g, ' ').slice(0, 110)}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
    if (tracePattern?.test(k)) {
      const frames = (new Error().stack ?? '')
        .split('\n')
        .filter((l) => l.includes('/src/') && !l.includes('/platform/db/'))
        .slice(0, 4)
        .map((l) =>
          l
            .trim()
            .replace(/^at /, '')
            .replace(/\(.*\/src\//, '(src/'),
        );
      const site = `${k.slice(0, 60)} <- ${frames.join(' <- ')}`;
      sites.set(site, (sites.get(site) ?? 0) + 1);
    }
  }
  return (orig as any).apply(this, a);
};
async function main() {
  const dbh = await benchDatabase('count');
  const jobs = process.argv[2] === '1';
  const batched = process.argv[2] === 'b';
  /** Batched mode: the consumers' work, driven by hand (the dispatcher, then the fulfillment inbox). */
  const workOff = async () => {
    for (let i = 0; i < 20; i++) {
      const n = (await omnia.dispatcher.drain()) + (await s.fulfillment.processInbox(100));
      if (n === 0) break;
    }
  };
  const omnia = await createOmnia({
    config: { ...loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: dbh.url }), jobs },
    logger: createLogger('silent'),
  });
  const s = omnia.services;
  try {
    const { skus } = await seedShop(omnia, 60);
    const web = {
      kind: 'api_key' as const,
      keyKind: 'secret' as const,
      id: 'x',
      channelId: (await s.network.requireChannel('web')).id,
      locationId: null,
    };
    const carts: string[] = [];
    for (let i = 0; i < 40; i++) {
      const { cart } = await s.carts.create(web, {});
      for (const k of [0, 1, 2]) await s.carts.addItem(web, cart.id, { sku: skus[(i * 3 + k) % 60]!, quantity: 1 });
      carts.push(cart.id);
    }
    await new Promise((r) => setTimeout(r, 3000));
    for (const id of carts.slice(0, 10))
      await s.checkout.checkout(web, id, {
        delivery: { method: 'home', address: benchAddress },
        payment: { provider: 'test', card_number: '4242424242424242' },
      });
    if (batched) await workOff();
    await new Promise((r) => setTimeout(r, 3000));
    on = true;
    const N = 30;
    for (const id of carts.slice(10))
      await s.checkout.checkout(web, id, {
        delivery: { method: 'home', address: benchAddress },
        payment: { provider: 'test', card_number: '4242424242424242' },
      });
    const mid = [...counts.values()].reduce((a, b) => a + b, 0);
    if (batched) await workOff();
    else await new Promise((r) => setTimeout(r, 6000));
    on = false;
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    console.log(
      `per checkout: ${(mid / N).toFixed(1)} statements during requests, ${(total / N).toFixed(1)} ${batched ? 'incl. the consumers worked off in batches' : 'incl. 6 s drain'}`,
    );
    [...counts].sort((a, b) => b[1] - a[1]).forEach(([k, v]) => console.log((v / N).toFixed(2).padStart(6), k));
    if (tracePattern) {
      console.log('\ncall sites of the statements matching', tracePattern);
      [...sites].sort((a, b) => b[1] - a[1]).forEach(([k, v]) => console.log((v / N).toFixed(2).padStart(6), k));
    }
  } finally {
    await omnia.close();
    await dbh.drop();
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
