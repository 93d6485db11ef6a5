/**
 * Availability answers (GET /v1/availability, POST /v1/availability/query and every in-process
 * caller of InventoryService.availability), from summary rows cached per SKU by their version.
 *
 * A read outside a transaction asks the database for the SKUs' summary-row versions in one
 * statement; a row whose version is the one held comes back without its arrays, and the answer is
 * made from the held arrays (and, for a whole-channel answer, is the held JSON string itself). Every
 * write of a summary row takes a new version from a sequence in the writer's transaction
 * (atp-summary-store.ts, migration 9551), so an answer is never older than the row read in that
 * statement: exactly as fresh as reading the row itself, whichever process wrote it. Read-your-writes
 * is unchanged: the version is read from the executor the replica router chose (db/replica.ts).
 *
 * Inside a transaction nothing is cached or served from the cache (its reads may see its own
 * uncommitted rows, which may roll back): the summary is read through the caller's transaction as
 * before (`AtpSummaryReader.promises`). A location without a slot yet takes that path too.
 *
 * A total answer (`fields=total`, `totals`/`totalJson`) reads the same versions and rows: it is the
 * sum and count of the promises the full answer lists (`promisedTotal`), made without the list, its
 * sort or its JSON; a whole-channel total's ~80-byte JSON is kept with the held row next to the full one.
 *
 * Memory: at most OMNIA_AVAILABILITY_CACHE_MB (default 32) of arrays and JSON, least recently used
 * first out; a row is held from its second read of one version on (a row read once costs only collection). A SKU's row at 500 locations is 4 KB of arrays plus its ~26 KB answer per channel.
 */
import type { Db, Executor } from '../platform/db/schema.js';
import { problems } from '../platform/http/problems.js';
import type { ReadRouter } from '../platform/db/replica.js';
import { distanceKm, type Channel, type NetworkSnapshot } from '../network/index.js';
import type { AtpSummaryReader } from './atp-summary.js';
import { readVersioned } from './atp-summary-store.js';
import { shouldProject } from './atp-summary-rules.js';
import {
  answerJson,
  answerObject,
  answerView,
  pointOrder,
  promised,
  promisedTotal,
  totalJson,
  totalOf,
  unpackInts,
  type AnswerView,
  type AvailabilityTotal,
  type PointOrder,
} from './answer-cache-rules.js';
import { uncachedAnswers } from './answer-uncached.js';
import type { InventoryNetworkPort } from './ports.js';
import { policyOf, stockHolding, type SkuCheck } from './shared.js';
import type { Availability, AvailabilityQuery } from './types.js';

export interface AvailabilityOptions {
  trx?: Executor | undefined;
  /** The summary may come from the replica, except behind the caller's own recent write. */
  lagOk?: { key?: string | undefined; writtenAt?: Date | undefined } | undefined;
}

/** A SKU's summary row as held: its version, arrays, and whole-channel answers made from them. */
interface Held {
  version: string;
  /** Indexed by slot − 1; a partial row holds only the slots marked in `have`. */
  free: Int32Array;
  safety: Int32Array;
  whole: boolean;
  have: Uint8Array | undefined;
  /** Whole-channel answers made of this version, full or total (`fields=total`), per view. */
  json: { view: AnswerView; total: boolean; text: string }[];
  bytes: number;
}

/** Whole-channel answers kept per SKU (channels asking for the same SKU). */
const JSON_PER_SKU = 4;
/** SKUs remembered as read once (a few MB at most), forgotten all at once past it. */
const SEEN = 100_000;
/** Points whose location order a view keeps (a store locator's few centres, a city's shoppers). */
const POINTS_PER_VIEW = 256;

interface ChannelView {
  /** The locations the channel sells from (the service's list, before any radius). */
  ids: string[];
  /** Null while one of them has no slot (read through the stock rows instead). */
  view: AnswerView | null;
  lat: Float64Array;
  lng: Float64Array;
  points: Map<string, NearPoint>;
}

/** A point's order, and the slots to read when they are few (else whole rows). */
interface NearPoint {
  order: PointOrder;
  pick: number[] | undefined;
}

/** Values read for `pick`'s slots (in its order) written into a held row (grown to reach them). */
function scatter(h: Held, pick: readonly number[], free: Int32Array, safety: Int32Array): void {
  const width = pick.reduce((m, slot) => Math.max(m, slot), 0);
  if (width > h.free.length) {
    const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T) => {
      const b = make(width);
      b.set(a);
      return b;
    };
    h.free = grow(h.free, (n) => new Int32Array(n));
    h.safety = grow(h.safety, (n) => new Int32Array(n));
    h.have = grow(h.have!, (n) => new Uint8Array(n));
  }
  for (let j = 0; j < pick.length; j++) {
    const i = pick[j]! - 1;
    h.free[i] = free[j] ?? 0;
    h.safety[i] = safety[j] ?? 0;
    h.have![i] = 1;
  }
}

export class AvailabilityAnswers {
  private readonly held = new Map<string, Held>();
  /** SKUs read once, with the version read: a second read of that version holds the row. */
  private readonly seen = new Map<string, string>();
  private heldBytes = 0;
  private readonly budget: number;
  /** Summary rows read with their arrays (`shipped`) and without, the held ones answering (`reused`). */
  readonly stats = { shipped: 0, reused: 0 };
  /** Per channel object (so per network snapshot): its locations and view. */
  private readonly channels = new WeakMap<Channel, ChannelView>();
  /** Views interned by what they hold, so a snapshot reload that changed nothing keeps the JSON held. */
  private readonly views = new Map<string, AnswerView>();

  constructor(
    private readonly deps: {
      db: Db;
      network: InventoryNetworkPort;
      skus: SkuCheck;
      atp: AtpSummaryReader;
      reads: () => ReadRouter | undefined;
    },
    opts: { budgetBytes?: number } = {},
  ) {
    this.budget = opts.budgetBytes ?? Number(process.env.OMNIA_AVAILABILITY_CACHE_MB ?? 32) * 2 ** 20;
  }

  /** What a channel may promise per SKU, in total and per location (nearest first around a point). */
  async availability(q: AvailabilityQuery, opts: AvailabilityOptions = {}): Promise<Availability[]> {
    const r = await this.answer(q, opts);
    return r.fallback ?? r.skus.map((sku) => r.object(sku));
  }

  /** The same answers as JSON texts, one per distinct SKU, as the response schema writes them. */
  async json(q: AvailabilityQuery, opts: AvailabilityOptions = {}): Promise<string[]> {
    const r = await this.answer(q, opts);
    return r.fallback ? r.fallback.map((a) => JSON.stringify(a)) : r.skus.map((sku) => r.json(sku, false));
  }

  /**
   * The total answers (`fields=total`): each SKU's `available` and the count of the locations its full
   * answer lists, from the same rows, without making the list (answer-cache-rules.ts promisedTotal).
   */
  async totals(q: AvailabilityQuery, opts: AvailabilityOptions = {}): Promise<AvailabilityTotal[]> {
    const r = await this.answer(q, opts);
    return r.fallback ? r.fallback.map(totalOf) : r.skus.map((sku) => r.total(sku));
  }

  /** The total answers as JSON texts (AvailabilityTotalSchema), a whole-channel one kept with the row. */
  async totalJson(q: AvailabilityQuery, opts: AvailabilityOptions = {}): Promise<string[]> {
    const r = await this.answer(q, opts);
    return r.fallback ? r.fallback.map((a) => JSON.stringify(totalOf(a))) : r.skus.map((sku) => r.json(sku, true));
  }

  private async answer(q: AvailabilityQuery, opts: AvailabilityOptions) {
    const channel = await this.deps.network.requireChannel(q.channel, opts);
    const snap = await this.deps.network.snapshot(opts);
    const near = q.lat !== undefined && q.lng !== undefined;
    if ((q.lat === undefined) !== (q.lng === undefined))
      throw problems.field(q.lat === undefined ? 'lat' : 'lng', 'lat and lng go together');
    if (q.radius_km !== undefined && !near) throw problems.field('radius_km', 'needs lat and lng');
    const skus = [...new Set(q.skus)];
    const cv = opts.trx ? undefined : await this.channelView(channel, snap);
    if (!cv?.view) return { fallback: await uncachedAnswers(this.deps, channel, snap, q, skus, opts), skus };
    const view = cv.view;
    const point = near ? this.pointOf(cv, view, q.lat!, q.lng!, q.radius_km) : undefined;
    const at = point?.order;
    let rows = new Map<string, Held>();
    if (view.ids.length && (!point || point.order.at.length)) {
      const router = opts.lagOk ? this.deps.reads() : undefined;
      rows = await this.rows(router ? await router.reader(opts.lagOk) : this.deps.db, skus, view, point);
    }
    const missing = skus.filter((s) => !rows.has(s));
    if (missing.length) await this.deps.skus.require(missing);
    const none = { free: new Int32Array(0), safety: new Int32Array(0) };
    return {
      fallback: undefined,
      skus,
      object: (sku: string) => {
        const h = rows.get(sku) ?? none;
        return answerObject(sku, channel.code, view, promised(view, h.free, h.safety, at), at);
      },
      total: (sku: string): AvailabilityTotal => {
        const h = rows.get(sku) ?? none;
        const t = promisedTotal(view, h.free, h.safety, at);
        return { sku, channel: channel.code, available: t.sum, location_count: t.n };
      },
      json: (sku: string, total: boolean) => {
        const h = rows.get(sku);
        const make = (free: Int32Array, safety: Int32Array) =>
          total
            ? totalJson(sku, view, promisedTotal(view, free, safety, at))
            : answerJson(sku, view, promised(view, free, safety, at), at);
        if (!h) return make(none.free, none.safety);
        if (at) return make(h.free, h.safety);
        const kept = h.json.find((j) => j.view === view && j.total === total);
        if (kept) return kept.text;
        const text = make(h.free, h.safety);
        this.keepJson(sku, h, view, total, text);
        return text;
      },
    };
  }

  /**
   * The summary rows of `skus` as held or read. A held row answers when its version is the row's and
   * it holds the slots wanted (all of them, or the point's). Otherwise the row's arrays are shipped —
   * whole, or only the point's slots when they are few (`shouldProject`, as `AtpSummaryReader`) —
   * and merged into the held row when its version is the same (the same content).
   */
  private async rows(read: Executor, skus: string[], view: AnswerView, point: NearPoint | undefined) {
    const pick = point?.pick;
    const before = skus.map((s) => this.held.get(s));
    const covers = (h: Held | undefined) => !!h && (h.whole || (!!pick && pick.every((slot) => h.have![slot - 1])));
    const got = await readVersioned(
      read,
      skus,
      before.map((h) => (covers(h) ? h!.version : null)),
      pick,
    );
    const heldBefore = new Map(skus.map((s, i) => [s, before[i]]));
    const rows = new Map<string, Held>();
    for (const g of got) {
      const was = heldBefore.get(g.sku);
      if (g.free === null && was?.version === g.version) {
        rows.set(g.sku, was);
        this.touch(g.sku, was);
        this.stats.reused++;
        continue;
      }
      this.stats.shipped++;
      const free = unpackInts(g.free ?? '');
      const safety = unpackInts(g.safety ?? '');
      if (pick && was?.version === g.version && !was.whole) {
        // the same content: the point's slots join those held
        scatter(was, pick, free, safety);
        rows.set(g.sku, was);
        this.touch(g.sku, was);
        continue;
      }
      let h: Held;
      if (pick) {
        h = this.hold(g.sku, g.version, new Int32Array(view.width), new Int32Array(view.width), false);
        scatter(h, pick, free, safety);
      } else h = this.hold(g.sku, g.version, free, safety, true);
      rows.set(g.sku, h);
      // A whole row is held from its second read on (or at once when an older version was held): a
      // row read once and never again (a crawler, a cold catalogue) would only cost collection to
      // keep, with its ~26 KB answer. The point's few slots are held at once.
      if (pick || was || this.seen.get(g.sku) === g.version) {
        this.seen.delete(g.sku);
        this.touch(g.sku, h);
      } else {
        if (this.seen.size >= SEEN) this.seen.clear();
        this.seen.set(g.sku, g.version);
      }
    }
    return rows;
  }

  /** The channel's locations and view for this snapshot, rebuilt when the slot map changes. */
  private async channelView(channel: Channel, snap: NetworkSnapshot): Promise<ChannelView> {
    let cv = this.channels.get(channel);
    if (!cv) {
      const policy = policyOf(channel);
      const ids =
        policy.locations === 'all'
          ? stockHolding(snap)
          : policy.locations.filter((id) => snap.locationById.get(id)?.active);
      const lat = Float64Array.from(ids, (id) => snap.locationById.get(id)!.lat);
      const lng = Float64Array.from(ids, (id) => snap.locationById.get(id)!.lng);
      cv = { ids, view: null, lat, lng, points: new Map() };
      this.channels.set(channel, cv);
    }
    // Slots never change once given, so a view once complete stays right for this snapshot.
    if (cv.view) return cv;
    const slots = await this.deps.atp.slotsFor(cv.ids);
    if (cv.ids.some((id) => !slots.has(id))) return cv;
    const policy = policyOf(channel);
    const key = JSON.stringify([
      channel.code,
      policy.safety_stock,
      policy.buffer_pct,
      cv.ids,
      cv.ids.map((id) => slots.get(id)),
    ]);
    let view = this.views.get(key);
    if (!view) {
      view = answerView(channel.code, cv.ids, (id) => slots.get(id)!, policy);
      if (this.views.size >= 64) this.views.clear();
      this.views.set(key, view);
    }
    cv.view = view;
    return cv;
  }

  private pointOf(cv: ChannelView, view: AnswerView, lat: number, lng: number, radius: number | undefined): NearPoint {
    const key = `${lat},${lng},${radius}`;
    let p = cv.points.get(key);
    if (!p) {
      const dist = new Float64Array(view.ids.length);
      for (let i = 0; i < dist.length; i++) dist[i] = distanceKm(lat, lng, cv.lat[i]!, cv.lng[i]!);
      const order = pointOrder(view, dist, radius);
      const pick = shouldProject(order.at.length, view.width)
        ? Array.from(order.at, (i) => view.index[i]! + 1)
        : undefined;
      p = { order, pick };
      if (cv.points.size >= POINTS_PER_VIEW) cv.points.clear();
      cv.points.set(key, p);
    }
    return p;
  }

  private hold(sku: string, version: string, free: Int32Array, safety: Int32Array, whole: boolean): Held {
    const have = whole ? undefined : new Uint8Array(free.length);
    const bytes = 64 + sku.length + 4 * (free.length + safety.length) + (have?.length ?? 0);
    return { version, free, safety, whole, have, json: [], bytes };
  }

  /** `h` becomes the held row of `sku` (newest in the LRU order); the oldest go past the budget. */
  private touch(sku: string, h: Held): void {
    const old = this.held.get(sku);
    if (old) {
      this.held.delete(sku);
      this.heldBytes -= old.bytes;
    }
    this.held.set(sku, h);
    this.heldBytes += h.bytes;
    this.evict();
  }

  private keepJson(sku: string, h: Held, view: AnswerView, total: boolean, text: string): void {
    if (this.held.get(sku) !== h) return; // read once, not held
    if (h.json.length >= JSON_PER_SKU) {
      const out = h.json.shift()!.text.length;
      h.bytes -= out;
      this.heldBytes -= out;
    }
    h.json.push({ view, total, text });
    h.bytes += text.length;
    this.heldBytes += text.length;
    this.evict();
  }

  private evict(): void {
    for (const [sku, h] of this.held) {
      if (this.heldBytes <= this.budget) return;
      this.held.delete(sku);
      this.heldBytes -= h.bytes;
    }
  }
}
