/**
 * The hot-SKU path (issue 4, point 4). A flash sale sends hundreds of concurrent single-line
 * reservations for one SKU; one transaction each serialises on that row's lock, and a bare
 * `UPDATE … ; COMMIT` on one row manages about 5,100/s from one connection and 1,800/s from 64
 * contending ones on a 2-core machine. So single-line requests of one channel that arrive while
 * that channel's batches are in flight queue up and go together in the next one: lock the candidate
 * rows of all their SKUs in one statement in (SKU, location) order, grant FIFO what fits per SKU
 * (each request all-or-none, ATP re-evaluated after each grant, rules.ts `allocateFifo`), add the
 * grants with one guarded UPDATE, multi-row insert the reservations and events, one commit. The
 * same batch serves a hot SKU (hundreds of requests on one row) and requests spread over many
 * SKUs (one commit for many, i.e. group commit). No added latency when idle: a lone request forms
 * a batch of one at once. Up to two batches per channel run at a time, the second only once enough
 * requests wait for it (batch-window.ts); it waits on the first's row locks only where they share rows.
 *
 * Once sold out, `SoldOutHints` (sold-out-hints.ts) answers "nothing available" from memory for a
 * short while without touching the row.
 */
import { inTx } from '../platform/db/tx.js';
import { outboxInsert } from '../platform/events/outbox.js';
import { newId } from '../platform/ids.js';
import { problems } from '../platform/http/problems.js';
import { startsBatch } from './batch-window.js';
import { allocateFifo, atp, batchLockPlan, grantOnLocked } from './rules.js';
import type { AtpSummaryReader, CandidateLevel } from './atp-summary.js';
import * as store from './store.js';
import * as rstore from './store-reservations.js';
import { addReservedSynced } from './atp-summary-store.js';
import { changedEvents, ID, policyOf, SkuCheck } from './shared.js';
import type { InventoryDeps } from './ports.js';
import { reservationEvent, toReservation, type PreparedReserve } from './reservation-view.js';
import type { Reservation } from './types.js';
import type { SoldOutHints } from './sold-out-hints.js';

const MAX_BATCH = 512;

export interface BatchRequest {
  prepared: PreparedReserve;
  quantity: number;
  location_id?: string | undefined;
}
interface Pending extends BatchRequest {
  sku: string;
  resolve(r: Reservation): void;
  reject(e: unknown): void;
}

export class HotSkuBatcher {
  private readonly queues = new Map<string, Pending[]>();
  private readonly busy = new Map<string, number>();
  private readonly skus: SkuCheck;

  constructor(
    private readonly deps: InventoryDeps,
    private readonly hints: SoldOutHints,
    private readonly coalesce: boolean,
    private readonly single: (p: PreparedReserve) => Promise<Reservation>,
    private readonly atp: AtpSummaryReader,
  ) {
    this.skus = new SkuCheck(deps);
  }

  async submit(req: BatchRequest): Promise<Reservation> {
    const { channel } = req.prepared;
    const sku = req.prepared.lines[0]!.sku;
    if (!req.location_id && this.hints.isSoldOut(channel.id, sku)) {
      throw problems.insufficientStock([{ sku, requested: req.quantity, available: 0 }]);
    }
    if (!this.coalesce) {
      return this.single(req.prepared);
    }
    const key = channel.id;
    return new Promise<Reservation>((resolve, reject) => {
      const q = this.queues.get(key) ?? [];
      q.push({ ...req, sku, resolve, reject });
      this.queues.set(key, q);
      if (startsBatch(this.busy.get(key) ?? 0, q.length)) void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    this.busy.set(key, (this.busy.get(key) ?? 0) + 1);
    try {
      for (;;) {
        const q = this.queues.get(key);
        // the others in flight (not this one) decide whether this one goes on (batch-window.ts)
        if (!q || !startsBatch((this.busy.get(key) ?? 1) - 1, q.length)) break;
        const batch = q.splice(0, MAX_BATCH);
        await this.runBatch(batch);
      }
    } finally {
      const n = (this.busy.get(key) ?? 1) - 1;
      if (n > 0) this.busy.set(key, n);
      else this.busy.delete(key);
      const left = this.queues.get(key)?.length ?? 0;
      // what is left waits for a running batch, unless none runs or enough wait for one more
      if (startsBatch(n, left)) void this.drain(key);
      else if (n === 0) this.queues.delete(key);
    }
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    // A batch of one gains nothing from the plan-then-lock steps: the one-statement path is shorter.
    if (batch.length === 1) {
      const b = batch[0]!;
      return this.single(b.prepared).then(b.resolve, b.reject);
    }
    const { channel, allowed } = batch[0]!.prepared;
    const policy = policyOf(channel);
    const bySku = indexBySku(batch);
    const asksBySku = new Map([...bySku].map(([sku, idx]) => [sku, idx.map((i) => batch[i]!)]));
    try {
      const snap = await this.deps.network.snapshot();
      const now = this.deps.clock.now();
      // Plan on an unlocked read, then lock only the rows the plan grants from and re-plan on
      // their locked values (rules.ts batchLockPlan, grantOnLocked).
      const read = await this.candidates(asksBySku, allowed, policy);
      const guarded = guardAlone(bySku, policy);
      const toLock = guarded ? [] : batchLockPlan(read, policy, asksBySku);
      const outcome = await inTx(this.deps.db, undefined, async (trx) => {
        const locked = guarded ? read : await store.lockLevels(trx, toLock);
        let granted = grantAll(batch, bySku, asksBySku, read, locked, policy);
        // the grants and the availability summary in one statement (atp-summary-store.ts)
        const after = await addReservedSynced(trx, granted.adds, policy.safety_stock, now);
        if (guarded) granted = refusedByGuard(batch, granted, after);
        else if (after.length !== granted.adds.length) throw new Error('batch guard refused a grant'); // cannot happen under the lock; fall back below
        const made = reservationsOf(batch, granted.grants, channel.id, now);
        // the reservations and their events in one statement: one round trip less under the row locks
        await rstore.insertReservations(
          trx,
          made.rows,
          made.lines,
          outboxInsert(
            [
              ...made.rows.map((r, i) => reservationEvent('reservation.created', r, [made.lines[i]!])),
              ...changedEvents(after, snap),
            ],
            now,
          ),
        );
        return { out: made.out, grants: granted.grants, levelsAfter: granted.levelsAfter };
      });
      if (outcome.out.some(Boolean)) this.deps.bus?.nudge();
      this.answer(batch, outcome, channel.id, policy);
    } catch {
      // A failed batch (deadlock, lost connection…) must not fail requests that would succeed
      // alone: each one runs its own transaction instead.
      await Promise.all(batch.map((b) => this.single(b.prepared).then(b.resolve, b.reject)));
    }
  }

  /**
   * The unlocked read a batch is planned on: one availability-summary row per SKU (atp-summary.ts
   * `candidates`) instead of every stock row of the SKU. Wherever that read does not grant every ask
   * of a SKU, the SKU's stock rows are read instead, so a refusal always rests on the stock rows, as
   * before; a grant rests on the rows locked afterwards in any case (`grantOnLocked`).
   */
  private async candidates(
    asksBySku: ReadonlyMap<string, readonly Pending[]>,
    allowed: readonly string[],
    policy: ReturnType<typeof policyOf>,
  ): Promise<CandidateLevel[]> {
    const wants = [...asksBySku].map(([sku, asks]) => ({ sku, limit: asks.length }));
    const read = await this.atp.candidates(wants, allowed, policy.safety_stock);
    const bySku = new Map<string, CandidateLevel[]>();
    for (const l of read) {
      const list = bySku.get(l.sku);
      if (list) list.push(l);
      else bySku.set(l.sku, [l]);
    }
    const short = wants.filter(
      (w) => !allocateFifo(bySku.get(w.sku) ?? [], policy, asksBySku.get(w.sku)!).grants.every(Boolean),
    );
    if (short.length === 0) return read;
    const again = new Set(short.map((w) => w.sku));
    const rows = await rstore.topCandidates(this.deps.db, short, allowed, policy.safety_stock);
    return [...read.filter((l) => !again.has(l.sku)), ...rows];
  }

  /**
   * Resolves each request: its reservation, a transaction of its own (retry_alone), or a refusal.
   * A refused request is out of stock or names a SKU that does not exist: only refusals ask the
   * catalog (once per SKU), so grants never pay for the check.
   */
  private answer(
    batch: Pending[],
    outcome: {
      out: (Reservation | undefined)[];
      grants: (string | 'retry_alone' | undefined)[];
      levelsAfter: Map<string, CandidateLevel[]>;
    },
    channelId: string,
    policy: ReturnType<typeof policyOf>,
  ): void {
    const checked = new Map<string, Promise<void>>();
    outcome.out.forEach((res, i) => {
      const b = batch[i]!;
      if (res) return b.resolve(res);
      if (outcome.grants[i] === 'retry_alone') return void this.single(b.prepared).then(b.resolve, b.reject);
      const pool = (outcome.levelsAfter.get(b.sku) ?? []).filter(
        (l) => !b.location_id || l.location_id === b.location_id,
      );
      const available = pool.reduce((m, l) => Math.max(m, atp(l, policy)), 0);
      if (!checked.has(b.sku)) checked.set(b.sku, this.skus.require([b.sku]));
      checked.get(b.sku)!.then(() => {
        if (!b.location_id && available === 0) this.hints.markSoldOut(channelId, b.sku);
        b.reject(
          problems.insufficientStock([
            {
              sku: b.sku,
              requested: b.quantity,
              available,
              ...(b.location_id ? { location_id: b.location_id } : {}),
            },
          ]),
        );
      }, b.reject);
    });
  }
}

/** Request indexes per SKU, SKUs in sorted order (the lock order). */
function indexBySku(batch: readonly Pending[]): Map<string, number[]> {
  const by = new Map<string, number[]>();
  batch.forEach((b, i) => {
    const idx = by.get(b.sku);
    if (idx) idx.push(i);
    else by.set(b.sku, [i]);
  });
  return new Map([...by].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Whether the batch may skip the lock statement: every SKU has one ask (requests spread over many
 * SKUs) and the channel has no percentage buffer. Then each row gets at most one grant, and the
 * grant's guarded UPDATE (`addReservedSynced`: `on_hand − reserved − max(safety) ≥ qty`, re-checked
 * by PostgreSQL on the locked row after any wait) is exactly the ATP rule, so it locks and checks in
 * one pass: a row changed since the plan was read is not updated, and that request goes alone
 * (`refusedByGuard`). One statement and one row lock (a WAL record) fewer per granted row. A SKU
 * with several asks needs its rows' locked values to share them out (FIFO), so keeps the lock.
 * Rows are updated in the plan's (SKU, location) order, the order every writer locks in.
 */
function guardAlone(bySku: ReadonlyMap<string, number[]>, policy: ReturnType<typeof policyOf>): boolean {
  if (policy.buffer_pct !== 0) return false;
  for (const idx of bySku.values()) if (idx.length !== 1) return false;
  return true;
}

/** After a guarded UPDATE without locks: the grants whose row it did not update go alone. */
function refusedByGuard(
  batch: readonly Pending[],
  granted: ReturnType<typeof grantAll>,
  after: readonly { sku: string; location_id: string }[],
): ReturnType<typeof grantAll> {
  if (after.length === granted.adds.length) return granted;
  const done = new Set(after.map((r) => `${r.sku}\u0000${r.location_id}`));
  const grants = granted.grants.map((g, i) =>
    g && g !== 'retry_alone' && !done.has(`${batch[i]!.sku}\u0000${g}`) ? ('retry_alone' as const) : g,
  );
  return { ...granted, grants, adds: granted.adds.filter((a) => done.has(`${a.sku}\u0000${a.location_id}`)) };
}

/** Every SKU's grants on the locked rows, back in request order, with the units to add per row. */
function grantAll(
  batch: readonly Pending[],
  bySku: ReadonlyMap<string, number[]>,
  asksBySku: ReadonlyMap<string, readonly Pending[]>,
  read: readonly CandidateLevel[],
  locked: readonly CandidateLevel[],
  policy: ReturnType<typeof policyOf>,
) {
  const grants: (string | 'retry_alone' | undefined)[] = new Array(batch.length);
  const adds: { sku: string; location_id: string; quantity: number }[] = [];
  const levelsAfter = new Map<string, CandidateLevel[]>();
  for (const [sku, idx] of bySku) {
    const g = grantOnLocked(sku, read, locked, policy, asksBySku.get(sku)!);
    idx.forEach((i, j) => (grants[i] = g.grants[j]));
    for (const [location_id, quantity] of g.added) adds.push({ sku, location_id, quantity });
    levelsAfter.set(sku, g.after);
  }
  return { grants, adds, levelsAfter };
}

/** The reservation and line rows of the granted requests, and each request's reservation (or undefined). */
function reservationsOf(
  batch: readonly Pending[],
  grants: readonly (string | 'retry_alone' | undefined)[],
  channelId: string,
  now: Date,
) {
  const rows: rstore.ReservationRow[] = [];
  const lines: rstore.ReservationLineRow[] = [];
  const out: (Reservation | undefined)[] = grants.map((loc, i) => {
    if (!loc || loc === 'retry_alone') return undefined;
    const b = batch[i]!;
    const id = newId(ID.reservation, now.getTime());
    const row = {
      id,
      channel_id: channelId,
      reference: b.prepared.input.reference,
      customer_id: b.prepared.input.customer_id ?? null,
      status: 'active',
      expires_at: new Date(now.getTime() + b.prepared.input.ttl_seconds * 1000),
      created_at: now,
      updated_at: now,
    };
    const line = { reservation_id: id, line_no: 1, sku: b.sku, location_id: loc, quantity: b.quantity, confirmed: 0 };
    rows.push(row);
    lines.push(line);
    return toReservation(row, [line]);
  });
  return { rows, lines, out };
}
