import { describe, expect, it } from 'vitest';
import { parseOrderQuery } from './search-rules.js';

describe('order search query', () => {
  it('an order number is matched whatever its case', () => {
    expect(parseOrderQuery(' ord_01jd0000000000000000000000 ')).toEqual({
      kind: 'id',
      value: 'ord_01JD0000000000000000000000',
    });
  });
  it('an e-mail is lower-cased; a broken one is refused', () => {
    expect(parseOrderQuery('Ana@Example.COM')).toEqual({ kind: 'email', value: 'ana@example.com' });
    expect(parseOrderQuery('ana@example')).toMatchObject({ kind: 'invalid' });
  });
  it('a national phone number takes the store country; international forms need none', () => {
    expect(parseOrderQuery('612 34 56 78', 'ES')).toEqual({ kind: 'phone', value: '+34612345678' });
    expect(parseOrderQuery('+34 612-34-56-78')).toEqual({ kind: 'phone', value: '+34612345678' });
    expect(parseOrderQuery('0034 (612) 345 678')).toEqual({ kind: 'phone', value: '+34612345678' });
    expect(parseOrderQuery('912 345 678', 'PT')).toEqual({ kind: 'phone', value: '+351912345678' });
  });
  it('a national number without a country, or too short, is refused', () => {
    expect(parseOrderQuery('612 34 56 78')).toMatchObject({ kind: 'invalid' });
    expect(parseOrderQuery('123456', 'ES')).toMatchObject({ kind: 'invalid' });
  });
  it('anything else is refused rather than guessed', () => {
    expect(parseOrderQuery('blue shoes')).toMatchObject({ kind: 'invalid' });
  });
});
