import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashCode, normaliseCode, readableCode } from './codes.js';

describe('readable codes', () => {
  it('draws PREFIX-XXXX-… codes from the Crockford alphabet', () => {
    expect(readableCode('GC', 4, new Uint8Array(16))).toBe('GC-0000-0000-0000-0000');
    expect(readableCode('RT', 3)).toMatch(/^RT-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(readableCode('GR')).not.toBe(readableCode('GR'));
  });
  it('reads a typed code the way it was printed: case, spaces, O/0 and I/L/1', () => {
    expect(normaliseCode(' gc-abcd-efgh ')).toBe('GC-ABCD-EFGH');
    expect(normaliseCode('rt-0o1i-lL00')).toBe('RT-0011-1100');
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const code = readableCode('GC', 4, bytes);
        return normaliseCode(code.toLowerCase()) === code && hashCode(code.toLowerCase()) === hashCode(code);
      }),
    );
  });
});
