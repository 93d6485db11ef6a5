import { describe, expect, it } from 'vitest';
import {
  BASIS_FORMAT,
  MAX_QUOTE_AGE_MS,
  basisOf,
  reuseVerdict,
  type PricingInputs,
  type QuoteShipping,
} from './quote-reuse.js';
import type { QuoteView } from './ports.js';

const at = new Date('2026-06-01T10:00:00Z');
const inputs: PricingInputs = {
  cart_version: 3,
  db_version: '41:1234',
  snapshot_version: '41:1234',
  channel_id: 'chn_web',
  currency: 'EUR',
  location_id: null,
  country: 'ES',
  customer_id: null,
  coupons: [],
  shipping: null,
};
const quote = (shipping: { method: string | null; amount: number; discount: number }): QuoteView => ({
  currency: 'EUR',
  lines: [
    {
      line_id: 'cln_1',
      sku: 'A',
      quantity: 1,
      unit_price: 1000,
      discount: 0,
      total: 1000,
      tax_rate: 21,
      tax_amount: 174,
      applied: [],
    },
  ],
  subtotal: 1000,
  discount_total: shipping.discount,
  shipping,
  tax_total: 174,
  tax_breakdown: [],
  total: 1000 + shipping.amount - shipping.discount,
  coupons: [],
});
const viewQuote = quote({ method: null, amount: 0, discount: 0 });
const stored = basisOf(inputs, { prices: null, promotionsMs: null })!;
const cc: QuoteShipping = { method: 'click_collect', amount: 0 };
const now = (over: Partial<PricingInputs> = {}, shipping: QuoteShipping = cc) => ({ ...inputs, ...over, shipping });

describe('reuseVerdict', () => {
  it("reuses the cart's own quote for a free delivery, naming the method", () => {
    const v = reuseVerdict(viewQuote, stored, now(), at);
    expect(v).toEqual({ quote: { ...viewQuote, shipping: { method: 'click_collect', amount: 0, discount: 0 } } });
  });

  it('refuses when any input differs', () => {
    const cases: [Partial<PricingInputs>, string][] = [
      [{ cart_version: 4 }, 'the cart changed'],
      [{ db_version: '42:1250' }, 'prices, catalog or promotions changed'],
      [{ db_version: '41:9999' }, 'prices, catalog or promotions changed'],
      [{ snapshot_version: '40:1200' }, 'another promotion snapshot'],
      [{ channel_id: 'chn_app' }, 'another channel, currency, store or country'],
      [{ country: 'PT' }, 'another channel, currency, store or country'],
      [{ location_id: 'loc_1' }, 'another channel, currency, store or country'],
      [{ customer_id: 'cus_1' }, 'a customer (facts without version)'],
      [{ coupons: ['TEN'] }, 'coupons (redemption counts without version)'],
    ];
    for (const [over, reason] of cases) expect(reuseVerdict(viewQuote, stored, now(over), at)).toEqual({ reason });
  });

  it('never reuses a quote of a customer or with coupons, even unchanged', () => {
    const mine = basisOf({ ...inputs, customer_id: 'cus_1' }, { prices: null, promotionsMs: null });
    expect(reuseVerdict(viewQuote, mine, now({ customer_id: 'cus_1' }), at)).toHaveProperty('reason');
    const coupons = basisOf({ ...inputs, coupons: ['TEN'] }, { prices: null, promotionsMs: null });
    expect(reuseVerdict(viewQuote, coupons, now({ coupons: ['TEN'] }), at)).toHaveProperty('reason');
  });

  it('holds until the first price or promotion boundary, not at it', () => {
    const b = basisOf(inputs, { prices: new Date(at.getTime() + 60_000), promotionsMs: at.getTime() + 30_000 })!;
    expect(b.valid_until).toBe(new Date(at.getTime() + 30_000).toISOString());
    expect(reuseVerdict(viewQuote, b, now(), new Date(at.getTime() + 29_999))).toHaveProperty('quote');
    expect(reuseVerdict(viewQuote, b, now(), new Date(at.getTime() + 30_000))).toEqual({
      reason: 'a price window or promotion boundary passed',
    });
  });

  it('holds MAX_QUOTE_AGE_MS at most after it was made, even with no boundary ahead', () => {
    const b = basisOf(inputs, { prices: null, promotionsMs: null, pricedAt: at })!;
    expect(b.valid_until).toBe(new Date(at.getTime() + MAX_QUOTE_AGE_MS).toISOString());
    expect(reuseVerdict(viewQuote, b, now(), new Date(at.getTime() + MAX_QUOTE_AGE_MS - 1))).toHaveProperty('quote');
    expect(reuseVerdict(viewQuote, b, now(), new Date(at.getTime() + MAX_QUOTE_AGE_MS))).toHaveProperty('reason');
    const sooner = basisOf(inputs, { prices: new Date(at.getTime() + 60_000), promotionsMs: null, pricedAt: at })!;
    expect(sooner.valid_until).toBe(new Date(at.getTime() + 60_000).toISOString());
  });

  it('matches a charged shipping only with the same method and amount', () => {
    const home = { method: 'home', amount: 495 };
    const q = quote({ ...home, discount: 0 });
    const b = basisOf({ ...inputs, shipping: home }, { prices: null, promotionsMs: null });
    expect(reuseVerdict(q, b, now({}, home), at)).toEqual({ quote: q });
    expect(reuseVerdict(q, b, now({}, { method: 'home', amount: 595 }), at)).toEqual({ reason: 'another shipping' });
    expect(reuseVerdict(q, b, now({}, { method: 'pickup_point', amount: 495 }), at)).toEqual({
      reason: 'another shipping',
    });
    // the cart's own quote (no shipping) does not serve a charged delivery…
    expect(reuseVerdict(viewQuote, stored, now({}, home), at)).toEqual({ reason: 'another shipping' });
    // …unless a free-shipping promotion waives it: charged and taken off, total and VAT unchanged
    const free = { ...viewQuote, shipping: { ...viewQuote.shipping, free_shipping_reason: 'Free over 50' } };
    expect(reuseVerdict(free, stored, now({}, home), at)).toEqual({
      quote: {
        ...free,
        shipping: { method: 'home', amount: 495, discount: 495, free_shipping_reason: 'Free over 50' },
        discount_total: 495,
        total: 1000,
      },
    });
  });

  it('refuses without a basis, with an undescribable one, or of another format', () => {
    expect(reuseVerdict(viewQuote, null, now(), at)).toHaveProperty('reason');
    expect(basisOf({ ...inputs, snapshot_version: null }, { prices: null, promotionsMs: null })).toBeNull();
    expect(reuseVerdict(viewQuote, { ...stored, format: BASIS_FORMAT + 1 }, now(), at)).toEqual({
      reason: 'stored by another format',
    });
  });
});
