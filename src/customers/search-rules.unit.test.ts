import { describe, expect, it } from 'vitest';
import { foldName, phoneE164, planSearch, prefixPattern } from './search-rules.js';

const plan = (q: string) => {
  const r = planSearch(q, 'ES');
  if ('error' in r) throw new Error(r.error);
  return r.plan;
};

describe('reading a search query', () => {
  it('reads a phone typed any way as E.164, national numbers in the home country', () => {
    for (const q of ['612 34 56 78', '612345678', '+34 612-34-56-78', '0034 612 345 678', '(+34) 612 345 678'])
      expect(phoneE164(q, 'ES'), q).toBe('+34612345678');
    expect(phoneE164('912 345 678', 'PT')).toBe('+351912345678');
    expect(phoneE164('+351 912 345 678', 'ES')).toBe('+351912345678');
    expect(phoneE164('12', 'ES')).toBeNull();
    expect(phoneE164('ana 612', 'ES')).toBeNull();
  });

  it('an e-mail is only an e-mail, lower-cased; a malformed one is refused', () => {
    expect(plan(' Ana@Example.COM ')).toEqual({
      identifiers: [{ kind: 'email', value: 'ana@example.com' }],
      orderId: null,
      customerId: null,
      name: null,
    });
    expect(planSearch('ana@', 'ES')).toEqual({ error: 'looks like an e-mail address but is not a valid one' });
  });

  it('digits may be a phone and a card at once; a card is tried as typed and without spaces', () => {
    const p = plan('6123 4567 8');
    expect(p.identifiers).toContainEqual({ kind: 'phone', value: '+34612345678' });
    expect(p.identifiers).toContainEqual({ kind: 'loyalty_card', value: '612345678' });
    expect(p.name).toBeNull();
  });

  it('order numbers and customer ids are exact; names are folded prefixes with single spaces', () => {
    expect(plan('ord_01ABC').orderId).toBe('ord_01ABC');
    expect(plan('ord_01ABC').name).toBeNull();
    expect(plan('cus_01XYZ').customerId).toBe('cus_01XYZ');
    expect(plan('  Ana   GARCÍA ').name).toBe('ana garcia');
    expect(plan('Núñez Gonçalves').name).toBe('nunez goncalves');
    expect(plan('LOY-12').name).toBe('loy-12');
  });

  it('refuses queries too short or too long', () => {
    expect(planSearch(' a ', 'ES')).toHaveProperty('error');
    expect(planSearch('x'.repeat(201), 'ES')).toHaveProperty('error');
  });

  it('folds a name: lower case, accents dropped, other letters kept', () => {
    expect(foldName('ÁLVARO Peña Çavuş')).toBe('alvaro pena cavuş');
    expect(foldName('Łukasz')).toBe('łukasz');
  });

  it('escapes like wildcards in a name prefix', () => {
    expect(prefixPattern('a%b_c\\')).toBe('a\\%b\\_c\\\\%');
  });
});
