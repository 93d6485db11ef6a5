/**
 * Proposals: what each warehouse sends each store at the next delivery, and which store-to-store
 * transfers move excess stock to where the same SKU sells. Proposals only: people confirm them.
 */
import type {
  Proposal,
  RebalanceInput,
  ReplenishmentLine,
  ReplenishmentProposal,
  Result,
  WarehouseStock,
} from './types.js';
import { badInt, badNumber, fail, firstError, ok } from './validate.js';

/** What badInt accepts (no message built). */
const isInt = (v: number, min: number) => Number.isSafeInteger(v) && v >= min;

/**
 * Split `available` units among needs by the largest-remainder (Hamilton) method: each gets the floor
 * of its proportional quota, the units left go one each to the largest fractional parts (ties: the
 * earlier key). No one gets more than their need; everything is given when the needs exceed it.
 */
export function largestRemainder(available: number, needs: { key: string; need: number }[]): Map<string, number> {
  const total = needs.reduce((s, x) => s + x.need, 0);
  const out = new Map<string, number>();
  if (total <= available) {
    for (const x of needs) out.set(x.key, x.need);
    return out;
  }
  const quotas = needs.map((x, i) => {
    const exact = (available * x.need) / total;
    return { key: x.key, i, floor: Math.floor(exact), frac: exact - Math.floor(exact) };
  });
  let left = available - quotas.reduce((s, q) => s + q.floor, 0);
  const order = [...quotas].sort((a, b) => b.frac - a.frac || (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i));
  const extra = new Set<number>();
  for (const q of order) {
    if (left === 0) break;
    extra.add(q.i);
    left--;
  }
  for (const q of quotas) out.set(q.key, q.floor + (extra.has(q.i) ? 1 : 0));
  return out;
}

/**
 * Warehouse → store at the next delivery: a store at or below its min (on hand + in transit) is
 * brought back to its max; when the warehouse has less than the stores need for a SKU it is shared by
 * largest remainder in proportion to need.
 */
export function replenishmentProposals(
  lines: ReplenishmentLine[],
  stock: WarehouseStock[],
): Result<ReplenishmentProposal[]> {
  for (const [i, l] of lines.entries()) {
    // The messages name the field by its place: built only for a line that fails (a run checks
    // millions of lines, and four strings per line cost more than the rule).
    if (isInt(l.min, 0) && isInt(l.max, l.min) && isInt(l.on_hand, 0) && isInt(l.in_transit, 0)) continue;
    const bad = firstError<ReplenishmentProposal[]>(
      badInt(`lines[${i}].min`, l.min, 0),
      badInt(`lines[${i}].max`, l.max, l.min),
      badInt(`lines[${i}].on_hand`, l.on_hand, 0),
      badInt(`lines[${i}].in_transit`, l.in_transit, 0),
    );
    if (bad) return bad;
  }
  // Keyed by warehouse then SKU and by SKU then store: nested maps, no key string made per line (a
  // run sends millions of lines through here), and no two names that join to the same key.
  const available = new Map<string, Map<string, number>>();
  for (const [i, s] of stock.entries()) {
    const e = badInt(`stock[${i}].available`, s.available, 0);
    if (e) return { ok: false, error: e };
    let bySku = available.get(s.warehouse);
    if (!bySku) available.set(s.warehouse, (bySku = new Map()));
    if (bySku.has(s.sku)) return fail(`stock[${i}]`, `warehouse ${s.warehouse} lists SKU ${s.sku} twice`);
    bySku.set(s.sku, s.available);
  }
  const seen = new Map<string, Set<string>>();
  const groupOf = new Map<string, Map<string, { line: ReplenishmentLine; need: number }[]>>();
  // In the order first seen, as the proposals come out.
  const groups: { warehouse: string; sku: string; members: { line: ReplenishmentLine; need: number }[] }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    let stores = seen.get(l.sku);
    if (!stores) seen.set(l.sku, (stores = new Set()));
    if (stores.has(l.store)) return fail(`lines[${i}]`, `store ${l.store} lists SKU ${l.sku} twice`);
    stores.add(l.store);
    const position = l.on_hand + l.in_transit;
    if (position > l.min) continue;
    const need = l.max - position;
    if (need <= 0) continue;
    let bySku = groupOf.get(l.warehouse);
    if (!bySku) groupOf.set(l.warehouse, (bySku = new Map()));
    let members = bySku.get(l.sku);
    if (!members) {
      bySku.set(l.sku, (members = []));
      groups.push({ warehouse: l.warehouse, sku: l.sku, members });
    }
    members.push({ line: l, need });
  }
  const out: ReplenishmentProposal[] = [];
  for (const { warehouse, sku, members } of groups) {
    const shares = largestRemainder(
      available.get(warehouse)?.get(sku) ?? 0,
      members.map((g) => ({ key: g.line.store, need: g.need })),
    );
    for (const g of members) {
      const units = shares.get(g.line.store) ?? 0;
      if (units > 0) out.push({ sku: g.line.sku, from: g.line.warehouse, to: g.line.store, units, needed: g.need });
    }
  }
  return ok(out);
}

/**
 * Store → store rebalancing. A donor's excess is what it holds above its max (stock it will not sell
 * before the next delivery refills it anyway); a receiver is a store at or below its min where the SKU
 * sells (mean demand > 0), needing up to its max. A transfer is proposed only when it arrives before
 * the receiver's next warehouse delivery (otherwise the warehouse gets there first) and moves at least
 * the minimum lot. Greedy: receivers by largest need, each from the donor with most excess, then the
 * shortest lead time (ties: store id) — simple and explainable; not an optimal transport solution.
 */
export function rebalanceProposals(input: RebalanceInput): Result<Proposal[]> {
  const minLot = badInt('min_lot', input.min_lot, 1);
  if (minLot) return { ok: false, error: minLot };
  for (const [i, s] of input.stores.entries()) {
    if (
      isInt(s.min, 0) &&
      isInt(s.max, s.min) &&
      isInt(s.on_hand, 0) &&
      isInt(s.in_transit, 0) &&
      Number.isFinite(s.mean_daily_demand) &&
      s.mean_daily_demand >= 0 &&
      isInt(s.days_to_next_delivery, 0)
    )
      continue;
    const bad = firstError<Proposal[]>(
      badInt(`stores[${i}].min`, s.min, 0),
      badInt(`stores[${i}].max`, s.max, s.min),
      badInt(`stores[${i}].on_hand`, s.on_hand, 0),
      badInt(`stores[${i}].in_transit`, s.in_transit, 0),
      badNumber(`stores[${i}].mean_daily_demand`, s.mean_daily_demand, 0),
      badInt(`stores[${i}].days_to_next_delivery`, s.days_to_next_delivery, 0),
    );
    if (bad) return bad;
  }
  const ld = input.lead_days;
  const leadOf = typeof ld === 'function' ? ld : (from: string, to: string) => ld.get(`${from}>${to}`);
  const bySku = new Map<string, RebalanceInput['stores']>();
  for (const s of input.stores) {
    const g = bySku.get(s.sku);
    if (g) g.push(s);
    else bySku.set(s.sku, [s]);
  }
  const out: Proposal[] = [];
  for (const [sku, stores] of [...bySku].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const excess = new Map(stores.map((s) => [s.store, Math.max(0, s.on_hand - s.max)]));
    const receivers = stores
      .filter((s) => s.mean_daily_demand > 0 && s.on_hand + s.in_transit <= s.min)
      .map((s) => ({ s, need: s.max - (s.on_hand + s.in_transit) }))
      .filter((r) => r.need >= input.min_lot)
      .sort((a, b) => b.need - a.need || cmp(a.s.store, b.s.store));
    // A donor with less excess than a lot can never give, and most stores have none: the candidates
    // are listed once per SKU (filtering all stores for every receiver made a 500-store chain slow).
    const candidates = receivers.length ? stores.filter((d) => excess.get(d.store)! >= input.min_lot) : [];
    for (const r of receivers) {
      if (candidates.length === 0) break;
      let need = r.need;
      const donors = candidates
        .filter((d) => d.store !== r.s.store && excess.get(d.store)! >= input.min_lot)
        .map((d) => ({ id: d.store, lead: leadOf(d.store, r.s.store) }))
        .filter((d): d is { id: string; lead: number } => d.lead !== undefined && d.lead < r.s.days_to_next_delivery)
        .sort((a, b) => excess.get(b.id)! - excess.get(a.id)! || a.lead - b.lead || cmp(a.id, b.id));
      for (const d of donors) {
        const units = Math.min(need, excess.get(d.id)!);
        if (units < input.min_lot) continue;
        out.push({ sku, from: d.id, to: r.s.store, units });
        excess.set(d.id, excess.get(d.id)! - units);
        need -= units;
        if (need < input.min_lot) break;
      }
    }
  }
  return ok(out);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
