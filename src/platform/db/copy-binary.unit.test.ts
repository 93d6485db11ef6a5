import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BytesIndex } from './bytes-index.js';
import { BinaryCopyReader, BinaryCopyWriter } from './copy-binary.js';

describe('binary COPY rows', () => {
  it('reads back what the writer wrote: integers to ±2⁵³, texts, NULLs, a key column', () => {
    const rowArb = fc.record({
      key: fc.constantFrom('A', 'B', 'ü-Ω', ''),
      i4: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      // `0 - x`, not `-x`: -0 is not an int8 (it comes back as 0).
      i8: fc.maxSafeInteger().chain((x) => fc.constantFrom(x, 0 - x)),
      text: fc.option(
        fc.string({ unit: 'binary', maxLength: 80 }).filter((s) => !s.includes('\0')),
        { nil: null },
      ),
    });
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 40 }), fc.integer({ min: 64, max: 256 }), (rows, initial) => {
        // A small first buffer: the writer grows, and hands over pieces that join into one stream.
        const w = new BinaryCopyWriter(initial);
        const pieces: Buffer[] = [];
        for (const [i, r] of rows.entries()) {
          w.row(4).text(r.key).int4(r.i4).int8(r.i8);
          if (r.text === null) w.null();
          else w.text(r.text);
          if (i % 7 === 6) pieces.push(w.take());
        }
        pieces.push(w.end());
        const rd = new BinaryCopyReader(Buffer.concat(pieces));
        const keys = new BytesIndex();
        let last = -1;
        for (const r of rows) {
          expect(rd.next()).toBe(true);
          const same = rd.sameKey();
          const k = rd.keyIn(keys);
          expect(keys.keys[k]).toBe(r.key);
          if (same) expect(k).toBe(last);
          last = k;
          expect([rd.number(), rd.number(), rd.text()]).toEqual([r.i4, r.i8, r.text]);
        }
        expect(rd.next()).toBe(false);
      }),
    );
  });

  it('writes reals rounded as PostgreSQL casts float8 to real, and timestamps from 2000-01-01', () => {
    const w = new BinaryCopyWriter();
    w.row(2).float4(0.1).timestamptz(new Date('2000-01-01T00:00:01.5Z'));
    const b = w.end();
    // signature 11 + flags 4 + extension length 4, then the field count and each field's length.
    expect(b.readInt16BE(19)).toBe(2);
    expect(b.readInt32BE(21)).toBe(4);
    expect(b.readFloatBE(25)).toBe(Math.fround(0.1));
    expect(b.readInt32BE(29)).toBe(8);
    expect(b.readBigInt64BE(33)).toBe(1_500_000n);
    expect(b.readInt16BE(41)).toBe(-1);
  });

  it('refuses what it cannot write or read', () => {
    expect(() => new BinaryCopyWriter().int8(2 ** 53)).toThrow(/safe range/);
    expect(() => new BinaryCopyReader(Buffer.from('not copy'))).toThrow(/not a binary COPY/);
    const w = new BinaryCopyWriter();
    w.row(1).int4(7);
    const noEnd = w.take();
    const r = new BinaryCopyReader(noEnd);
    expect(r.next()).toBe(true);
    expect(() => r.next()).toThrow(/fields of the row were not read/);
    expect(r.number()).toBe(7);
    expect(() => r.next()).toThrow(/without its end marker/);
  });
});

describe('BytesIndex', () => {
  it('finds keys by their bytes inside a larger buffer, adds new ones, keeps the first of a repeat', () => {
    const ix = new BytesIndex(['loc_A', 'loc_B', 'loc_A', 'é']);
    expect(ix.keys).toEqual(['loc_A', 'loc_B', 'é']);
    const b = Buffer.from('xxloc_Bxxéloc_C');
    expect(ix.find(b, 2, 5)).toBe(1);
    expect(ix.find(b, 9, 2)).toBe(2);
    expect(ix.find(b, 11, 5)).toBe(-1);
    expect(ix.add(b, 11, 5)).toBe(3);
    expect(ix.find(b, 11, 5)).toBe(3);
    expect(ix.keys[3]).toBe('loc_C');
  });

  it('keeps every key findable as it grows (thousands of keys, colliding slots)', () => {
    const ix = new BytesIndex();
    const keys = Array.from({ length: 5000 }, (_, i) => `SKU-${i.toString(36)}`);
    for (const k of keys) ix.add(Buffer.from(k), 0, Buffer.byteLength(k));
    keys.forEach((k, i) => expect(ix.find(Buffer.from(k), 0, k.length)).toBe(i));
    expect(ix.find(Buffer.from('SKU-none'), 0, 8)).toBe(-1);
  });
});
