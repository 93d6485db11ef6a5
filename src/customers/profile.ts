/**
 * Reading a person: the 360 view, the inputs of segment conditions, and recommendations. Everything
 * is computed at read time from the roll-ups (a handful of indexed reads per person), so metrics are
 * as fresh as the last committed event or order.
 */
import type { Executor } from '../platform/db/schema.js';
import * as ids from './identity-store.js';
import * as store from './profile-store.js';
import { computeMetrics, topValues, type OrderFact, type TouchFact } from './metrics-rules.js';
import type { SegmentSubject } from './segment-rules.js';
import type {
  ChannelKind,
  Consent,
  ConsentPurpose,
  Customer360,
  IdentifierKind,
  Recommendation,
  Traits,
} from './types.js';
import type { AvailabilityLookup } from './ports.js';

interface Facts {
  touches: TouchFact[];
  orders: (OrderFact & { order_id: string })[];
  views: { product_id: string; views: number; last_viewed_at: Date; category: string | null; size: string | null }[];
  purchased: Set<string>;
  affinities: { kind: string; value: string; weight: number }[];
  consents: Consent[];
}

/**
 * Loads the facts of many people at once: `memberOf` maps each row id to its person (root). The
 * reads run in parallel (one pool connection each); `metrics: false` skips days and orders.
 */
async function loadFacts(
  db: Executor,
  memberOf: Map<string, string>,
  opts: { metrics?: boolean } = {},
): Promise<Map<string, Facts>> {
  const rowIds = [...memberOf.keys()];
  const out = new Map<string, Facts>();
  for (const root of new Set(memberOf.values()))
    out.set(root, { touches: [], orders: [], views: [], purchased: new Set(), affinities: [], consents: [] });
  if (rowIds.length === 0) return out;
  const metrics = opts.metrics ?? true;
  const [t, o, v, a, c, p] = await Promise.all([
    metrics ? store.touches(db, rowIds) : [],
    metrics ? store.orders(db, rowIds) : [],
    store.views(db, rowIds),
    store.affinities(db, rowIds),
    store.consents(db, rowIds),
    store.purchases(db, rowIds),
  ]);
  const f = (id: string) => out.get(memberOf.get(id)!)!;
  for (const r of t)
    f(r.customer_id).touches.push({
      day: r.day,
      channel: r.channel,
      channel_kind: r.channel_kind as ChannelKind,
      first_at: r.first_at,
      last_at: r.last_at,
    });
  for (const r of o) {
    // spend is net of refunds
    f(r.customer_id).orders.push({
      order_id: r.order_id,
      placed_at: r.placed_at,
      amount: Math.max(0, r.amount - r.refunded),
      currency: r.currency,
      channel: r.channel,
      channel_kind: r.channel_kind as ChannelKind,
      cancelled: r.status === 'cancelled',
      returns: r.returns_count,
    });
  }
  for (const r of v) f(r.customer_id).views.push(r);
  for (const r of a) f(r.customer_id).affinities.push(r);
  for (const r of p) f(r.customer_id).purchased.add(r.product_id);
  // Consents live on the row they were given to; after a merge the latest answer per purpose wins.
  const latest = new Map<string, Map<string, Consent>>();
  for (const r of c) {
    const root = memberOf.get(r.customer_id)!;
    const m = latest.get(root) ?? new Map<string, Consent>();
    const prior = m.get(r.purpose);
    if (!prior || prior.updated_at < r.updated_at.toISOString())
      m.set(r.purpose, {
        purpose: r.purpose as ConsentPurpose,
        granted: r.granted,
        source: r.source,
        updated_at: r.updated_at.toISOString(),
      });
    latest.set(root, m);
  }
  for (const [root, m] of latest)
    out.get(root)!.consents = [...m.values()].sort((x, y) => x.purpose.localeCompare(y.purpose));
  return out;
}

/** Affinity rows (carts, visits, orders) plus one weight per product view. */
function weights(f: Facts, kind: 'size' | 'category' | 'store'): { value: string; weight: number }[] {
  const out = f.affinities.filter((a) => a.kind === kind).map((a) => ({ value: a.value, weight: a.weight }));
  if (kind !== 'store') for (const v of f.views) if (v[kind]) out.push({ value: v[kind]!, weight: v.views });
  return out;
}

function traitsOf(f: Facts): Traits {
  const of = (kind: 'size' | 'category' | 'store') => weights(f, kind);
  return {
    preferred_sizes: topValues(of('size'), 2),
    preferred_store: topValues(of('store'), 1)[0] ?? null,
    favourite_categories: topValues(of('category'), 3),
  };
}

function viewedNotBought(f: Facts, limit = 20) {
  const agg = new Map<string, Facts['views'][number]>();
  for (const v of f.views) {
    if (f.purchased.has(v.product_id)) continue;
    const prior = agg.get(v.product_id);
    agg.set(
      v.product_id,
      prior
        ? {
            ...prior,
            views: prior.views + v.views,
            last_viewed_at: prior.last_viewed_at > v.last_viewed_at ? prior.last_viewed_at : v.last_viewed_at,
          }
        : { ...v },
    );
  }
  return [...agg.values()]
    .sort((a, b) => b.last_viewed_at.getTime() - a.last_viewed_at.getTime() || a.product_id.localeCompare(b.product_id))
    .slice(0, limit);
}

/** The 360 view of the person any of their ids (also a merged one) names. */
export async function build360(db: Executor, id: string, now: Date): Promise<Customer360 | undefined> {
  const rows = await ids.personOf(db, id);
  const rootRow = rows.find((r) => r.id === r.root_id);
  if (!rootRow || rootRow.status !== 'active') return undefined;
  const root = rootRow.id;
  const memberOf = new Map(rows.map((r) => [r.id, root]));
  const [facts, idents] = await Promise.all([
    loadFacts(db, memberOf),
    ids.identifiersOf(
      db,
      rows.map((r) => r.id),
    ),
  ]);
  const f = facts.get(root)!;
  return {
    id: root,
    status: 'active',
    merged_ids: rows.filter((r) => r.id !== root).map((r) => r.id),
    first_name: rootRow.first_name,
    last_name: rootRow.last_name,
    has_account: rows.some((r) => r.password_hash !== null),
    identifiers: idents.map((i) => ({
      kind: i.kind as IdentifierKind,
      value: i.value,
      verified: i.verified,
      source: i.source,
      linked_at: i.created_at.toISOString(),
    })),
    consents: f.consents,
    traits: traitsOf(f),
    metrics: computeMetrics({ now, touches: f.touches, orders: f.orders }),
    recent_orders: f.orders.slice(0, 10).map((o) => ({
      order_id: o.order_id,
      channel: o.channel,
      placed_at: o.placed_at.toISOString(),
      total: { amount: o.amount, currency: o.currency },
      status: o.cancelled ? 'cancelled' : 'placed',
    })),
    viewed_not_bought: viewedNotBought(f).map((v) => ({
      product_id: v.product_id,
      views: v.views,
      last_viewed_at: v.last_viewed_at.toISOString(),
    })),
    created_at: rootRow.created_at.toISOString(),
  };
}

/** Segment subjects for a page of people (roots). */
export async function subjects(db: Executor, roots: string[], now: Date): Promise<Map<string, SegmentSubject>> {
  const rows = await ids.membersOfRoots(db, roots);
  const facts = await loadFacts(db, new Map(rows.map((r) => [r.id, r.root_id])));
  const out = new Map<string, SegmentSubject>();
  for (const [root, f] of facts) {
    out.set(root, {
      metrics: computeMetrics({ now, touches: f.touches, orders: f.orders }),
      traits: traitsOf(f),
      viewedCategories: [...new Set(f.views.map((v) => v.category).filter((c): c is string => c !== null))],
      consents: f.consents.filter((c) => c.granted).map((c) => c.purpose),
    });
  }
  return out;
}

/** Consent of a person for one purpose: the latest answer across their rows; none means no. */
export async function consentOf(db: Executor, root: string, purpose: ConsentPurpose): Promise<boolean> {
  const rows = await ids.members(db, root);
  const list = (
    await store.consents(
      db,
      rows.map((r) => r.id),
    )
  )
    .filter((c) => c.purpose === purpose)
    .sort((a, b) => b.updated_at.getTime() - a.updated_at.getTime());
  return list[0]?.granted ?? false;
}

export const RECOMMENDATION_LIMIT = 20;

/**
 * Items bought together with what the person bought, then products they viewed and did not buy;
 * each in their preferred size when the product has sizes, and only SKUs with stock for the
 * channel. A person who withdrew personalisation consent gets no personal list.
 */
export async function recommend(
  db: Executor,
  id: string,
  deps: { availability?: AvailabilityLookup | undefined; channel?: string | undefined },
): Promise<{ customer_id: string; personalised: boolean; items: Recommendation[] } | undefined> {
  const rows = await ids.personOf(db, id);
  const root = rows.find((r) => r.id === r.root_id && r.status === 'active')?.id;
  if (!root) return undefined;
  const memberOf = new Map(rows.map((r) => [r.id, root]));
  const f = (await loadFacts(db, memberOf, { metrics: false })).get(root)!;
  if (f.consents.some((c) => c.purpose === 'personalisation' && !c.granted))
    return { customer_id: root, personalised: false, items: [] };
  const purchased = [...f.purchased];
  const pairs = await store.pairsFor(db, purchased, 50);
  const candidates: { product_id: string; reason: Recommendation['reason']; score: number }[] = [];
  for (const p of pairs)
    if (!f.purchased.has(p.other_id))
      candidates.push({ product_id: p.other_id, reason: 'bought_together', score: p.score });
  for (const v of viewedNotBought(f, 30))
    if (!candidates.some((c) => c.product_id === v.product_id))
      candidates.push({ product_id: v.product_id, reason: 'viewed_not_bought', score: v.views });
  if (candidates.length === 0) return { customer_id: root, personalised: true, items: [] };

  const sizes = traitsOf(f).preferred_sizes;
  const skuRows = await store.skusOf(
    db,
    candidates.map((c) => c.product_id),
  );
  const byProduct = new Map<string, { sku: string; size: string | null }[]>();
  for (const s of skuRows) byProduct.set(s.product_id, [...(byProduct.get(s.product_id) ?? []), s]);
  const chosen: { c: (typeof candidates)[number]; skus: string[] }[] = [];
  for (const c of candidates) {
    const skus = byProduct.get(c.product_id) ?? [];
    const sized = skus.filter((s) => s.size !== null);
    // a product sold in sizes is shown only in the person's size; one without sizes as it is
    const fit = sizes.length && sized.length ? sized.filter((s) => sizes.includes(s.size!)) : skus;
    if (sizes.length && sized.length && fit.length === 0) continue;
    chosen.push({ c, skus: fit.map((s) => s.sku) });
  }
  let stock: Map<string, number> | undefined;
  const allSkus = chosen.flatMap((x) => x.skus);
  if (deps.availability && allSkus.length) {
    // without an answer from inventory the list is still served, unfiltered, rather than failing
    stock = await deps.availability.available(allSkus, deps.channel).catch(() => undefined);
  }
  const items: Recommendation[] = [];
  for (const { c, skus } of chosen) {
    const inStock = stock ? skus.filter((s) => (stock!.get(s) ?? 0) > 0) : skus;
    if (stock && skus.length > 0 && inStock.length === 0) continue;
    items.push({ product_id: c.product_id, sku: inStock[0] ?? null, reason: c.reason, score: c.score });
    if (items.length >= RECOMMENDATION_LIMIT) break;
  }
  return { customer_id: root, personalised: true, items };
}
