/** A retailer with an Instagram shop: one warehouse, two products (three SKUs), a social channel with a buffer. */
import { spawnSync } from 'node:child_process';
import type { TestApp } from '../helpers/app.js';

export interface SocialShop {
  warehouse: string;
  skus: string[];
  channelId: string;
  token: string;
}

export async function setupSocialShop(
  t: TestApp,
  opts: { code?: string; safety_stock?: number; buffer_pct?: number; stock?: number[]; gtin?: string | null } = {},
): Promise<SocialShop> {
  const s = t.omnia.services;
  const code = opts.code ?? 'instagram';
  const [wh] = await s.network.createLocations([
    {
      code: `${code}-wh`,
      type: 'warehouse',
      name: 'Warehouse',
      lat: 40.3,
      lng: -3.6,
      address: { line1: 'Calle 1', city: 'Madrid', postal_code: '28001', country: 'ES' },
      capabilities: ['ship'],
    },
  ]);
  const channel = await s.network.createChannel({
    code,
    type: 'social',
    name: 'Instagram Shop',
    stock_policy: { safety_stock: opts.safety_stock ?? 2, buffer_pct: opts.buffer_pct ?? 10 },
  });
  const p = code.toUpperCase();
  const skus = [`${p}-TEE-M`, `${p}-TEE-L`, `${p}-CAP`];
  await s.catalog.createProduct({
    code: `${code}-tee`,
    name: 'Camiseta "Sol", algodón',
    description: 'Algodón orgánico, 180 g/m².\nHecha en Portugal & teñida <a mano>.',
    brand: 'Omnia Basics',
    category: 'clothing',
    attributes: { image_url: 'https://cdn.example.com/tee.jpg' },
    variants: [
      {
        sku: skus[0]!,
        gtin: opts.gtin === undefined ? '8412345678905' : opts.gtin,
        size: 'M',
        colour: 'Blanco',
        prices: [{ currency: 'EUR', list_amount: 1995, sale_amount: 1495 }],
      },
      { sku: skus[1]!, size: 'L', colour: 'Blanco', prices: [{ currency: 'EUR', list_amount: 1995 }] },
    ],
  });
  await s.catalog.createProduct({
    code: `${code}-cap`,
    name: 'Gorra',
    category: 'accessories',
    variants: [{ sku: skus[2]!, prices: [{ currency: 'EUR', list_amount: 1200 }] }],
  });
  const stock = opts.stock ?? [20, 5, 0];
  for (const [i, sku] of skus.entries())
    if (stock[i]) await s.inventory.recordMovement({ sku, location_id: wh!.id, type: 'receipt', quantity: stock[i]! });
  await t.omnia.dispatcher.drain();
  const res = await t.request('PUT', `/v1/feeds/${code}/settings`, {
    body: {
      link_template: 'https://shop.example.com/p/{product_code}?sku={sku}',
      image_template: 'https://cdn.example.com/{product_code}.jpg',
    },
  });
  if (res.status !== 200) throw new Error(`feed settings: ${JSON.stringify(res.body)}`);
  return { warehouse: wh!.id, skus, channelId: channel.id, token: res.body.token };
}

/** Parses CSV with Python's csv module (an independent, strict reader): rows of fields. */
export function parseCsv(text: string): string[][] {
  const r = spawnSync(
    'python3',
    ['-c', 'import csv,sys,json; print(json.dumps(list(csv.reader(sys.stdin.read().splitlines(True), strict=True))))'],
    { input: text, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`csv did not parse: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[][];
}

/** Parses XML with Python's ElementTree (refuses anything not well-formed); returns the items' g: fields. */
export function parseGoogleRss(text: string): Record<string, string>[] {
  const script = `
import sys, json, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
assert root.tag == 'rss' and root.get('version') == '2.0', root.tag
G = '{http://base.google.com/ns/1.0}'
out = []
for item in root.find('channel').findall('item'):
    out.append({c.tag.replace(G, 'g:'): c.text for c in item})
print(json.dumps(out))`;
  const r = spawnSync('python3', ['-c', script], { input: text, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`xml did not parse: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, string>[];
}
