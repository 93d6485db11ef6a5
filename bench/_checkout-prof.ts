/** Where a checkout's time goes (in-process, one client, PostgreSQL). Not a benchmark: a profile. */
import { benchDatabase } from './_lib.js';
import { createOmnia } from '../src/server.js';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/log.js';

const address = { line1: 'Calle Mayor 1', city: 'Madrid', postal_code: '28013', country: 'ES' };
async function main() {
  const dbh = await benchDatabase('ckprof');
  const omnia = await createOmnia({
    config: { ...loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: dbh.url }), jobs: false },
    logger: createLogger('silent'),
  });
  const s = omnia.services;
  try {
    const [wh] = await s.network.createLocations([
      { code: 'wh', type: 'warehouse', name: 'W', lat: 40, lng: -3, address, capabilities: ['ship'] },
    ]);
    await s.network.createChannel({ code: 'web', type: 'web', name: 'Web' });
    const skus = Array.from({ length: 50 }, (_, i) => `P-${i}`);
    await s.catalog.createProduct({
      code: 'p',
      name: 'P',
      category: 'men/shirts',
      variants: skus.map((sku) => ({ sku, weight_g: 300, prices: [{ currency: 'EUR', list_amount: 1500 }] })),
    });
    for (const sku of skus)
      await s.inventory.recordMovement({ sku, location_id: wh!.id, type: 'receipt', quantity: 100000 });
    for (const p of [
      { name: 'a', kind: 'item_percent', params: { percent: 10 }, scope: { categories: ['men/shirts'] } },
      { name: 'b', kind: 'free_shipping', params: { threshold: 5000 } },
      { name: 'c', kind: 'basket_amount', params: { amount: 500 }, conditions: { min_subtotal: 8000 } },
    ])
      await s.promotions.createPromotion(p as never);
    const web = {
      kind: 'api_key' as const,
      keyKind: 'secret' as const,
      id: 'x',
      channelId: (await s.network.requireChannel('web')).id,
      locationId: null,
    };
    const acc: Record<string, number[]> = {};
    const wrap = (name: string, obj: Record<string, unknown>, method: string) => {
      const orig = (obj[method] as (...a: unknown[]) => Promise<unknown>).bind(obj);
      obj[method] = async (...a: unknown[]) => {
        const t = performance.now();
        try {
          return await orig(...a);
        } finally {
          (acc[name] ??= []).push(performance.now() - t);
        }
      };
    };
    wrap('promotions.quote', s.promotions as never, 'quote');
    wrap('promotions.redeem', s.promotions as never, 'redeem');
    wrap('inventory.reserve', s.inventory as never, 'reserve');
    wrap('inventory.availability', s.inventory as never, 'availability');
    wrap('catalog.getVariants', s.catalog as never, 'getVariants');
    wrap('payments.authorise', s.payments as never, 'authorise');
    wrap('orders.place', s.orders as never, 'place');
    wrap('delivery.options', s.delivery as never, 'options');
    wrap('checkout.total', s.checkout as never, 'checkout');
    const carts: string[] = [];
    for (let i = 0; i < 120; i++) {
      const { cart } = await s.carts.create(web, {});
      for (const k of [0, 1, 2]) await s.carts.addItem(web, cart.id, { sku: skus[(i * 3 + k) % 50]!, quantity: 1 });
      carts.push(cart.id);
    }
    for (const k of Object.keys(acc)) acc[k] = [];
    for (const id of carts.slice(20))
      await s.checkout.checkout(web, id, {
        delivery: { method: 'home', address },
        payment: { provider: 'test', card_number: '4242424242424242' },
      });
    for (const [k, v] of Object.entries(acc)) {
      const sorted = v.sort((a, b) => a - b);
      process.stdout.write(
        `${k.padEnd(24)} n=${String(v.length).padStart(4)} p50=${sorted[Math.floor(v.length / 2)]?.toFixed(1)} ms  mean=${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(1)} ms\n`,
      );
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
