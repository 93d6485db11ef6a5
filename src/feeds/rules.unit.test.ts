import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buildItem,
  csvField,
  fillTemplate,
  formatPrice,
  sameItem,
  shareUrl,
  xmlText,
  type ProductFacts,
} from './rules.js';

const product = (over: Partial<ProductFacts> = {}): ProductFacts => ({
  id: 'prd_1',
  code: 'tee',
  name: 'Tee',
  description: '',
  brand: '',
  attributes: {},
  active: true,
  variants: [
    {
      sku: 'TEE-M',
      gtin: null,
      size: 'M',
      colour: 'Red',
      active: true,
      price: { amount: 1495, currency: 'EUR', list_amount: 1995, sale_amount: 1495 },
    },
  ],
  ...over,
});
const settings = {
  link_template: 'https://s.test/p/{product_code}?v={sku}',
  image_template: 'https://c.test/{sku}.jpg',
  default_brand: 'Shop',
};

describe('feed rows', () => {
  it("carries the channel's list and sale price and never a negative or fractional quantity", () => {
    const item = buildItem(product(), 'TEE-M', 7.9, settings)!;
    expect(item).toMatchObject({ price: 1995, sale_price: 1495, quantity: 7, brand: 'Shop', description: 'Tee' });
    expect(item.link).toBe('https://s.test/p/tee?v=TEE-M');
    expect(buildItem(product(), 'TEE-M', -3, settings)!.quantity).toBe(0);
    fc.assert(fc.property(fc.double(), (q) => buildItem(product(), 'TEE-M', q, settings)!.quantity >= 0));
  });

  it('leaves out what the channel does not sell: inactive, unknown or without a price', () => {
    expect(buildItem(product({ active: false }), 'TEE-M', 5, settings)).toBeNull();
    expect(buildItem(product(), 'OTHER', 5, settings)).toBeNull();
    const unpriced = product();
    unpriced.variants[0]!.price = null;
    expect(buildItem(unpriced, 'TEE-M', 5, settings)).toBeNull();
  });

  it('compares rows by every figure', () => {
    const a = buildItem(product(), 'TEE-M', 3, settings)!;
    expect(sameItem(a, { ...a })).toBe(true);
    expect(sameItem(a, { ...a, quantity: 2 })).toBe(false);
  });

  it('escapes template values so a SKU cannot break the URL', () => {
    expect(fillTemplate('https://s.test/{sku}', { sku: 'A B/#', product_code: 'x', product_id: 'y' })).toBe(
      'https://s.test/A%20B%2F%23',
    );
  });
});

describe('formats', () => {
  it('writes prices in major units with the ISO code', () => {
    expect(formatPrice(1995, 'EUR')).toBe('19.95 EUR');
    expect(formatPrice(5, 'EUR')).toBe('0.05 EUR');
    expect(formatPrice(1200, 'JPY')).toBe('1200 JPY');
    expect(formatPrice(1234, 'KWD')).toBe('1.234 KWD');
  });

  it('quotes CSV fields only when needed, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('writes XML text with entities and without the characters XML forbids', () => {
    expect(xmlText('a & <b> "c" \'d\'')).toBe('a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;');
    expect(xmlText('bell\u0007tab\t')).toBe('belltab\t');
  });

  it('adds the attribution parameters to a share link, keeping the page own ones', () => {
    const u = new URL(
      shareUrl('https://s.test/p?x=1&utm_source=old', {
        source: 'instagram',
        medium: 'social',
        campaign: 'c',
        shareId: 'shl_1',
      }),
    );
    expect(Object.fromEntries(u.searchParams)).toEqual({
      x: '1',
      utm_source: 'instagram',
      utm_medium: 'social',
      utm_campaign: 'c',
      omnia_share: 'shl_1',
    });
  });
});
