import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { parseCsv, setupSocialShop, type SocialShop } from './fixtures.js';

/**
 * PostgreSQL only (real concurrent connections): stock falls while the feed is fetched, stock events are
 * delivered and the refresh job runs, all at once. Stock only falls here, so the availability read
 * before a fetch starts is an upper bound of what the channel may promise during it: no fetch may show
 * more. Afterwards the stored feed settles on the exact figure.
 */
describe('a social feed under concurrent stock changes', () => {
  let t: TestApp;
  let shop: SocialShop;
  beforeAll(async () => {
    t = await startTestApp({ database: await createTestDatabase({ forcePg: true }) });
    shop = await setupSocialShop(t, { stock: [80, 40, 0], safety_stock: 2, buffer_pct: 10 });
  });
  afterAll(async () => t?.close());

  const atp = async (sku: string) =>
    (await t.request('GET', `/v1/availability?sku=${sku}&channel=instagram`)).body.available as number;
  const shown = async () => {
    const res = await t.request('GET', `/v1/feeds/instagram?token=${encodeURIComponent(shop.token)}`, { token: '' });
    if (res.status !== 200) throw new Error(`feed: ${res.status} ${JSON.stringify(res.body)}`);
    const [head, ...rows] = parseCsv(res.body as string);
    const q = head!.indexOf('quantity_to_sell_on_facebook');
    return new Map(rows.map((r) => [r[0]!, Number(r[q])]));
  };

  it('never shows more than the channel may promise, and settles on the exact figure', async () => {
    await shown(); // the first build
    const [m, l] = shop.skus as [string, string];
    let falling = true;
    const violations: string[] = [];
    const sell = async (sku: string, times: number) => {
      for (let i = 0; i < times; i++)
        await t.omnia.services.inventory.recordMovement({
          sku,
          location_id: shop.warehouse,
          type: 'damage',
          quantity: 3,
        });
    };
    const fetchLoop = async () => {
      while (falling) {
        const before = new Map([
          [m, await atp(m)],
          [l, await atp(l)],
        ]);
        const now = await shown();
        for (const sku of [m, l])
          if (now.get(sku)! > before.get(sku)!)
            violations.push(`${sku}: showed ${now.get(sku)}, could promise ${before.get(sku)}`);
      }
    };
    const eventsLoop = async () => {
      while (falling) {
        await t.omnia.dispatcher.drain();
        await t.omnia.services.feeds.refreshDue();
      }
    };
    const fetching = Promise.all([fetchLoop(), fetchLoop(), eventsLoop()]);
    await Promise.all([sell(m, 20), sell(l, 10)]);
    falling = false;
    await fetching;
    expect(violations).toEqual([]);
    // Settled: the events delivered, the stored rows equal what the channel may promise.
    await t.omnia.dispatcher.drain();
    const final = await shown();
    expect(final.get(m)).toBe(await atp(m));
    expect(final.get(l)).toBe(await atp(l));
    const rows = new Map((await t.omnia.services.feeds.items(shop.channelId)).map((r) => [r.sku, r.quantity]));
    expect(rows.get(m)).toBe(await atp(m));
    expect(rows.get(l)).toBe(await atp(l));
  }, 120_000);
});
