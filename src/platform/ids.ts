import { randomFillSync } from 'node:crypto';

/**
 * Prefixed, sortable ids: `ord_01JD…`, 26 chars of Crockford base32 after the prefix:
 *
 *   10 chars millisecond time | 3 chars sequence | 13 chars fresh randomness (65 bits)
 *
 * Some ids are bearer secrets (an anonymous shopper's cart id), so no id may be derivable from
 * another: the random tail is drawn fresh for every id. (The ULID monotonic rule we used before
 * incremented the random part within a millisecond, so the next cart id was the previous one + 1.)
 * Order within one process stays strictly increasing through the sequence, which restarts at 0 each
 * millisecond; tests with a frozen clock and lists ordered by id rely on that. When 32768 ids are
 * drawn in one millisecond, the sequence carries into the time part (the id runs a millisecond ahead).
 * Across processes, ids sort by time; within one millisecond, by sequence then at random.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SEQ_CHARS = 3;
const SEQ_MAX = 32 ** SEQ_CHARS;
const RANDOM_CHARS = 13;

/** Id prefixes in one place so a reader can tell an id's kind at a glance; `newId` accepts only these. */
export const ID_PREFIX = {
  channel: 'chn',
  location: 'loc',
  product: 'prd',
  variant: 'var',
  apiKey: 'key',
  staff: 'usr',
  session: 'ses',
  webhook: 'whk',
  delivery: 'dlv',
  eventDelivery: 'evd',
  event: 'evt',
  import: 'imp',
  request: 'req',
  reservation: 'res',
  transfer: 'trf',
  customer: 'cus',
  customerEvent: 'cev',
  customerMergeConflict: 'cmc',
  customerNote: 'cnt',
  merge: 'mrg',
  segment: 'seg',
  promotion: 'prm',
  couponBatch: 'cpb',
  couponRedemption: 'cpr',
  payment: 'pay',
  paymentOperation: 'pop',
  order: 'ord',
  orderLine: 'oln',
  cart: 'crt',
  cartLine: 'cln',
  sourcingDecision: 'src',
  fulfillment: 'ful',
  notification: 'ntf',
  accountCode: 'acc',
  campaign: 'cmp',
  return: 'rtn',
  storeCredit: 'crd',
  storeCreditAccount: 'sca',
  storeCreditEntry: 'sce',
  planningRun: 'pln',
  planningProposal: 'ppl',
  marketplaceConnection: 'mkc',
  marketplaceOrder: 'mko',
  marketplaceFeed: 'mkf',
  marketplaceAction: 'mka',
  marketplaceReturn: 'mkr',
  carrierShipment: 'shp',
  shareLink: 'shl',
  review: 'rev',
  conversation: 'cnv',
  referral: 'rfr',
} as const;

export type IdPrefix = (typeof ID_PREFIX)[keyof typeof ID_PREFIX];

let lastTime = -1;
let seq = 0;

function encode(n: number, chars: number): string {
  let out = '';
  for (let i = 0; i < chars; i++) {
    const mod = n % 32;
    out = ALPHABET[mod] + out;
    n = (n - mod) / 32;
  }
  return out;
}

/**
 * The CSPRNG is read in blocks of 256 ids' worth (as crypto.randomUUID caches its entropy): one
 * call per id cost ~20% of a behaviour event's client CPU. Every id still takes its own fresh bytes,
 * each used once, so none is derivable from another.
 */
const POOL = Buffer.alloc(RANDOM_CHARS * 256);
let poolAt = POOL.length;

function randomTail(): string {
  if (poolAt + RANDOM_CHARS > POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  let out = '';
  for (let i = 0; i < RANDOM_CHARS; i++) out += ALPHABET[POOL[poolAt + i]! & 31];
  poolAt += RANDOM_CHARS;
  return out;
}

export function newId(prefix: IdPrefix, nowMs: number = Date.now()): string {
  if (nowMs > lastTime) {
    lastTime = nowMs;
    seq = 0;
  } else if (++seq >= SEQ_MAX) {
    lastTime += 1;
    seq = 0;
  }
  return `${prefix}_${encode(lastTime, 10)}${encode(seq, SEQ_CHARS)}${randomTail()}`;
}

/**
 * Every id of this kind made before `ms` sorts below this string; ids made at `ms` or later sort at
 * or above it. A retention job bounds its index scan with it. An id may carry a later time than the
 * row it names (the sequence above never runs backwards), never an earlier one, so the bound only
 * ever keeps a row longer.
 */
export function idFloor(prefix: IdPrefix, ms: number): string {
  return `${prefix}_${encode(ms, 10)}`;
}
