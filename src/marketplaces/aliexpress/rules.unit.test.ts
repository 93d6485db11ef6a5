import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyError,
  decodeCursor,
  encodeCursor,
  formatPrice,
  fromPacific,
  inventoryBatches,
  inventoryToSend,
  mapOrder,
  mapReceipt,
  nextCursor,
  orderStatus,
  parseMoney,
  toPacific,
} from './rules.js';

const dto = (over: Record<string, unknown> = {}) => ({
  order_id: 3031265788145237,
  order_status: 'WAIT_SELLER_SEND_GOODS',
  gmt_create: '2026-11-30 04:15:00',
  gmt_update: '2026-11-30 04:20:00',
  pay_amount: { amount: '59.80', currency_code: 'EUR' },
  buyer_signer_fullname: 'Ana Pereira',
  logistics_status: 'WAIT_SELLER_SEND_GOODS',
  product_list: {
    order_product_dto: [
      {
        child_id: 3031265788155237,
        sku_code: 'TSHIRT-RED-M',
        product_count: 2,
        product_unit_price: { amount: '29.90', currency_code: 'EUR' },
      },
    ],
  },
  ...over,
});

describe('US Pacific times of the order APIs', () => {
  it('writes and reads winter (PST, UTC-8) and summer (PDT, UTC-7) times', () => {
    expect(toPacific(new Date('2026-11-30T12:15:00Z'))).toBe('2026-11-30 04:15:00');
    expect(toPacific(new Date('2026-07-01T12:00:00.900Z'))).toBe('2026-07-01 05:00:00');
    expect(fromPacific('2026-11-30 04:15:00')?.toISOString()).toBe('2026-11-30T12:15:00.000Z');
    expect(fromPacific('2026-07-01 05:00:00')?.toISOString()).toBe('2026-07-01T12:00:00.000Z');
    expect(fromPacific('2026-07-01T05:00:00')).toBeNull();
    expect(fromPacific(42)).toBeNull();
  });

  it('round-trips any second of the years around us', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1) / 1000, max: Date.UTC(2030, 0, 1) / 1000 }), (s) => {
        const at = new Date(s * 1000);
        const back = fromPacific(toPacific(at))!;
        // the autumn hour that happens twice reads as one of its two moments: same wall clock either way
        expect(toPacific(back)).toBe(toPacific(at));
      }),
      { numRuns: 300 },
    );
  });
});

describe('money', () => {
  it('reads decimal strings exactly, in the currency’s minor units', () => {
    expect(parseMoney({ amount: '19.99', currency_code: 'EUR' })).toEqual({ amount: 1999, currency: 'EUR' });
    expect(parseMoney({ amount: '0.1', currency_code: 'usd' })).toEqual({ amount: 10, currency: 'USD' });
    expect(parseMoney({ amount: '1500', currency_code: 'JPY' })).toEqual({ amount: 1500, currency: 'JPY' });
    expect(parseMoney({ amount: 12.5, currency_code: 'EUR' })).toEqual({ amount: 1250, currency: 'EUR' });
    expect(parseMoney({ amount: '19.999', currency_code: 'EUR' })).toBeNull();
    expect(parseMoney({ amount: '-1', currency_code: 'EUR' })).toBeNull();
    expect(parseMoney({ amount: '1', currency_code: 'EURO' })).toBeNull();
    expect(parseMoney(null)).toBeNull();
  });

  it('writes minor units as the decimal price AliExpress takes', () => {
    expect(formatPrice({ amount: 1999, currency: 'EUR' })).toBe('19.99');
    expect(formatPrice({ amount: 5, currency: 'EUR' })).toBe('0.05');
    expect(formatPrice({ amount: 1500, currency: 'JPY' })).toBe('1500');
  });
});

describe('orders', () => {
  it('maps an order_dto to the interface’s order', () => {
    const r = mapOrder(dto());
    expect(r).toEqual({
      ok: true,
      value: {
        external_id: '3031265788145237',
        status: 'unshipped',
        placed_at: new Date('2026-11-30T12:15:00Z'),
        updated_at: new Date('2026-11-30T12:20:00Z'),
        currency: 'EUR',
        buyer: { email: null, name: 'Ana Pereira' },
        shipping_address: null,
        lines: [
          {
            external_line_id: '3031265788155237',
            sku: 'TSHIRT-RED-M',
            quantity: 2,
            unit_price: { amount: 2990, currency: 'EUR' },
          },
        ],
        raw_status: 'WAIT_SELLER_SEND_GOODS',
      },
    });
  });

  it('refuses an order with anything the import relies on missing', () => {
    expect(mapOrder(dto({ order_id: null })).ok).toBe(false);
    expect(mapOrder(dto({ order_status: 'SOMETHING_NEW' })).ok).toBe(false);
    expect(mapOrder(dto({ gmt_create: '30/11/2026' })).ok).toBe(false);
    expect(mapOrder(dto({ product_list: { order_product_dto: [] } })).ok).toBe(false);
    const line = (l: Record<string, unknown>) => dto({ product_list: { order_product_dto: [l] } });
    expect(mapOrder(line({ child_id: 1, sku_code: '', product_count: 1 })).ok).toBe(false);
    expect(mapOrder(line({ child_id: 1, sku_code: 'A', product_count: 0 })).ok).toBe(false);
    expect(mapOrder(line({ child_id: 1, sku_code: 'A', product_count: 1.5 })).ok).toBe(false);
    expect(
      mapOrder(dto({ pay_amount: null, product_list: [{ child_id: 1, sku_code: 'A', product_count: 1 }] })).ok,
    ).toBe(false);
  });

  it('tells a FINISH order that shipped from one closed before shipping', () => {
    expect(orderStatus('FINISH', false)).toBe('shipped');
    expect(orderStatus('FINISH', true)).toBe('cancelled');
    const finished = (over: Record<string, unknown>) =>
      mapOrder(dto({ order_status: 'FINISH', ...over })) as { ok: true; value: { status: string } };
    expect(finished({ end_reason: 'buyer_cancel_order' }).value.status).toBe('cancelled');
    expect(finished({ logistics_status: 'NO_LOGISTICS' }).value.status).toBe('cancelled');
    expect(
      finished({ logistics_status: 'BUYER_ACCEPT_GOODS', gmt_send_goods_time: '2026-11-30 09:00:00' }).value.status,
    ).toBe('shipped');
    expect(orderStatus('PLACE_ORDER_SUCCESS', false)).toBe('pending');
    expect(orderStatus('SELLER_PART_SEND_GOODS', false)).toBe('partially_shipped');
  });

  it('reads the receipt address', () => {
    expect(
      mapReceipt({
        contact_person: 'Ana Pereira',
        address: 'Rua Augusta 10',
        city: 'Lisboa',
        zip: '1100-053',
        province: 'Lisboa',
        country: 'pt',
        mobile_no: '912345678',
        phone_country: '351',
      }),
    ).toEqual({
      name: 'Ana Pereira',
      line1: 'Rua Augusta 10',
      line2: null,
      city: 'Lisboa',
      postal_code: '1100-053',
      region: 'Lisboa',
      country: 'PT',
      phone: '+351 912345678',
    });
    expect(mapReceipt({})).toBeNull();
  });

  it('keeps the window end and the first count in the cursor', () => {
    const c = { page: 3, endMs: 1764500000000, total: 120 };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    expect(decodeCursor('NextToken==')).toBeNull();
    expect(decodeCursor(null)).toBeNull();
  });

  it('pages on, stops after the last page, and starts again when the window shifted', () => {
    const first = { page: 1, endMs: 5, total: 0 };
    expect(nextCursor(first, { totalPages: 3, totalCount: 120 })).toEqual({ page: 2, endMs: 5, total: 120 });
    expect(nextCursor({ page: 2, endMs: 5, total: 120 }, { totalPages: 3, totalCount: 120 })).toEqual({
      page: 3,
      endMs: 5,
      total: 120,
    });
    expect(nextCursor({ page: 3, endMs: 5, total: 120 }, { totalPages: 3, totalCount: 120 })).toBeNull();
    expect(nextCursor(first, { totalPages: 0, totalCount: 0 })).toBeNull();
    // an order left the window while we read page 2: read again from page 1, same window end
    expect(nextCursor({ page: 2, endMs: 5, total: 120 }, { totalPages: 3, totalCount: 119 })).toEqual({
      page: 1,
      endMs: 5,
      total: 119,
    });
  });
});

describe('inventory batches', () => {
  it('never sends more than the promise: floors, and zero for anything not positive', () => {
    expect(inventoryToSend(3)).toBe(3);
    expect(inventoryToSend(2.9)).toBe(2);
    expect(inventoryToSend(-4)).toBe(0);
    expect(inventoryToSend(Number.NaN)).toBe(0);
  });

  it('holds at most 20 products a call and 200 SKUs a product, the last figure per SKU winning', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            product_id: fc.integer({ min: 1, max: 45 }).map(String),
            sku_code: fc.integer({ min: 1, max: 450 }).map((n) => `S${n}`),
            inventory: fc.integer({ min: -3, max: 500 }),
          }),
          { maxLength: 1500 },
        ),
        (figures) => {
          const batches = inventoryBatches(figures);
          const latest = new Map(figures.map((f) => [`${f.product_id}/${f.sku_code}`, Math.max(0, f.inventory)]));
          const sent = new Map<string, number>();
          for (const b of batches) {
            expect(b.length).toBeGreaterThan(0);
            expect(b.length).toBeLessThanOrEqual(20);
            expect(new Set(b.map((e) => e.product_id)).size).toBe(b.length);
            for (const e of b) {
              expect(e.multiple_sku_update_list.length).toBeLessThanOrEqual(200);
              for (const s of e.multiple_sku_update_list) {
                const key = `${e.product_id}/${s.sku_code}`;
                expect(sent.has(key)).toBe(false);
                sent.set(key, Number(s.inventory));
              }
            }
          }
          expect(sent).toEqual(latest);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('splits a product of 450 SKUs into three entries in three calls', () => {
    const figures = Array.from({ length: 450 }, (_, i) => ({ product_id: '7', sku_code: `S${i}`, inventory: 1 }));
    const batches = inventoryBatches(figures);
    expect(batches.map((b) => b.map((e) => e.multiple_sku_update_list.length))).toEqual([[200], [200], [50]]);
  });
});

describe('gateway errors', () => {
  it('knows throttling and reads the ban’s length', () => {
    expect(
      classifyError({ code: 'ApiCallLimit', sub_code: null, message: 'This ban will last for 3 more seconds' }),
    ).toEqual({ kind: 'throttled', retryAfterMs: 3000 });
    expect(classifyError({ code: '7', sub_code: 'accesscontrol.limited-by-api-access-count', message: '' }).kind).toBe(
      'throttled',
    );
  });

  it('tells credential refusals from bad requests and platform faults', () => {
    expect(classifyError({ code: 'IncompleteSignature', sub_code: null, message: '' }).kind).toBe('auth');
    expect(classifyError({ code: 'IllegalAccessToken', sub_code: null, message: '' }).kind).toBe('auth');
    expect(classifyError({ code: 'InvalidTimestamp', sub_code: null, message: '' }).kind).toBe('auth');
    expect(classifyError({ code: 'InvalidParameter', sub_code: 'isv.invalid-parameter', message: '' }).kind).toBe(
      'rejected',
    );
    expect(classifyError({ code: '15', sub_code: 'isp.service-unavailable', message: '' }).kind).toBe('unavailable');
  });
});
