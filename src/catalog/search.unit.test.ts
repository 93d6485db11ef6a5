import { describe, expect, it } from 'vitest';
import { fold, queryPrefixes, searchTerms, words } from './search.js';

describe('product search terms', () => {
  it('folds case and accents the same way for products and queries', () => {
    expect(fold('Camisón ÁGUA Ñandú')).toBe('camison agua nandu');
    expect(words('Camiseta básica, 100% algodão')).toEqual(['camiseta', 'basica', '100', 'algodao']);
  });

  it('indexes the words of name and brand, the code, SKUs whole and by word, and GTINs', () => {
    const terms = searchTerms({
      name: 'Camiseta básica',
      brand: 'Nómada',
      code: 'WEBT-1',
      skus: ['WEBT-1-S', 'WEBT-1-M'],
      gtins: ['8437000000006', null],
    });
    expect(terms).toEqual(
      expect.arrayContaining(['camiseta', 'basica', 'nomada', 'webt', '1', 'webt-1', 'webt-1-s', 'webt-1-m', 's', 'm']),
    );
    expect(terms).toContain('8437000000006');
    expect(new Set(terms).size).toBe(terms.length);
  });

  it('turns a query into escaped word prefixes, at most five, none for punctuation only', () => {
    expect(queryPrefixes('  Cami  BÁSI ')).toEqual(['cami', 'basi']);
    expect(queryPrefixes('WEBT-1-M')).toEqual(['webt', '1', 'm']);
    expect(queryPrefixes('--')).toEqual([]);
    expect(queryPrefixes('a b c d e f g')).toHaveLength(5);
    // LIKE wildcards a user types are letters, never patterns (they are split off as punctuation).
    expect(queryPrefixes('50%_off').join(' ')).not.toMatch(/(^|[^\\])[%_]/);
  });
});
