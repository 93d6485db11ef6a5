/**
 * Ids looked up by their bytes where they lie in a buffer (binary COPY rows, copy-binary.ts), so a
 * column of millions of ids maps to small numbers without a string per row.
 */

/** a[ai, ai + len) = b[bi, bi + len): a loop for ids (a few dozen bytes) rather than a call into the runtime. */
export function equalBytes(a: Uint8Array, ai: number, b: Uint8Array, bi: number, len: number): boolean {
  if (len > 64) return Buffer.compare(a.subarray(ai, ai + len), b.subarray(bi, bi + len)) === 0;
  for (let i = 0; i < len; i++) if (a[ai + i] !== b[bi + i]) return false;
  return true;
}

/**
 * Texts looked up by their UTF-8 bytes where they lie in a COPY buffer (FNV-1a, open addressing):
 * a reader maps a column of ids to small numbers without making a string per row. Keys can be added
 * as they are met (`add`): the index of a key is its place in `keys`.
 */
export class BytesIndex {
  private slots: Int32Array;
  private readonly bytes: Buffer[] = [];
  readonly keys: string[] = [];
  private mask: number;

  constructor(keys: string[] = []) {
    this.mask = 15;
    this.slots = new Int32Array(16).fill(-1);
    for (const k of keys) {
      const b = Buffer.from(k, 'utf8');
      if (this.find(b, 0, b.length) === -1) this.insert(b, k); // a repeated key keeps its first place
    }
  }

  /**
   * The length and the last 12 bytes: ids share their prefixes (`loc_` and a time part) and differ at
   * the end; the lookup compares every byte anyway, so a collision only costs a probe.
   */
  private static hash(b: Uint8Array, at: number, len: number): number {
    let h = Math.imul(0x811c9dc5 ^ len, 0x01000193);
    for (let i = Math.max(at, at + len - 12); i < at + len; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    return h >>> 0;
  }

  private insert(b: Buffer, key: string): number {
    if ((this.keys.length + 1) * 2 > this.slots.length) this.grow();
    const i = this.keys.length;
    this.keys.push(key);
    this.bytes.push(b);
    this.place(i);
    return i;
  }

  private place(i: number): void {
    const b = this.bytes[i]!;
    let h = BytesIndex.hash(b, 0, b.length) & this.mask;
    while (this.slots[h] !== -1) h = (h + 1) & this.mask;
    this.slots[h] = i;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    this.mask = this.slots.length - 1;
    for (let i = 0; i < this.keys.length; i++) this.place(i);
  }

  /** The place of the key whose bytes are b[at, at + len); -1 when none. */
  find(b: Buffer, at: number, len: number): number {
    let h = BytesIndex.hash(b, at, len) & this.mask;
    for (;;) {
      const i = this.slots[h]!;
      if (i === -1) return -1;
      const k = this.bytes[i]!;
      if (k.length === len && equalBytes(k, 0, b, at, len)) return i;
      h = (h + 1) & this.mask;
    }
  }

  /** The place of the key whose bytes are b[at, at + len), added (a copy) when new. */
  add(b: Buffer, at: number, len: number): number {
    const i = this.find(b, at, len);
    if (i !== -1) return i;
    const copy = Buffer.from(b.subarray(at, at + len));
    return this.insert(copy, copy.toString('utf8'));
  }
}
