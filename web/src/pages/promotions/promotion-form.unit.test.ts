import { describe, expect, it } from 'vitest';
import { emptyForm, fromPromotion, parseTiers, toBody, toPatchBody } from './promotion-form';

describe('promotion form', () => {
  it('reads tiers as "threshold percent%" or "threshold amount", money in minor units', () => {
    expect(parseTiers('50 10%\n100 15\n\n200 25,5%')).toEqual([
      { threshold: 5000, percent: 10 },
      { threshold: 10000, amount: 1500 },
      { threshold: 20000, percent: 25.5 },
    ]);
  });
  it('sends a bundle’s components and price, and a tiered promotion’s tiers', () => {
    const bundle = toBody({
      ...emptyForm(),
      name: 'Pack',
      kind: 'bundle_price',
      components: 'A-1 2\nB-2',
      amount: '49,90',
    });
    expect(bundle.params).toEqual({
      bundle: {
        components: [
          { skus: ['A-1'], quantity: 2 },
          { skus: ['B-2'], quantity: 1 },
        ],
        price: 4990,
      },
    });
    const tiered = toBody({ ...emptyForm(), name: 'T', kind: 'tiered_spend', tiers: '50 10%' });
    expect(tiered.params).toEqual({ tiers: [{ threshold: 5000, percent: 10 }] });
  });
  it('turns a saved promotion back into the form and a PATCH never sends the kind', () => {
    const f = fromPromotion(
      {
        name: 'Spend more',
        kind: 'tiered_spend',
        status: 'inactive',
        params: {
          tiers: [
            { threshold: 5000, percent: 10 },
            { threshold: 10000, amount: 1500 },
          ],
        },
        scope: { categories: ['women', 'men/shoes'] },
        conditions: { channels: ['ch_1'] },
        coupon_required: true,
        starts_at: null,
        ends_at: null,
      },
      new Map([['ch_1', 'web']]),
    );
    expect(f).toMatchObject({
      kind: 'tiered_spend',
      status: 'inactive',
      tiers: '50 10%\n100 15',
      categories: 'women, men/shoes',
      channels: ['web'],
      coupon_required: true,
    });
    // Round trip: the form gives back what was saved.
    expect(toBody(f).params).toEqual({
      tiers: [
        { threshold: 5000, percent: 10 },
        { threshold: 10000, amount: 1500 },
      ],
    });
    expect('kind' in toPatchBody(f)).toBe(false);
  });
});
