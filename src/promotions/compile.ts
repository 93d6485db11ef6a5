/**
 * Turns promotion rules into an index the engine can query cheaply: each rule compiled once
 * (sets instead of arrays, basis points instead of percents, parsed dates) and filed under its most
 * selective scope key (SKU, else product, else category), so a line looks only at its candidates.
 * Pure: built from data, no I/O.
 */
import { formatMoney } from '../platform/money.js';
import { toBasisPoints } from './rounding.js';
import type { ItemScope, PricedLine, Promotion, PromotionKind, PromotionRule, Tier } from './types.js';

export const PHASE: Record<PromotionKind, 0 | 1 | 2> = {
  item_percent: 0,
  item_amount: 0,
  buy_x_get_y: 0,
  bundle_price: 0,
  basket_percent: 1,
  basket_amount: 1,
  tiered_spend: 1,
  free_shipping: 2,
};

export interface CompiledScope {
  skus: Set<string> | null;
  products: Set<string> | null;
  categories: string[] | null;
  sizes: Set<string> | null;
}

export interface CompiledPromotion {
  rule: PromotionRule;
  // hot fields copied flat out of the rule's JSON-shaped parts, so the engine's property reads stay monomorphic
  id: string;
  name: string;
  kind: PromotionKind;
  currency: string;
  exclusive: boolean;
  group: string | null;
  couponRequired: boolean;
  firstOrder: boolean;
  minSubtotal: number;
  amount: number;
  threshold: number;
  buy: number;
  get: number;
  bundlePrice: number;
  /** Position in the global evaluation order (phase, exclusive first, priority desc, id). */
  rank: number;
  phase: 0 | 1 | 2;
  scope: CompiledScope;
  bp: number;
  getBp: number;
  /** Ascending thresholds; `reason` is the applied tier's text, built once rather than per quote. */
  tiers: { threshold: number; amount: number | null; bp: number; reason: string }[];
  components: (CompiledScope & { quantity: number })[];
  startsMs: number | null;
  endsMs: number | null;
  /** The promotion's "what it gives" text, built once (amounts in its own currency). */
  label: string;
  /** Amount-bearing promotions apply only to quotes in their own currency. */
  usesAmounts: boolean;
  channels: Set<string> | null;
  locations: Set<string> | null;
  segments: Set<string> | null;
  consents: string[] | null;
}

/** Promotions filed by their most selective scope key. */
export interface ScopeIndex {
  bySku: Map<string, CompiledPromotion[]>;
  byProduct: Map<string, CompiledPromotion[]>;
  byCategory: Map<string, CompiledPromotion[]>;
  unscoped: CompiledPromotion[];
  /** Unscoped shipping promotions: they look at the whole basket, never at one line. */
  basketWide: CompiledPromotion[];
  /**
   * Per SKU, the candidates found last time with the facts they were found for: a SKU's facts
   * rarely change, so a quote line usually costs one map lookup instead of an index walk.
   */
  memo: Map<string, { product_id: string; category: string; size: string | null; list: CompiledPromotion[] }>;
}

/** Bound on memoised SKUs per channel; past it the memo starts over (a cache, never a leak). */
const MEMO_MAX = 200_000;

export interface PromotionIndex {
  /** Every compiled promotion in evaluation order (rank = position). */
  all: CompiledPromotion[];
  byId: Map<string, CompiledPromotion>;
  /**
   * Per channel, the automatic promotions offered there (coupon-only ones are looked up by the
   * coupons of the quote instead). Built on first use and kept: a pure function of `all`.
   */
  channels: Map<string, ScopeIndex>;
  /** The engine's per-quote scratch for gathering candidates (see CandidateWork). */
  work: CandidateWork;
}

/**
 * Scratch for gathering one quote's candidates without a Map or a sort of promotions per quote: the
 * promotions met are stamped with the quote's generation (a stamp from an earlier quote reads as not
 * met, so nothing is cleared between quotes, even after a throw), each with the lines it covers, and
 * their ranks listed for one numeric sort. Shared by every quote on the index: safe because
 * priceBasket is synchronous, so one quote runs at a time.
 */
export interface CandidateWork {
  gen: number;
  stamp: Uint32Array;
  lines: number[][];
  ranks: Int32Array;
}

/** The active promotions, compiled: what every quote reads instead of querying. */
export interface PromotionSnapshot {
  index: PromotionIndex;
  byId: Map<string, Promotion>;
  /**
   * The pricing version (migration 9800) read in the statement that read these promotions, and their
   * start/end instants (ms, ascending): carts reuse a quote only while both hold (src/carts/quote-reuse.ts).
   */
  version?: string | undefined;
  boundaries?: number[] | undefined;
}

/** The first promotion start or end after `atMs`, or null (the snapshot's boundaries, ascending). */
export function nextBoundary(snap: PromotionSnapshot, atMs: number): number | null {
  for (const b of snap.boundaries ?? []) if (b > atMs) return b;
  return null;
}

const setOrNull = (xs: string[] | undefined): Set<string> | null => (xs && xs.length ? new Set(xs) : null);

export function compileScope(s: ItemScope): CompiledScope {
  return {
    skus: setOrNull(s.skus),
    products: setOrNull(s.products),
    categories: s.categories && s.categories.length ? [...s.categories] : null,
    sizes: setOrNull(s.sizes),
  };
}

export function categoryMatches(category: string, cats: readonly string[]): boolean {
  for (const c of cats)
    if (category === c || (category.length > c.length && category.startsWith(c) && category[c.length] === '/'))
      return true;
  return false;
}

/** What a scope looks at in a line. */
export type LineFacts = Pick<PricedLine, 'sku' | 'product_id' | 'category' | 'size'>;

/** All dimensions must match; within a dimension any listed value does. */
export function scopeMatches(s: CompiledScope, line: LineFacts): boolean {
  if (s.skus && !s.skus.has(line.sku)) return false;
  if (s.products && !s.products.has(line.product_id)) return false;
  if (s.categories && !categoryMatches(line.category, s.categories)) return false;
  if (s.sizes && (line.size === null || !s.sizes.has(line.size))) return false;
  return true;
}

function usesAmounts(r: PromotionRule): boolean {
  const p = r.params;
  return (
    r.kind === 'item_amount' ||
    r.kind === 'basket_amount' ||
    r.kind === 'tiered_spend' ||
    r.kind === 'bundle_price' ||
    r.kind === 'free_shipping' ||
    (r.conditions.min_subtotal ?? 0) > 0 ||
    p.amount !== undefined
  );
}

function labelOf(rule: PromotionRule): string {
  const p = rule.params;
  const m = (n: number | undefined) => formatMoney({ amount: n ?? 0, currency: rule.currency });
  switch (rule.kind) {
    case 'item_percent':
      return `${p.percent}% off`;
    case 'item_amount':
      return `${m(p.amount)} off each unit`;
    case 'basket_percent':
      return `${p.percent}% off the qualifying subtotal`;
    case 'basket_amount':
      return `${m(p.amount)} off the qualifying subtotal`;
    case 'tiered_spend':
      return 'spend tiers';
    case 'buy_x_get_y':
      return `buy ${p.buy ?? 1} get ${p.get ?? 1}${(p.get_percent ?? 100) === 100 ? ' free' : ` at ${p.get_percent}% off`}`;
    case 'bundle_price':
      return `bundle of ${(p.bundle?.components ?? []).map((c) => c.quantity).join('+')} for ${m(p.bundle?.price)}`;
    case 'free_shipping':
      return `free shipping over ${m(p.threshold)}`;
  }
}

function compileTier(t: Tier, currency: string): CompiledPromotion['tiers'][number] {
  const bp = t.percent !== undefined ? toBasisPoints(t.percent) : 0;
  const m = (n: number) => formatMoney({ amount: n, currency });
  const amount = t.amount ?? null;
  // the currency is the quote's: a promotion with amounts applies only to quotes in its own currency
  const what = amount !== null ? m(amount) : `${bp / 100}%`;
  return { threshold: t.threshold, amount, bp, reason: `${what} off for spending over ${m(t.threshold)}` };
}

/** One object literal with every field (no spread): V8 keeps it a fast, fixed-shape object. */
function compileOne(rule: PromotionRule, rank: number): CompiledPromotion {
  const p = rule.params;
  const c = rule.conditions;
  return {
    rule,
    rank,
    id: rule.id,
    name: rule.name,
    kind: rule.kind,
    currency: rule.currency,
    exclusive: rule.stacking.exclusive,
    group: rule.stacking.group,
    couponRequired: rule.coupon_required,
    firstOrder: c.first_order === true,
    minSubtotal: c.min_subtotal ?? 0,
    amount: p.amount ?? 0,
    threshold: p.threshold ?? 0,
    buy: p.buy ?? 1,
    get: p.get ?? 1,
    bundlePrice: p.bundle?.price ?? 0,
    label: labelOf(rule),
    phase: PHASE[rule.kind],
    scope: compileScope(rule.scope),
    bp: p.percent !== undefined ? toBasisPoints(p.percent) : 0,
    getBp: toBasisPoints(p.get_percent ?? 100),
    tiers: (p.tiers ?? []).map((t) => compileTier(t, rule.currency)).sort((a, b) => a.threshold - b.threshold),
    components: (p.bundle?.components ?? []).map((k) => ({ ...compileScope(k), quantity: k.quantity })),
    startsMs: rule.starts_at ? Date.parse(rule.starts_at) : null,
    endsMs: rule.ends_at ? Date.parse(rule.ends_at) : null,
    usesAmounts: usesAmounts(rule),
    channels: setOrNull(c.channels),
    locations: setOrNull(c.locations),
    segments: setOrNull(c.segments),
    consents: c.consents && c.consents.length ? [...c.consents] : null,
  };
}

/** The evaluation order, total and independent of the order rules arrive in. */
export function compareRules(a: PromotionRule, b: PromotionRule): number {
  return (
    PHASE[a.kind] - PHASE[b.kind] ||
    Number(b.stacking.exclusive) - Number(a.stacking.exclusive) ||
    b.stacking.priority - a.stacking.priority ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

function file(map: Map<string, CompiledPromotion[]>, key: string, p: CompiledPromotion): void {
  const list = map.get(key);
  if (list) list.push(p);
  else map.set(key, [p]);
}

function fileByScope(target: ScopeIndex, cp: CompiledPromotion): void {
  // a bundle is found through its components (its own scope is empty by validation)
  const keys: CompiledScope[] = cp.rule.kind === 'bundle_price' ? cp.components : [cp.scope];
  const filed = new Set<string>();
  const fileOnce = (map: Map<string, CompiledPromotion[]>, tag: string, key: string) => {
    if (filed.has(tag + key)) return;
    filed.add(tag + key);
    file(map, key, cp);
  };
  for (const s of keys) {
    if (s.skus) for (const k of s.skus) fileOnce(target.bySku, 's:', k);
    else if (s.products) for (const k of s.products) fileOnce(target.byProduct, 'p:', k);
    else if (s.categories) for (const k of s.categories) fileOnce(target.byCategory, 'c:', k);
    else if (!filed.has('*')) {
      filed.add('*');
      target.unscoped.push(cp);
    }
  }
}

export function compile(rules: readonly PromotionRule[]): PromotionIndex {
  const all = [...rules].sort(compareRules).map((rule, rank) => compileOne(rule, rank));
  return {
    all,
    byId: new Map(all.map((p) => [p.rule.id, p])),
    channels: new Map(),
    work: {
      gen: 0,
      stamp: new Uint32Array(all.length),
      lines: new Array<number[]>(all.length),
      ranks: new Int32Array(all.length),
    },
  };
}

/** Whether the channel's index lists `p` (an automatic promotion offered there). */
export function offeredOn(p: CompiledPromotion, channelId: string): boolean {
  return !p.couponRequired && (!p.channels || p.channels.has(channelId));
}

/** The automatic promotions a channel offers, filed by scope (memoised on the index). */
export function channelIndex(index: PromotionIndex, channelId: string): ScopeIndex {
  let s = index.channels.get(channelId);
  if (!s) {
    s = {
      bySku: new Map(),
      byProduct: new Map(),
      byCategory: new Map(),
      unscoped: [],
      basketWide: [],
      memo: new Map(),
    };
    for (const p of index.all) {
      if (!offeredOn(p, channelId)) continue;
      if (p.phase === 2 && !p.scope.skus && !p.scope.products && !p.scope.categories && !p.scope.sizes)
        s.basketWide.push(p);
      else fileByScope(s, p);
    }
    index.channels.set(channelId, s);
  }
  return s;
}

export function lineInScope(p: CompiledPromotion, line: LineFacts): boolean {
  if (p.kind !== 'bundle_price') return scopeMatches(p.scope, line);
  for (const c of p.components) if (scopeMatches(c, line)) return true;
  return false;
}

/** The promotions of the index whose scope covers the line, in evaluation order. */
export function candidatesOf(s: ScopeIndex, line: LineFacts): readonly CompiledPromotion[] {
  const m = s.memo.get(line.sku);
  if (m && m.product_id === line.product_id && m.category === line.category && m.size === line.size) return m.list;
  const list: CompiledPromotion[] = [];
  const seen = new Set<CompiledPromotion>();
  const take = (found: CompiledPromotion[] | undefined) => {
    if (!found) return;
    for (const p of found) {
      if (seen.has(p)) continue;
      seen.add(p);
      if (lineInScope(p, line)) list.push(p);
    }
  };
  take(s.bySku.get(line.sku));
  take(s.byProduct.get(line.product_id));
  if (s.byCategory.size && line.category) {
    let i = line.category.indexOf('/');
    while (i !== -1) {
      take(s.byCategory.get(line.category.slice(0, i)));
      i = line.category.indexOf('/', i + 1);
    }
    take(s.byCategory.get(line.category));
  }
  take(s.unscoped);
  list.sort((a, b) => a.rank - b.rank);
  if (s.memo.size >= MEMO_MAX) s.memo.clear();
  s.memo.set(line.sku, { product_id: line.product_id, category: line.category, size: line.size, list });
  return list;
}
