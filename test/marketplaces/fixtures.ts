/** A retailer selling on Amazon through the local fake SP-API: one warehouse, a few SKUs, the amazon channel. */
import type { TestApp } from '../helpers/app.js';
import type { Location } from '../../src/network/index.js';
import type { AmazonFake } from './fakes/amazon-fake.js';

export const SECRETS_KEY = 'a1'.repeat(32);
/**
 * The env of an app that talks to the local fakes: the sealing key, and the development switch that lets
 * outbound calls reach 127.0.0.1 (connections follow the webhooks' SSRF rule, src/marketplaces/outbound.ts).
 */
export const FAKE_ENV = { OMNIA_SECRETS_KEY: SECRETS_KEY, OMNIA_ALLOW_PRIVATE_WEBHOOKS: '1' };

export interface AmazonShop {
  warehouse: Location;
  skus: string[];
  channelId: string;
  connectionId: string;
  webKey: string;
}

export async function setupAmazonShop(
  t: TestApp,
  fake: AmazonFake,
  opts: {
    prefix?: string;
    stock?: number[];
    safety_stock?: number;
    buffer_pct?: number;
    feed_interval_s?: number;
  } = {},
): Promise<AmazonShop> {
  const s = t.omnia.services;
  const p = opts.prefix ?? 'm';
  const [warehouse] = await s.network.createLocations([
    {
      code: `${p}-wh`,
      type: 'warehouse',
      name: 'Warehouse',
      lat: 40.3,
      lng: -3.6,
      address: { line1: 'Calle 1', city: 'Madrid', postal_code: '28001', country: 'ES' },
      capabilities: ['ship'],
    },
  ]);
  const skus = ['TEE-M', 'TEE-L', 'LAST'].map((x) => `${p.toUpperCase()}-${x}`);
  const stock = opts.stock ?? [20, 10, 1];
  for (const [i, sku] of skus.entries()) {
    await s.catalog.createProduct({
      code: `${p}-prod-${i}`,
      name: `Tee ${i}`,
      category: 'clothing',
      variants: [{ sku, weight_g: 200, prices: [{ currency: 'EUR', list_amount: 1995 + i * 100 }] }],
    });
    if (stock[i])
      await s.inventory.recordMovement({ sku, location_id: warehouse!.id, type: 'receipt', quantity: stock[i]! });
  }
  const channel = await s.network.createChannel({
    code: `${p}-amazon`,
    type: 'marketplace',
    name: 'Amazon ES',
    stock_policy: { safety_stock: opts.safety_stock ?? 0, buffer_pct: opts.buffer_pct ?? 0 },
  });
  const webKey = await t.apiKey(`${p}-web`, ['carts:read', 'carts:write', 'checkout:write', 'orders:read'], {
    type: 'web',
  });
  const conn = await t.request('POST', '/v1/marketplaces/connections', {
    body: {
      channel: channel.code,
      provider: 'amazon',
      base_url: fake.url,
      credentials: fake.credentials,
      settings: fake.settings,
      feed_interval_s: opts.feed_interval_s ?? 30,
      orders_since: '2020-01-01T00:00:00Z',
    },
  });
  if (conn.status !== 201) throw new Error(`connection: ${JSON.stringify(conn.body)}`);
  return { warehouse: warehouse!, skus, channelId: channel.id, connectionId: conn.body.id, webKey };
}
