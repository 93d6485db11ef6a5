import { describe, expect, it } from 'vitest';
import type { OfferInput } from '../types.js';
import { buildProductPost, parseOrderPage, priceBatches } from './payloads.js';

const offer = (sku: string, over: Partial<OfferInput> = {}): OfferInput => ({
  sku,
  gtin: '8400000000017',
  title: 'Camiseta básica',
  price: { amount: 1999, currency: 'EUR' },
  quantity: 4,
  attributes: { size: sku.slice(-1), colour: 'red', image_urls: 'https://cdn.example.com/a.jpg, nope' },
  ...over,
});

describe('product post', () => {
  it('builds one product with a SKU per variant, price as decimal, our SKU as sku_code', () => {
    const r = buildProductPost([offer('TS-M'), offer('TS-L', { quantity: 0 })], { category_id: '200000345' });
    expect(r.ok).toBe(true);
    const v = (r as { ok: true; value: Record<string, unknown> }).value;
    expect(v.aliexpress_category_id).toBe(200000345);
    expect(v.main_image_urls_list).toEqual(['https://cdn.example.com/a.jpg']);
    expect(v.multi_language_subject_list).toEqual([{ language: 'es', subject: 'Camiseta básica' }]);
    expect(v.sku_info_list).toEqual([
      {
        sku_code: 'TS-M',
        price: '19.99',
        inventory: 4,
        bar_code: '8400000000017',
        sku_attributes_list: [
          { sku_attribute_name: 'size', sku_attribute_value: 'M' },
          { sku_attribute_name: 'color', sku_attribute_value: 'red' },
        ],
      },
      {
        sku_code: 'TS-L',
        price: '19.99',
        inventory: 0,
        bar_code: '8400000000017',
        sku_attributes_list: [
          { sku_attribute_name: 'size', sku_attribute_value: 'L' },
          { sku_attribute_name: 'color', sku_attribute_value: 'red' },
        ],
      },
    ]);
  });

  it('takes the image from the settings’ template when the offer has none', () => {
    const r = buildProductPost([offer('TS M', { attributes: {} })], {
      category_id: '1',
      image_url_template: 'https://img.shop.example/{sku}.jpg',
    });
    expect(r).toMatchObject({ ok: true, value: { main_image_urls_list: ['https://img.shop.example/TS%20M.jpg'] } });
  });

  it('refuses, without a call, what AliExpress would refuse', () => {
    expect(buildProductPost([offer('A')], {})).toMatchObject({ ok: false, reason: expect.stringMatching(/category/) });
    expect(buildProductPost([offer('A', { attributes: {} })], { category_id: '1' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/image/),
    });
    expect(
      buildProductPost([offer('A'), offer('B', { price: { amount: 1, currency: 'USD' } })], { category_id: '1' }),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/currency/) });
  });
});

describe('price batches', () => {
  it('groups by product within the documented limits, last price winning', () => {
    const prices = [
      ...Array.from({ length: 25 }, (_, i) => ({
        product_id: String(i),
        sku_code: 'A',
        price: { amount: 100, currency: 'EUR' },
      })),
      { product_id: '0', sku_code: 'A', price: { amount: 250, currency: 'EUR' } },
    ];
    const batches = priceBatches(prices);
    expect(batches.map((b) => b.length)).toEqual([20, 5]);
    expect(batches[0]![0]).toEqual({ product_id: '0', multiple_sku_update_list: [{ sku_code: 'A', price: '2.50' }] });
  });
});

describe('order page', () => {
  const order = {
    order_id: 81,
    order_status: 'WAIT_SELLER_SEND_GOODS',
    gmt_create: '2026-11-30 01:00:00',
    gmt_update: '2026-11-30 01:00:00',
    pay_amount: { amount: '10.00', currency_code: 'EUR' },
    product_list: { order_product_dto: [{ child_id: 82, sku_code: 'A', product_count: 1 }] },
  };
  const page = (over: Record<string, unknown>) => ({
    success: true,
    total_count: 1,
    total_page: 1,
    current_page: 1,
    target_list: { order_dto: [order] },
    ...over,
  });

  it('reads a page and the cancellations on it', () => {
    const r = parseOrderPage(
      page({
        total_count: 2,
        target_list: {
          order_dto: [order, { ...order, order_id: 90, order_status: 'FINISH', end_reason: 'buyer_cancel_order' }],
        },
      }),
      1,
    );
    expect(r.ok).toBe(true);
    const v = (r as Extract<typeof r, { ok: true }>).value;
    expect(v.orders.map((o) => [o.order.external_id, o.order.status, o.cancellation?.reason ?? null])).toEqual([
      ['81', 'unshipped', null],
      ['90', 'cancelled', 'buyer_cancel_order'],
    ]);
  });

  it('takes an empty page without target_list', () => {
    expect(parseOrderPage({ success: true, total_count: 0, total_page: 0, current_page: 1 }, 1)).toMatchObject({
      ok: true,
      value: { orders: [], totalPages: 0 },
    });
  });

  it('refuses the whole page when any part is not the documented shape', () => {
    expect(parseOrderPage(page({ success: false, error_code: 'X' }), 1).ok).toBe(false);
    expect(parseOrderPage(page({ total_page: '1' }), 1).ok).toBe(false);
    expect(parseOrderPage(page({ current_page: 2 }), 1).ok).toBe(false);
    expect(parseOrderPage(page({ target_list: { order_dto: [order, { order_id: 5 }] } }), 1).ok).toBe(false);
    expect(parseOrderPage(page({ target_list: 'x' }), 1).ok).toBe(false);
    expect(parseOrderPage(undefined, 1).ok).toBe(false);
  });
});
