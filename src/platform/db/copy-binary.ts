/**
 * PostgreSQL's binary COPY format, read and written without a row object or a number-to-text
 * conversion per field: bulk paths (planning's chunks) move millions of rows, where parsing and
 * printing text costs more than the work. The format: a signature, flags and a header extension;
 * then per row an int16 field count and per field an int32 length (-1: NULL) and the value in the
 * type's binary send format (big-endian integers and IEEE floats, text as UTF-8); an int16 -1 ends it.
 * Only the types the callers need: int4, int8 (values within ±2⁵³), float4 (written), text, timestamptz (written).
 */

import { equalBytes, type BytesIndex } from './bytes-index.js';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Microseconds between the Unix epoch and PostgreSQL's (2000-01-01). */
const PG_EPOCH_US = 946_684_800_000_000;
const TWO32 = 4_294_967_296;

/** Rows in binary COPY format, into a buffer that grows; `take()` hands over what is written so far. */
export class BinaryCopyWriter {
  private buf: Buffer;
  /** Over `buf`: DataView's setters are inlined where Buffer's writeInt32BE checks its arguments. */
  private view: DataView;
  private pos = 0;

  /**
   * `alloc`: where the next buffer comes from when `take` hands one over (a pool the caller refills
   * once what it took was sent), by default a new one of the same size.
   */
  constructor(
    initial = 1 << 20,
    private readonly alloc: (size: number) => Buffer = (size) => Buffer.allocUnsafe(size),
  ) {
    this.buf = alloc(Math.max(initial, 64));
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
    this.buf.set(SIGNATURE, 0);
    this.view.setInt32(11, 0); // flags: no OIDs
    this.view.setInt32(15, 0); // no header extension
    this.pos = 19;
  }

  get length(): number {
    return this.pos;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    // By half again, not double: a writer kept for the next batch keeps what it grew to.
    const next = Buffer.allocUnsafe(Math.max(Math.ceil(this.buf.length * 1.5), this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.length);
  }

  row(fields: number): this {
    this.room(2);
    this.view.setInt16(this.pos, fields);
    this.pos += 2;
    return this;
  }

  null(): this {
    this.room(4);
    this.view.setInt32(this.pos, -1);
    this.pos += 4;
    return this;
  }

  int4(v: number): this {
    this.room(8);
    this.view.setInt32(this.pos, 4);
    this.view.setInt32(this.pos + 4, v);
    this.pos += 8;
    return this;
  }

  int8(v: number): this {
    if (!Number.isSafeInteger(v)) throw new RangeError(`int8 field out of the safe range: ${v}`);
    this.room(12);
    this.view.setInt32(this.pos, 8);
    const hi = Math.floor(v / TWO32);
    this.view.setInt32(this.pos + 4, hi);
    this.view.setUint32(this.pos + 8, v - hi * TWO32);
    this.pos += 12;
    return this;
  }

  /** The double rounded to the nearest float, as PostgreSQL's float8 → real cast rounds. */
  float4(v: number): this {
    this.room(8);
    this.view.setInt32(this.pos, 4);
    this.view.setFloat32(this.pos + 4, v);
    this.pos += 8;
    return this;
  }

  /** A text value already encoded (ids repeated on many rows are encoded once by the caller). */
  bytes(b: Uint8Array): this {
    const n = b.length;
    this.room(4 + n);
    this.view.setInt32(this.pos, n);
    const at = this.pos + 4;
    // Ids are short: a loop beats set()'s call into the runtime for a few dozen bytes.
    if (n <= 64) for (let i = 0; i < n; i++) this.buf[at + i] = b[i]!;
    else this.buf.set(b, at);
    this.pos = at + n;
    return this;
  }

  text(s: string): this {
    return this.bytes(Buffer.from(s, 'utf8'));
  }

  timestamptz(d: Date): this {
    return this.int8(d.getTime() * 1000 - PG_EPOCH_US);
  }

  /** What is written so far (the header first, once), leaving the writer empty. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = this.alloc(this.buf.length);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
    this.pos = 0;
    return out;
  }

  /** The end marker and everything before it. */
  end(): Buffer {
    this.room(2);
    this.view.setInt16(this.pos, -1);
    this.pos += 2;
    return this.take();
  }
}

/** Reads the rows of a binary COPY TO STDOUT, field by field, in the order the statement selects them. */
export class BinaryCopyReader {
  private pos: number;
  /** Fields of the row being read. */
  private left = 0;
  private readonly view: DataView;
  /** Where the last field read by `sameKey` starts, and its length. */
  private keyAt = 0;
  private keyLen = -2;
  /** Where the last field read by `indexIn` starts, and its length. */
  private lastAt = 0;
  private lastLen = 0;

  /** Over a whole stream (its header checked and skipped), or over rows from `start` (BinaryCopyStream). */
  constructor(
    private readonly buf: Buffer,
    start?: number,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    if (start !== undefined) {
      this.pos = start;
      return;
    }
    if (buf.length < 19 || !buf.subarray(0, 11).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
    this.pos = 19 + this.view.getInt32(15);
  }

  /** Where the reader is (after the last field it read). */
  get position(): number {
    return this.pos;
  }

  /** Moves to `pos`, the start of a row (BinaryCopyStream). */
  seek(pos: number): void {
    this.pos = pos;
    this.left = 0;
  }

  /** Moves to the next row; false at the end marker. */
  next(): boolean {
    if (this.left !== 0) throw new Error(`${this.left} fields of the row were not read`);
    if (this.pos + 2 > this.buf.length) throw new Error('a binary COPY stream without its end marker');
    const n = this.view.getInt16(this.pos);
    this.pos += 2;
    if (n === -1) return false;
    this.left = n;
    return true;
  }

  private field(): number {
    if (this.left-- <= 0) throw new Error('read past the last field of the row');
    const len = this.view.getInt32(this.pos);
    this.pos += 4;
    if (this.pos + Math.max(len, 0) > this.buf.length) throw new Error('a binary COPY field past the end');
    return len;
  }

  /** An int4 or int8 field as a number (int8 within ±2⁵³); NULL gives `ifNull`. */
  number(ifNull = 0): number {
    const len = this.field();
    const at = this.pos;
    if (len === -1) return ifNull;
    this.pos += len;
    if (len === 4) return this.view.getInt32(at);
    if (len === 8) return this.view.getInt32(at) * TWO32 + this.view.getUint32(at + 4);
    throw new Error(`an integer field of ${len} bytes`);
  }

  /** A text field's bytes (a view, not a copy); null for NULL. */
  bytes(): Buffer | null {
    const len = this.field();
    if (len === -1) return null;
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  /**
   * Reads a key field (text) and tells whether it holds the same bytes as the key read by the last
   * call, without making a string or a view: rows sorted by their key change key rarely.
   */
  sameKey(): boolean {
    const len = this.field();
    const at = this.pos;
    this.pos += Math.max(len, 0);
    const same = len === this.keyLen && equalBytes(this.buf, this.keyAt, this.buf, at, len);
    this.keyAt = at;
    this.keyLen = len;
    return same;
  }

  /** The key `sameKey` read last, numbered in `ix` (added when new); -1 for NULL. */
  keyIn(ix: BytesIndex): number {
    return this.keyLen < 0 ? -1 : ix.add(this.buf, this.keyAt, this.keyLen);
  }

  /**
   * A text field's place among `ix`'s keys, without making a string; -1: not one of them, or NULL.
   * With `add`, a key not yet there is added (NULL still gives -1).
   */
  indexIn(ix: BytesIndex, add = false): number {
    const len = this.field();
    if (len === -1) return -1;
    const at = this.pos;
    this.pos += len;
    this.lastAt = at;
    this.lastLen = len;
    return add ? ix.add(this.buf, at, len) : ix.find(this.buf, at, len);
  }

  /** The text field `indexIn` read last, where it lies: (buffer, offset, length), for another index. */
  lastBytes(): [Buffer, number, number] {
    return [this.buf, this.lastAt, this.lastLen];
  }

  /** The text field `indexIn` read last, as text (for a key it did not know). */
  lastText(): string {
    return this.buf.toString('utf8', this.lastAt, this.lastAt + this.lastLen);
  }

  text(): string | null {
    const b = this.bytes();
    return b === null ? null : b.toString('utf8');
  }
}

/**
 * The rows of a binary COPY TO stream read as its pieces arrive, so no buffer of the whole stream is
 * kept: each complete row is handed to `onRow` with a reader at it, which must read all its fields;
 * a row cut by a piece's end waits for the next piece.
 */
export class BinaryCopyStream {
  private carry: Buffer | null = null;
  private started = false;
  private ended = false;

  constructor(private readonly onRow: (r: BinaryCopyReader) => void) {}

  push(piece: Buffer): void {
    if (this.ended) throw new Error('data after the end of a binary COPY stream');
    const buf = this.carry ? Buffer.concat([this.carry, piece]) : piece;
    this.carry = null;
    let pos = 0;
    if (!this.started) {
      if (buf.length < 19 || buf.length < 19 + buf.readInt32BE(15)) {
        this.carry = Buffer.from(buf);
        return;
      }
      if (!buf.subarray(0, 11).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
      pos = 19 + buf.readInt32BE(15);
      this.started = true;
    }
    const r = new BinaryCopyReader(buf, pos);
    const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    for (;;) {
      const end = rowEnd(view, pos);
      if (end === -1) break;
      if (end === -2) {
        this.ended = true;
        pos += 2;
        break;
      }
      r.seek(pos);
      r.next();
      this.onRow(r);
      if (r.position !== end) throw new Error('a binary COPY row not read to its end');
      pos = end;
    }
    if (!this.ended && pos < buf.length) this.carry = Buffer.from(buf.subarray(pos));
  }

  /** After the last piece: the end marker must have come. */
  end(): void {
    if (!this.ended) throw new Error('a binary COPY stream without its end marker');
  }
}

/** Where the row at `pos` ends; -1: not all of it is in `buf` yet; -2: the end marker. */
function rowEnd(view: DataView, pos: number): number {
  const length = view.byteLength;
  if (pos + 2 > length) return -1;
  const n = view.getInt16(pos);
  if (n === -1) return -2;
  let at = pos + 2;
  for (let f = 0; f < n; f++) {
    if (at + 4 > length) return -1;
    at += 4 + Math.max(view.getInt32(at), 0);
  }
  return at <= length ? at : -1;
}
