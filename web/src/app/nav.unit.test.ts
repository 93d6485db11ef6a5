import { describe, expect, it } from 'vitest';
import { en, es, pt } from './locales';
import { homeFor, layoutFor, mayOpen, navFor } from './nav';

const keys = (o: object, pre = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [pre + k] : keys(v as object, `${pre}${k}.`)));

describe('navigation per role', () => {
  it('gives each role its areas and screen', () => {
    expect(navFor('admin').map((n) => n.area)).toContain('operations');
    expect(mayOpen('merchandiser', 'operations')).toBe(false);
    expect(mayOpen('merchandiser', 'promotions')).toBe(true);
    expect(layoutFor('store_associate')).toBe('phone');
    expect(layoutFor('agent')).toBe('desktop');
    expect(homeFor('store_associate')).toBe('/store');
    expect(navFor('nobody')).toEqual([]);
  });
  it('has every nav label and role in the three languages', () => {
    for (const role of ['admin', 'merchandiser', 'store_associate', 'agent'])
      for (const item of navFor(role)) expect(keys(en)).toContain(item.label);
  });
});

describe('translations', () => {
  it('es, pt and en have exactly the same keys', () => {
    expect(keys(es).sort()).toEqual(keys(en).sort());
    expect(keys(pt).sort()).toEqual(keys(en).sort());
  });
});
