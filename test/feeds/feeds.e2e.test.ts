import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { META_COLUMNS } from '../../src/feeds/rules.js';
import { parseCsv, parseGoogleRss, setupSocialShop, type SocialShop } from './fixtures.js';

/** GET /v1/feeds/{channel}: the social channel's catalog at its price and what it may promise. */
describe('social catalog feeds', () => {
  let t: TestApp;
  let shop: SocialShop;
  let tiktokSkus: string[] = [];
  const feed = (format: 'meta' | 'google' = 'meta', token = shop.token) =>
    t.request('GET', `/v1/feeds/instagram?format=${format}&token=${encodeURIComponent(token)}`, { token: '' });
  const atp = async (sku: string) =>
    (await t.request('GET', `/v1/availability?sku=${sku}&channel=instagram`)).body.available as number;
  const metaRows = (body: string) => {
    const [head, ...rows] = parseCsv(body);
    return rows.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i]!])));
  };

  beforeAll(async () => {
    t = await startTestApp();
    shop = await setupSocialShop(t);
  });
  afterAll(async () => t?.close());

  it('opens only with its token (query or HTTP Basic), an admin, never a shopper credential', async () => {
    expect((await feed('meta', 'omf_wrong')).status).toBe(401);
    expect((await t.request('GET', '/v1/feeds/instagram', { token: '' })).status).toBe(401);
    const pub = await t.apiKey('instagram', [], { kind: 'publishable' });
    expect((await t.request('GET', '/v1/feeds/instagram', { token: pub })).status).toBe(403);
    const basic = Buffer.from(`meta:${shop.token}`).toString('base64');
    const viaBasic = await t.request('GET', '/v1/feeds/instagram', {
      token: '',
      headers: { authorization: `Basic ${basic}` },
    });
    expect(viaBasic.status).toBe(200);
    expect((await t.request('GET', '/v1/feeds/instagram')).status).toBe(200); // the admin previews it
    // A token of another channel's feed does not open this one.
    const other = await setupSocialShop(t, { code: 'tiktok', gtin: null });
    tiktokSkus = other.skus;
    expect((await feed('meta', other.token)).status).toBe(401);
    // The stored token is a hash; the view shows only its last characters.
    const list = await t.request('GET', '/v1/feeds');
    const ig = list.body.items.find((f: { channel_code: string }) => f.channel_code === 'instagram');
    expect(ig.token_hint).toBe(shop.token.slice(-4));
    expect(JSON.stringify(list.body)).not.toContain(shop.token);
  });

  it("writes Meta's catalog CSV: the documented columns, quoted fields, the channel's price and stock", async () => {
    const res = await feed('meta');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const [head, ...rows] = parseCsv(res.body as string);
    expect(head).toEqual([...META_COLUMNS]);
    // The whole catalog (the TikTok shop's products too), each SKU once.
    expect(rows.map((r) => r[0]).sort()).toEqual([...shop.skus, ...tiktokSkus].sort());
    for (const r of rows) expect(r).toHaveLength(META_COLUMNS.length);
    const by = new Map(metaRows(res.body as string).map((r) => [r.id, r]));
    const m = by.get(shop.skus[0]!)!;
    expect(m).toMatchObject({
      title: 'Camiseta "Sol", algodón - Blanco - M',
      availability: 'in stock',
      condition: 'new',
      price: '19.95 EUR',
      sale_price: '14.95 EUR',
      brand: 'Omnia Basics',
      size: 'M',
      color: 'Blanco',
      gtin: '8412345678905',
      image_link: 'https://cdn.example.com/tee.jpg',
      link: `https://shop.example.com/p/instagram-tee?sku=${shop.skus[0]}`,
    });
    expect(m.description).toContain('\n'); // a line break survives inside a quoted field
    expect(m.item_group_id).toBe(by.get(shop.skus[1]!)!.item_group_id);
    // 20 on hand, safety stock 2 and a 10 % buffer: what the channel may promise, never the 20.
    expect(Number(m.quantity_to_sell_on_facebook)).toBe(await atp(shop.skus[0]!));
    expect(Number(m.quantity_to_sell_on_facebook)).toBeLessThan(20);
    // No stock: listed, but out of stock. No brand: the channel's name.
    expect(by.get(shop.skus[2]!)).toMatchObject({ availability: 'out of stock', quantity_to_sell_on_facebook: '0' });
    expect(by.get(shop.skus[2]!)!.brand).toBe('Instagram Shop');
  });

  it('writes Google Merchant RSS 2.0 with the g: namespace that an XML parser accepts', async () => {
    const res = await feed('google');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/rss+xml');
    const items = parseGoogleRss(res.body as string);
    expect(items).toHaveLength(6);
    const tee = items.find((i) => i['g:id'] === shop.skus[0])!;
    expect(tee).toMatchObject({
      'g:availability': 'in_stock',
      'g:price': '19.95 EUR',
      'g:sale_price': '14.95 EUR',
      'g:condition': 'new',
      'g:gtin': '8412345678905',
    });
    expect(tee['g:description']).toContain('& teñida <a mano>'); // escaped in the XML, text again once parsed
    expect(items.find((i) => i['g:id'] === shop.skus[1])!['g:identifier_exists']).toBe('no');
    expect(items.find((i) => i['g:id'] === shop.skus[2])!['g:availability']).toBe('out_of_stock');
  });

  it('never shows more than the channel may promise while stock falls, even before the stock events are delivered', async () => {
    const sku = shop.skus[0]!;
    await t.omnia.dispatcher.drain();
    for (const cut of [3, 4, 5, 6]) {
      await t.omnia.services.inventory.recordMovement({
        sku,
        location_id: shop.warehouse,
        type: 'damage',
        quantity: cut,
      });
      // The inventory.changed event is still in the outbox: the stored row is older than the stock.
      const shown = Number(
        metaRows((await feed('meta')).body as string).find((r) => r.id === sku)!.quantity_to_sell_on_facebook,
      );
      expect(shown).toBeLessThanOrEqual(await atp(sku));
    }
    await t.omnia.dispatcher.drain();
    const shown = Number(
      metaRows((await feed('meta')).body as string).find((r) => r.id === sku)!.quantity_to_sell_on_facebook,
    );
    expect(shown).toBe(await atp(sku));
    expect(shown).toBe(0); // 2 left, safety stock 2: nothing to promise
    const google = parseGoogleRss((await feed('google')).body as string);
    expect(google.find((i) => i['g:id'] === sku)!['g:availability']).toBe('out_of_stock');
  });

  it('regenerates only the rows whose stock or price changed', async () => {
    await t.omnia.dispatcher.drain();
    await feed('meta');
    const before = new Map((await t.omnia.services.feeds.items(shop.channelId)).map((r) => [r.sku, r]));
    const [, l, cap] = shop.skus as [string, string, string];
    // Stock arrives for the cap only.
    await t.omnia.services.inventory.recordMovement({
      sku: cap,
      location_id: shop.warehouse,
      type: 'receipt',
      quantity: 30,
    });
    await t.omnia.dispatcher.drain();
    const pending = await t.database.db
      .selectFrom('social_feed_dirty')
      .select('sku')
      .where('channel_id', '=', shop.channelId)
      .execute();
    expect(pending.map((p) => p.sku)).toEqual([cap]);
    const rows = metaRows((await feed('meta')).body as string);
    expect(rows.find((r) => r.id === cap)).toMatchObject({ availability: 'in stock' });
    let after = new Map((await t.omnia.services.feeds.items(shop.channelId)).map((r) => [r.sku, r]));
    for (const [sku, row] of before) {
      if (sku === cap) expect(after.get(sku)!.revision).toBe(row.revision + 1);
      else expect(after.get(sku)!).toEqual(row); // untouched: same revision, same updated_at
    }
    // A price change of the L reaches its row only.
    await t.omnia.services.catalog.setPrices([{ sku: l, currency: 'EUR', list_amount: 2495 }]);
    await t.omnia.dispatcher.drain();
    const prior = after;
    expect(metaRows((await feed('meta')).body as string).find((r) => r.id === l)!.price).toBe('24.95 EUR');
    after = new Map((await t.omnia.services.feeds.items(shop.channelId)).map((r) => [r.sku, r]));
    for (const [sku, row] of prior) {
      if (sku === l) expect(after.get(sku)!.revision).toBe(row.revision + 1);
      else expect(after.get(sku)!).toEqual(row);
    }
    // A stock event that changes nothing the channel shows leaves the row as it was.
    await t.omnia.services.inventory.recordMovement({
      sku: l,
      location_id: shop.warehouse,
      type: 'receipt',
      quantity: 0 + 1,
    });
    await t.omnia.services.inventory.recordMovement({
      sku: l,
      location_id: shop.warehouse,
      type: 'damage',
      quantity: 1,
    });
    await t.omnia.dispatcher.drain();
    await feed('meta');
    expect((await t.omnia.services.feeds.items(shop.channelId)).find((r) => r.sku === l)!.revision).toBe(
      after.get(l)!.revision,
    );
  });

  it('refuses a feed for a channel that is not social', async () => {
    await t.omnia.services.network.createChannel({ code: 'webshop', type: 'web', name: 'Web' });
    const res = await t.request('PUT', '/v1/feeds/webshop/settings', {
      body: { link_template: 'https://shop.example.com/p/{sku}', image_template: 'https://cdn.example.com/{sku}.jpg' },
    });
    expect(res.status).toBe(400);
    expect(res.body.type).toContain('validation_failed');
  });
});
