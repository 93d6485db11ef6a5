/**
 * Availability reads from the summary (atp-summary-store.ts): one row per SKU, whatever the number
 * of locations, channels or the radius. The location → slot map is cached: slots never change once
 * given, so a cached slot is always right; a location the cache does not know (new, or never stocked)
 * is read from its stock rows in the same statement, so an answer is exact while the cache catches up.
 */
import type { Db, Executor } from '../platform/db/schema.js';
import { promisesOf, shouldProject, type PromiseAt, type SlotPosition } from './atp-summary-rules.js';
import type { PolicyView } from './rules.js';
import * as astore from './atp-summary-store.js';

/** How often at most a read that met unknown locations reloads the slot map. */
const RELOAD_MS = 1000;

export interface SkuPromises {
  /** SKUs with a summary row or a stock row at an unknown location (the rest may not exist). */
  found: Set<string>;
  bySku: Map<string, PromiseAt[]>;
}

/** A batch candidate as the batcher's rules read a stock row: `on_hand` is on_hand − reserved. */
export interface CandidateLevel {
  sku: string;
  location_id: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
}

export class AtpSummaryReader {
  private slots = new Map<string, number>();
  private locationBySlot: (string | undefined)[] = [];
  private maxSlot = 0;
  /** Per allowed-locations list (cached per network snapshot by the caller) and slot map: its slot mask. */
  private readonly masks = new WeakMap<
    readonly string[],
    { slots: Map<string, number>; allowed: boolean[]; unslotted: string[] }
  >();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;

  constructor(private readonly db: Db) {}

  /**
   * Per SKU, what the channel may promise at each of `locations` (those with something to promise).
   * `trx`: the caller's transaction; the read goes through it.
   */
  async promises(
    skus: readonly string[],
    locations: readonly string[],
    policy: Pick<PolicyView, 'safety_stock' | 'buffer_pct'>,
    trx?: Executor,
    /** Outside a transaction: where the summary is read (the replica's pool, db/replica.ts). */
    read?: Db,
  ): Promise<SkuPromises> {
    // Outside a transaction, unknown locations make the slot map reload (at most every RELOAD_MS;
    // monotonic wall time, not the injected clock: it paces a cache, never changes an answer). Inside
    // one the map is not reloaded: it could see the caller's uncommitted slots.
    if (!trx && locations.some((id) => !this.slots.has(id)) && performance.now() - this.loadedAt >= RELOAD_MS)
      await this.reload();
    const slots = this.slots;
    const maxSlot = this.maxSlot;
    const slotted: { location_id: string; slot: number }[] = [];
    const unslotted: string[] = [];
    for (const id of locations) {
      const s = slots.get(id);
      if (s === undefined) unslotted.push(id);
      else slotted.push({ location_id: id, slot: s });
    }
    const project = shouldProject(slotted.length, maxSlot);
    const positions: SlotPosition[] = project
      ? slotted.map((s, i) => ({ location_id: s.location_id, index: i }))
      : slotted.map((s) => ({ location_id: s.location_id, index: s.slot - 1 }));
    const rows = await astore.readSummaries(
      trx ?? read ?? this.db,
      skus,
      project ? slotted.map((s) => s.slot) : undefined,
      unslotted,
    );
    const found = new Set<string>();
    const bySku = new Map<string, PromiseAt[]>();
    for (const r of rows) {
      found.add(r.sku);
      const at = r.location_id
        ? promisesOf(r.free, r.safety, [{ location_id: r.location_id, index: 0 }], policy)
        : promisesOf(r.free, r.safety, positions, policy);
      const list = bySku.get(r.sku);
      if (list) list.push(...at);
      else bySku.set(r.sku, at);
    }
    return { found, bySku };
  }

  /**
   * The hot-SKU batcher's unlocked candidates, from one summary row per SKU: per SKU the `limit`
   * allowed locations with the most to promise, ties broken by location id — the rows
   * `topCandidates` reads from every stock row of the SKU, as long as the summary equals the stock
   * rows (kept so in the writers' transactions; the caller re-reads stock rows wherever these do not
   * cover the asks, and the grants are re-planned on the locked rows in any case).
   */
  async candidates(
    wants: readonly { sku: string; limit: number }[],
    allowed: readonly string[],
    channelSafety: number,
  ): Promise<CandidateLevel[]> {
    if (allowed.some((id) => !this.slots.has(id)) && performance.now() - this.loadedAt >= RELOAD_MS)
      await this.reload();
    let mask = this.masks.get(allowed);
    if (!mask || mask.slots !== this.slots) {
      const m: boolean[] = new Array<boolean>(this.maxSlot).fill(false);
      const unslotted: string[] = [];
      for (const id of allowed) {
        const s = this.slots.get(id);
        if (s === undefined) unslotted.push(id);
        else m[s - 1] = true;
      }
      mask = { slots: this.slots, allowed: m, unslotted };
      this.masks.set(allowed, mask);
    }
    const rows = await astore.summaryCandidates(this.db, wants, mask.allowed, mask.unslotted, channelSafety);
    const limit = new Map(wants.map((w) => [w.sku, w.limit]));
    const bySku = new Map<string, CandidateLevel[]>();
    for (const r of rows) {
      const location_id = r.location_id ?? this.locationBySlot[r.slot!];
      if (!location_id) continue;
      const level = { sku: r.sku, location_id, on_hand: r.free, reserved: 0, safety_stock: r.safety };
      const list = bySku.get(r.sku);
      if (list) list.push(level);
      else bySku.set(r.sku, [level]);
    }
    const promise = (l: CandidateLevel) => l.on_hand - Math.max(l.safety_stock, channelSafety);
    return [...bySku].flatMap(([sku, list]) =>
      list
        .filter((l) => promise(l) > 0)
        .sort((a, b) => promise(b) - promise(a) || (a.location_id < b.location_id ? -1 : 1))
        .slice(0, limit.get(sku)),
    );
  }

  /**
   * Outside a transaction: the location → slot map, reloaded first (at most every RELOAD_MS) when
   * one of `locations` has no slot in it. Slots never change once given.
   */
  async slotsFor(locations: readonly string[]): Promise<ReadonlyMap<string, number>> {
    if (locations.some((id) => !this.slots.has(id)) && performance.now() - this.loadedAt >= RELOAD_MS)
      await this.reload();
    return this.slots;
  }

  private reload(): Promise<void> {
    this.loading ??= astore
      .allSlots(this.db)
      .then((rows) => {
        this.slots = new Map(rows.map((r) => [r.location_id, r.slot]));
        this.maxSlot = rows.reduce((m, r) => Math.max(m, r.slot), 0);
        this.locationBySlot = [];
        for (const r of rows) this.locationBySlot[r.slot] = r.location_id;
        this.loadedAt = performance.now();
      })
      .finally(() => (this.loading = undefined));
    return this.loading;
  }
}
