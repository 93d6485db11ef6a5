import { describe, expect, it } from 'vitest';
import { BinaryCopyStream, BinaryCopyWriter, type BinaryCopyReader } from '../platform/db/copy-binary.js';
import { chunkStores, pairsFromCopy, PairsCollector } from './chunk-copy.js';
import { Scratch } from './chunk-rules.js';
import { proposalIdBytes, proposalIdOf } from './run-ids.js';

/** readPairs' summary stream: sku, store, observed, censored, Σx, Σx². */
function summary(rows: [string, string, number][]): Buffer {
  const w = new BinaryCopyWriter(64);
  for (const [sku, store, n] of rows)
    w.row(6)
      .text(sku)
      .text(store)
      .int4(n)
      .int4(1)
      .int8(n * 2)
      .int8(n * 4);
  return w.end();
}

/** readPairs' stock stream: sku, location, on hand, reserved, safety stock, in transit. */
function stock(rows: [string, string, number, number?][]): Buffer {
  const w = new BinaryCopyWriter(64);
  for (const [sku, loc, onHand, inTransit = 0] of rows)
    w.row(4 + 2)
      .text(sku)
      .text(loc)
      .int4(onHand)
      .int4(1)
      .int4(2)
      .int4(inTransit);
  return w.end();
}

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

describe("a chunk's pairs read from COPY", () => {
  it('gathers a SKU met again later (rows store by store, as a scan gives them) and fills stock and cost', () => {
    const s = stores();
    const { c, warehouses } = pairsFromCopy(
      summary([
        ['S2', 'loc_a', 10],
        ['S1', 'loc_a', 11],
        ['S2', 'loc_b', 12],
        ['S1', 'loc_b', 13],
        ['S3', 'loc_b', 14],
      ]),
      stock([
        ['S1', 'loc_b', 5, 2],
        ['S2', 'loc_a', 7],
        ['S1', 'wh_1', 40],
        ['S9', 'loc_a', 3], // a SKU without a pair in scope
        ['S3', 'loc_a', 4], // a store without demand history for the SKU
        ['S3', 'wh_9', 4], // a location that is neither
      ]),
      new Map([
        ['S1', 500],
        ['S2', 700],
      ]),
      s,
    );
    expect(c.skus).toEqual(['S2', 'S1', 'S3']);
    expect([...c.start]).toEqual([0, 2, 4, 5]);
    expect([...c.observed]).toEqual([10, 12, 11, 13, 14]);
    expect([...c.store].map((i) => s.ids[i])).toEqual(['loc_a', 'loc_b', 'loc_a', 'loc_b', 'loc_b']);
    expect([...c.sum]).toEqual([20, 24, 22, 26, 28]);
    expect([...c.onHand]).toEqual([7, 0, 0, 5, 0]);
    expect([...c.inTransit]).toEqual([0, 0, 0, 2, 0]);
    expect([...c.cost]).toEqual([700, 700, 500, 500, 0]);
    // on hand − reserved − safety stock, by warehouse number
    expect(warehouses).toEqual(new Map([['S1', new Map([[0, 37]])]]));
  });

  it('keeps rows already SKU by SKU in place, and numbers a location the run does not know', () => {
    const s = stores();
    const { c } = pairsFromCopy(
      summary([
        ['S1', 'loc_b', 10],
        ['S1', 'loc_x', 11],
        ['S2', 'loc_x', 12],
      ]),
      stock([['S2', 'loc_x', 9]]),
      new Map(),
      s,
    );
    expect(c.skus).toEqual(['S1', 'S2']);
    expect([...c.observed]).toEqual([10, 11, 12]);
    const x = c.store[1]!;
    expect(s.ids[x]).toBe('loc_x');
    expect(c.store[2]).toBe(x);
    expect([...c.onHand]).toEqual([0, 0, 9]);
    // no warehouse and no region: no replenishment, a pool of its own
    expect([s.warehouse[x], s.region[x]]).toEqual([-1, -1]);
    expect(s.index.get('loc_x')).toBe(x);
  });

  it('reads the streams in pieces of any size (rows cut across them) and grows its columns past the hint', () => {
    const rows: [string, string, number][] = Array.from({ length: 300 }, (_, i) => [
      `S${i % 7}`,
      i % 3 ? 'loc_a' : 'loc_b',
      10 + i,
    ]);
    const stockRows: [string, string, number][] = Array.from({ length: 7 }, (_, k) => [`S${k}`, 'loc_a', k + 1]);
    const whole = pairsFromCopy(summary(rows), stock(stockRows), new Map(), stores()).c;
    const [sb, kb] = [summary(rows), stock(stockRows)];
    for (const size of [1, 3, 19, 64, 1000]) {
      const s = stores();
      const pairs = new PairsCollector(s, new Scratch(), 8);
      for (const [bytes, onRow] of [
        [sb, (r: BinaryCopyReader) => pairs.row(r)],
        [kb, (r: BinaryCopyReader) => pairs.stockRow(r)],
      ] as const) {
        const st = new BinaryCopyStream(onRow);
        for (let at = 0; at < bytes.length; at += size) st.push(bytes.subarray(at, at + size));
        st.end();
      }
      pairs.costs(new Map());
      const c = pairs.columns();
      expect(c.skus).toEqual(whole.skus);
      expect([...c.start]).toEqual([...whole.start]);
      expect([...c.observed]).toEqual([...whole.observed]);
      expect([...c.onHand]).toEqual([...whole.onHand]);
      expect(c.onHand.filter((x) => x > 0)).toHaveLength(7);
    }
    // a stream cut before its end marker is refused
    const st = new BinaryCopyStream(() => undefined);
    expect(() => {
      st.push(sb.subarray(0, 40));
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
