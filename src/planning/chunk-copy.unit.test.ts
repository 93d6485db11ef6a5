import { describe, expect, it } from 'vitest';
import { BinaryCopyWriter } from '../platform/db/copy-binary.js';
import { chunkStores, pairsFromCopy, PairsCollector } from './chunk-copy.js';
import { Scratch } from './chunk-rules.js';
import { BinaryCopyStream } from '../platform/db/copy-binary.js';
import { proposalIdBytes, proposalIdOf } from './run-ids.js';

/** A COPY TO stream of readPairs' rows: sku, store, observed, censored, Σx, Σx², cost, on hand, in transit. */
function stream(rows: [string, string, number][]): Buffer {
  const w = new BinaryCopyWriter(64);
  for (const [sku, store, n] of rows)
    w.row(9)
      .text(sku)
      .text(store)
      .int4(n)
      .int4(1)
      .int8(n * 2)
      .int8(n * 4)
      .int8(500)
      .int4(n - 3)
      .int4(0);
  return w.end();
}

describe("a chunk's pairs read from COPY", () => {
  const stores = () =>
    chunkStores(
      new Map([
        ['loc_b', 'wh_1'],
        ['loc_a', 'wh_1'],
      ]),
      new Map([
        ['loc_a', 'Norte'],
        ['loc_b', null],
      ]),
    );

  it('gathers a SKU met again later (rows store by store, as a hash join gives them)', () => {
    const s = stores();
    const c = pairsFromCopy(
      stream([
        ['S2', 'loc_a', 10],
        ['S1', 'loc_a', 11],
        ['S2', 'loc_b', 12],
        ['S1', 'loc_b', 13],
        ['S3', 'loc_b', 14],
      ]),
      s,
    );
    expect(c.skus).toEqual(['S2', 'S1', 'S3']);
    expect([...c.start]).toEqual([0, 2, 4, 5]);
    expect([...c.observed]).toEqual([10, 12, 11, 13, 14]);
    expect([...c.store].map((i) => s.ids[i])).toEqual(['loc_a', 'loc_b', 'loc_a', 'loc_b', 'loc_b']);
    expect([...c.sum]).toEqual([20, 24, 22, 26, 28]);
    expect([...c.onHand]).toEqual([7, 9, 8, 10, 11]);
    expect([...c.cost]).toEqual([500, 500, 500, 500, 500]);
  });

  it('keeps rows already SKU by SKU in place, and numbers a location the run does not know', () => {
    const s = stores();
    const c = pairsFromCopy(
      stream([
        ['S1', 'loc_b', 10],
        ['S1', 'loc_x', 11],
        ['S2', 'loc_x', 12],
      ]),
      s,
    );
    expect(c.skus).toEqual(['S1', 'S2']);
    expect([...c.observed]).toEqual([10, 11, 12]);
    const x = c.store[1]!;
    expect(s.ids[x]).toBe('loc_x');
    expect(c.store[2]).toBe(x);
    // no warehouse and no region: no replenishment, a pool of its own
    expect([s.warehouse[x], s.region[x]]).toEqual([-1, -1]);
    expect(s.index.get('loc_x')).toBe(x);
  });

  it('reads the stream in pieces of any size (rows cut across them) and grows its columns past the hint', () => {
    const rows: [string, string, number][] = Array.from({ length: 300 }, (_, i) => [
      `S${i % 7}`,
      i % 3 ? 'loc_a' : 'loc_b',
      10 + i,
    ]);
    const whole = pairsFromCopy(stream(rows), stores());
    const bytes = stream(rows);
    for (const size of [1, 3, 19, 64, 1000]) {
      const s = stores();
      const pairs = new PairsCollector(s, new Scratch(), 8);
      const st = new BinaryCopyStream((r) => pairs.row(r));
      for (let at = 0; at < bytes.length; at += size) st.push(bytes.subarray(at, at + size));
      st.end();
      const c = pairs.columns();
      expect(c.skus).toEqual(whole.skus);
      expect([...c.start]).toEqual([...whole.start]);
      expect([...c.observed]).toEqual([...whole.observed]);
      expect([...c.store].map((i) => s.ids[i])).toEqual([...whole.store].map((i) => ['loc_b', 'loc_a'][i]));
    }
    // a stream cut before its end marker is refused
    const st = new BinaryCopyStream(() => undefined);
    expect(() => {
      st.push(bytes.subarray(0, 40));
      st.end();
    }).toThrow(/without its end marker/);
  });
});

describe('proposal ids as bytes', () => {
  it('are proposalIdOf’s ids, across the 32,768 boundaries of the millisecond part', () => {
    const ids = { baseMs: Date.UTC(2026, 11, 1), tail: '0123456789ABC' };
    const of = proposalIdBytes(ids);
    for (const n of [0, 1, 31, 32, 1023, 1024, 32767, 32768, 32769, 65536 * 3 + 5, 40 * 327_680 + 77, 5])
      expect(of(n).toString('latin1')).toBe(proposalIdOf(ids, n));
  });
});
