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
import { pickBest, type FieldLocations } from './summary-pick.js';

/** How often at most a read that met unknown locations reloads the slot map. */
export const RELOAD_MS = 1000;

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

/** Which field of a packed summary array is which allowed location (see `maskOf`). */
interface SlotMask {
  slots: Map<string, number>;
  at: FieldLocations;
  /** the slots shipped, in field order; undefined: whole arrays */
  picked: number[] | undefined;
  unslotted: string[];
}

export class AtpSummaryReader {
  private slots = new Map<string, number>();
  private maxSlot = 0;
  /** Per allowed-locations list (cached per network snapshot by the caller) and slot map: its slot mask. */
  private readonly masks = new WeakMap<readonly string[], SlotMask>();
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
    const mask = this.maskOf(allowed);
    // the pick runs here (summary-pick.ts): PostgreSQL only ships the arrays
    const rows = await astore.readPacked(
      this.db,
      wants.map((w) => w.sku),
      mask.picked,
      mask.unslotted,
    );
    const limit = new Map(wants.map((w) => [w.sku, w.limit]));
    const bySku = new Map<string, CandidateLevel[]>();
    for (const r of rows) {
      const lim = limit.get(r.sku) ?? 0;
      const at = r.location_id ? [r.location_id] : mask.at;
      const list = bySku.get(r.sku) ?? [];
      for (const c of pickBest(r.free, r.safety, at, channelSafety, lim))
        list.push({ sku: r.sku, location_id: c.location_id, on_hand: c.free, reserved: 0, safety_stock: c.safety });
      bySku.set(r.sku, list);
    }
    const promise = (l: CandidateLevel) => l.on_hand - Math.max(l.safety_stock, channelSafety);
    // a SKU with unslotted locations has several lists: merged in the same order
    return [...bySku].flatMap(([sku, list]) =>
      list.length <= 1
        ? list
        : list
            .sort((a, b) => promise(b) - promise(a) || (a.location_id < b.location_id ? -1 : 1))
            .slice(0, limit.get(sku)),
    );
  }

  /**
   * Per allowed-locations list (cached per network snapshot by the caller) and slot map: which field
   * of a packed summary array is which allowed location. A channel selling from few of the
   * locations has only its slots shipped (`picked`, as the availability reads do).
   */
  private maskOf(allowed: readonly string[]): SlotMask {
    const held = this.masks.get(allowed);
    if (held && held.slots === this.slots) return held;
    const unslotted: string[] = [];
    const slotted: { id: string; slot: number }[] = [];
    for (const id of allowed) {
      const s = this.slots.get(id);
      if (s === undefined) unslotted.push(id);
      else slotted.push({ id, slot: s });
    }
    let mask: SlotMask;
    if (shouldProject(slotted.length, this.maxSlot)) {
      mask = { slots: this.slots, at: slotted.map((x) => x.id), picked: slotted.map((x) => x.slot), unslotted };
    } else {
      const at: (string | undefined)[] = new Array<string | undefined>(this.maxSlot).fill(undefined);
      for (const x of slotted) at[x.slot - 1] = x.id;
      mask = { slots: this.slots, at, picked: undefined, unslotted };
    }
    this.masks.set(allowed, mask);
    return mask;
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
        this.loadedAt = performance.now();
      })
      .finally(() => (this.loading = undefined));
    return this.loading;
  }
}
