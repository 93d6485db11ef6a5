import { randomBytes } from 'node:crypto';

/**
 * Prefixed, sortable ids: `ord_01JD…`. 10 chars of Crockford base32 millisecond time then 16 random
 * chars (80 bits). Within one millisecond the random part is incremented so ids from one process
 * stay strictly increasing (ULID's monotonic rule); across processes they sort by time.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

let lastTime = -1;
let lastRandom: number[] = [];

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 9; i >= 0; i--) {
    const mod = ms % 32;
    out = ALPHABET[mod] + out;
    ms = (ms - mod) / 32;
  }
  return out;
}

function freshRandom(): number[] {
  const bytes = randomBytes(16);
  const digits: number[] = [];
  for (let i = 0; i < 16; i++) digits.push(bytes[i]! & 31);
  return digits;
}

function increment(digits: number[]): number[] {
  const next = digits.slice();
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i]! < 31) {
      next[i]! += 1;
      return next;
    }
    next[i] = 0;
  }
  return freshRandom(); // 2^80 ids in one millisecond: not reachable in practice
}

export function newId(prefix: string, nowMs: number = Date.now()): string {
  if (nowMs <= lastTime) {
    lastRandom = increment(lastRandom);
  } else {
    lastTime = nowMs;
    lastRandom = freshRandom();
  }
  return `${prefix}_${encodeTime(lastTime)}${lastRandom.map((d) => ALPHABET[d]).join('')}`;
}

/** Id prefixes in one place so a reader can tell an id's kind at a glance. */
export const ID_PREFIX = {
  channel: 'chn',
  location: 'loc',
  product: 'prd',
  variant: 'var',
  apiKey: 'key',
  staff: 'usr',
  webhook: 'whk',
  delivery: 'dlv',
  eventDelivery: 'evd',
  event: 'evt',
  import: 'imp',
} as const;
