/**
 * Reservations: reserve (all lines or none), release, confirm (whole or in part), expire.
 * A single-line reservation outside a caller's transaction goes through the hot-SKU batcher
 * (batcher.ts), which coalesces concurrent requests for one SKU into one statement and one commit.
 */
import type { Executor, Tx } from '../platform/db/schema.js';
import { inTx } from '../platform/db/tx.js';
import { emit, outboxInsert, type DomainEvent } from '../platform/events/outbox.js';
import { newId } from '../platform/ids.js';
import { AppError, problems, type FieldError } from '../platform/http/problems.js';
import type { Channel, NetworkSnapshot } from '../network/index.js';
import { atp, INT4_MAX, mergeLines, policyAllows, policyLocations, quantityErrors, transitionError } from './rules.js';
import * as store from './store.js';
import * as rstore from './store-reservations.js';
import { syncAtp } from './atp-summary-store.js';
import { changedEvents, ID, policyOf, SkuCheck, stockHolding } from './shared.js';
import type { InventoryDeps } from './ports.js';
import { HotSkuBatcher, type BatchRequest } from './batcher.js';
import { SoldOutHints } from './sold-out-hints.js';
import { AtpSummaryReader } from './atp-summary.js';
import type { Reservation, ReserveInput } from './types.js';
import { toReservation, reservationEvent, type PreparedReserve } from './reservation-view.js';

export const MAX_TTL_SECONDS = 30 * 24 * 3600;

export class ReservationService {
  readonly hints: SoldOutHints;
  private readonly batcher: HotSkuBatcher;

  constructor(
    private readonly deps: InventoryDeps,
    private readonly skus: SkuCheck,
    /** Coalescing of hot SKUs; off = the naive one-transaction-per-request path (for measuring). */
    coalesce = true,
    /** The availability summary, which the batcher plans its batches on. */
    atp: AtpSummaryReader = new AtpSummaryReader(deps.db),
  ) {
    this.hints = new SoldOutHints(deps.clock);
    this.batcher = new HotSkuBatcher(deps, this.hints, coalesce, (p) => this.reserveOne(p), atp);
  }

  /** Validates and resolves a request; throws before anything is written. */
  async prepare(input: ReserveInput, opts: { trx?: Executor | undefined } = {}): Promise<PreparedReserve> {
    const errors: FieldError[] = quantityErrors(input.lines);
    if (input.lines.length === 0) errors.push({ field: 'lines', message: 'at least one line' });
    if (!Number.isInteger(input.ttl_seconds) || input.ttl_seconds < 1 || input.ttl_seconds > MAX_TTL_SECONDS)
      errors.push({ field: 'ttl_seconds', message: `must be 1..${MAX_TTL_SECONDS}` });
    if (!input.reference) errors.push({ field: 'reference', message: 'is required' });
    if (errors.length) throw problems.validation('the reservation is not valid', errors);
    const channel = await this.deps.network.requireChannel(input.channel, opts);
    const snap = await this.deps.network.snapshot(opts);
    const lines = mergeLines(input.lines);
    for (const l of lines) {
      if (l.quantity > INT4_MAX) throw problems.field('lines', `${l.sku}: the lines add up to more than ${INT4_MAX}`);
      if (!l.location_id) continue;
      const loc = snap.locationById.get(l.location_id) ?? snap.locationByCode.get(l.location_id);
      if (!loc) throw problems.notFound('location', l.location_id);
      l.location_id = loc.id;
      if (!policyAllows(channel.stock_policy, loc.id)) {
        throw new AppError(
          'location_not_allowed',
          `channel ${channel.code} does not sell stock from location ${loc.code}`,
          { channel: channel.code, location_id: loc.id },
        );
      }
    }
    return { channel, allowed: this.allowedFor(snap, channel), lines: mergeLines(lines), input };
  }

  /** The locations feeding a channel, computed once per network snapshot (hundreds of ids, every request). */
  private readonly allowedCache = new WeakMap<NetworkSnapshot, Map<string, string[]>>();
  private allowedFor(snap: NetworkSnapshot, channel: Channel): string[] {
    let m = this.allowedCache.get(snap);
    if (!m) this.allowedCache.set(snap, (m = new Map()));
    let ids = m.get(channel.id);
    if (!ids) m.set(channel.id, (ids = policyLocations(channel.stock_policy, stockHolding(snap))));
    return ids;
  }

  async reserve(input: ReserveInput, opts: { trx?: Executor } = {}): Promise<Reservation> {
    const p = await this.prepare(input, opts);
    // Coalesced: single-line, no named location, not inside a caller's transaction (web and app
    // traffic in a flash sale). Anything else takes its own transaction.
    if (!opts.trx && p.lines.length === 1 && !p.lines[0]!.location_id) {
      const line = p.lines[0]!;
      const req: BatchRequest = { prepared: p, quantity: line.quantity };
      return this.batcher.submit(req);
    }
    await this.skus.require(
      p.lines.map((l) => l.sku),
      opts.trx,
    );
    const res = await this.reserveTx(p, opts.trx);
    if (!opts.trx) this.deps.bus?.nudge();
    return res;
  }

  /** The naive path for one request: its own transaction (or the caller's). */
  async reserveOne(p: PreparedReserve): Promise<Reservation> {
    const r = await this.reserveTx(p, undefined);
    this.deps.bus?.nudge();
    return r;
  }

  private async reserveTx(p: PreparedReserve, outer: Executor | undefined): Promise<Reservation> {
    const { channel, allowed, lines, input } = p;
    const policy = policyOf(channel);
    const snap = await this.deps.network.snapshot({ trx: outer });
    const now = this.deps.clock.now();
    const id = newId(ID.reservation, now.getTime());
    try {
      return await inTx(this.deps.db, outer, async (trx) => {
        const touched: store.LevelRow[] = [];
        const short: { sku: string; requested: number; location_id?: string }[] = [];
        for (const l of lines) {
          let row: store.LevelRow | undefined;
          if (l.location_id) row = await rstore.reserveAt(trx, l.sku, l.location_id, l.quantity, policy, now);
          else {
            // The picked row can be emptied while we wait for its lock; pick again a few times.
            for (let i = 0; i < 3 && !row; i++) {
              row = await rstore.reserveBest(trx, l.sku, allowed, l.quantity, policy, now);
              if (!row && !(await this.anyCovers(trx, l.sku, allowed, l.quantity, channel))) break;
            }
          }
          if (row) touched.push(row);
          else
            short.push({ sku: l.sku, requested: l.quantity, ...(l.location_id ? { location_id: l.location_id } : {}) });
        }
        if (short.length) throw await this.insufficient(trx, channel, allowed, short);
        // the summary after every line: all stock rows are locked before any summary row (lock order)
        await syncAtp(trx, touched, now);
        const expires = new Date(now.getTime() + input.ttl_seconds * 1000);
        const row = {
          id,
          channel_id: channel.id,
          reference: input.reference,
          customer_id: input.customer_id ?? null,
          status: 'active',
          expires_at: expires,
          created_at: now,
          updated_at: now,
        };
        const lineRows = touched.map((t, i) => ({
          reservation_id: id,
          line_no: i + 1,
          sku: t.sku,
          location_id: t.location_id,
          quantity: lines[i]!.quantity,
          confirmed: 0,
        }));
        await rstore.insertReservations(
          trx,
          [row],
          lineRows,
          outboxInsert([reservationEvent('reservation.created', row, lineRows), ...changedEvents(touched, snap)], now),
        );
        return toReservation(row, lineRows);
      });
    } catch (err) {
      // Only from a transaction of its own: a caller's transaction (a checkout batch) may hold other
      // uncommitted reservations that it can still roll back, so "0 available" there is not the stock's.
      if (
        outer === undefined &&
        err instanceof AppError &&
        err.type === 'insufficient_stock' &&
        lines.length === 1 &&
        !lines[0]!.location_id
      ) {
        const only = (err.extras.lines as { available: number }[] | undefined)?.[0];
        if (only?.available === 0) this.hints.markSoldOut(channel.id, lines[0]!.sku);
      }
      throw err;
    }
  }

  private async anyCovers(
    trx: Tx,
    sku: string,
    allowed: readonly string[],
    qty: number,
    channel: Channel,
  ): Promise<boolean> {
    const rows = await store.levelsOf(trx, [sku], allowed);
    return rows.some((r) => atp(r, channel.stock_policy) >= qty);
  }

  /** The problem naming each short line and what the channel could promise for it from one location. */
  async insufficient(
    db: Executor,
    channel: Channel,
    allowed: readonly string[],
    short: { sku: string; requested: number; location_id?: string }[],
  ): Promise<AppError> {
    await this.skus.require(
      short.map((s) => s.sku),
      db,
    );
    const rows = await store.levelsOf(
      db,
      short.map((s) => s.sku),
      allowed,
    );
    const out = short.map((s) => {
      const avail = rows
        .filter((r) => r.sku === s.sku && (!s.location_id || r.location_id === s.location_id))
        .reduce((m, r) => Math.max(m, atp(r, channel.stock_policy)), 0);
      return {
        sku: s.sku,
        requested: s.requested,
        available: avail,
        ...(s.location_id ? { location_id: s.location_id } : {}),
      };
    });
    return problems.insufficientStock(out);
  }

  async get(id: string, opts: { trx?: Executor } = {}): Promise<Reservation> {
    const found = await rstore.getReservationWithLines(opts.trx ?? this.deps.db, id);
    if (!found) throw problems.notFound('reservation', id);
    return toReservation(found.row, found.lines);
  }

  async release(id: string, opts: { trx?: Executor } = {}): Promise<Reservation> {
    return this.finish(id, 'release', opts);
  }

  /** Turns the whole remaining reservation into sale movements. */
  async confirm(id: string, opts: { trx?: Executor; actor?: string } = {}): Promise<Reservation> {
    return this.confirmLines(id, undefined, opts);
  }

  /**
   * Confirms part of a reservation (fulfillment ships what it has): each named line's quantity
   * becomes a sale; the rest stays reserved until confirmed, released or expired.
   */
  async confirmLines(
    id: string,
    lines: { sku: string; location_id?: string; quantity: number }[] | undefined,
    opts: { trx?: Executor; actor?: string } = {},
  ): Promise<Reservation> {
    if (lines) {
      const errors = quantityErrors(lines);
      if (errors.length) throw problems.validation('the lines are not valid', errors);
    }
    const snap = await this.deps.network.snapshot(opts);
    const result = await inTx(this.deps.db, opts.trx, async (trx) => {
      const now = this.deps.clock.now();
      const r = await this.lockActive(trx, id, 'confirm');
      const all = await rstore.linesOf(trx, [id]);
      const take = new Map<number, number>();
      if (!lines) all.forEach((l) => l.quantity > 0 && take.set(l.line_no, l.quantity));
      else {
        lines.forEach((want, i) => {
          const line = all.find(
            (l) =>
              l.sku === want.sku &&
              (!want.location_id || l.location_id === want.location_id) &&
              l.quantity - (take.get(l.line_no) ?? 0) >= want.quantity,
          );
          if (!line)
            throw problems.field(
              `lines/${i}`,
              `reservation ${id} holds no ${want.quantity} more of ${want.sku}${want.location_id ? ` at ${want.location_id}` : ''}`,
            );
          take.set(line.line_no, (take.get(line.line_no) ?? 0) + want.quantity);
        });
      }
      const chosen = all.filter((l) => take.has(l.line_no));
      await store.lockLevels(trx, chosen);
      const touched: store.LevelRow[] = [];
      const movements: store.NewMovement[] = [];
      for (const l of [...chosen].sort((a, b) => (a.sku + a.location_id < b.sku + b.location_id ? -1 : 1))) {
        const q = take.get(l.line_no)!;
        const row = await rstore.consumeReserved(trx, l.sku, l.location_id, q, now);
        touched.push(row);
        movements.push({
          sku: l.sku,
          location_id: l.location_id,
          type: 'sale',
          quantity: -q,
          on_hand_after: row.on_hand,
          actor: opts.actor ?? `reservation:${id}`,
          reason: 'reservation confirmed',
          reference: r.reference,
          created_at: now,
        });
      }
      await store.insertMovements(trx, movements);
      // no summary sync: a sale takes the same units off on_hand and reserved, so on_hand − reserved
      // (all the availability summary holds) does not change
      const updated = all.map((l) => ({
        ...l,
        quantity: l.quantity - (take.get(l.line_no) ?? 0),
        confirmed: l.confirmed + (take.get(l.line_no) ?? 0),
      }));
      await rstore.setLineQuantities(
        trx,
        id,
        updated.filter((l) => take.has(l.line_no)),
      );
      const done = updated.every((l) => l.quantity === 0);
      const status = done ? 'confirmed' : 'active';
      if (done) await rstore.setStatus(trx, [id], 'confirmed', now);
      const view = { ...r, status, updated_at: now };
      await emit(
        trx,
        [
          reservationEvent(
            'reservation.confirmed',
            view,
            chosen.map((l) => ({ ...l, quantity: take.get(l.line_no)! })),
          ),
          ...changedEvents(touched, snap),
        ],
        now,
      );
      return toReservation(view, updated);
    });
    if (!opts.trx) this.deps.bus?.nudge();
    return result;
  }

  private async lockActive(trx: Tx, id: string, action: 'release' | 'confirm') {
    const r = await rstore.lockReservation(trx, id);
    if (!r) throw problems.notFound('reservation', id);
    const bad = transitionError(r.status as Reservation['status'], action);
    if (bad) throw new AppError(bad, `reservation ${id} is ${r.status}`, { reservation_status: r.status });
    return r;
  }

  private async finish(id: string, action: 'release', opts: { trx?: Executor }): Promise<Reservation> {
    const snap = await this.deps.network.snapshot(opts);
    const out = await inTx(this.deps.db, opts.trx, async (trx) => {
      const now = this.deps.clock.now();
      const r = await this.lockActive(trx, id, action);
      const lines = await rstore.linesOf(trx, [id]);
      const touched = await rstore.subtractReserved(trx, lines, now);
      await syncAtp(trx, touched, now);
      await rstore.setStatus(trx, [id], 'released', now);
      const view = { ...r, status: 'released', updated_at: now };
      await emit(trx, [reservationEvent('reservation.released', view, lines), ...changedEvents(touched, snap)], now);
      return { res: toReservation(view, lines), skus: lines.map((l) => l.sku) };
    });
    out.skus.forEach((s) => this.hints.invalidate(s));
    if (!opts.trx) this.deps.bus?.nudge();
    return out.res;
  }

  /** One run of the expiry job: releases up to `limit` overdue reservations; returns how many. */
  async expireDue(limit = 200): Promise<number> {
    const snap = await this.deps.network.snapshot();
    const skus: string[] = [];
    const n = await inTx(this.deps.db, undefined, async (trx) => {
      const now = this.deps.clock.now();
      const due = await rstore.claimExpired(trx, now, limit);
      if (due.length === 0) return 0;
      const lines = await rstore.linesOf(
        trx,
        due.map((d) => d.id),
      );
      const touched = await rstore.subtractReserved(trx, lines, now);
      await syncAtp(trx, touched, now);
      await rstore.setStatus(
        trx,
        due.map((d) => d.id),
        'expired',
        now,
      );
      const events: DomainEvent[] = due.map((d) =>
        reservationEvent(
          'reservation.expired',
          { ...d, status: 'expired' },
          lines.filter((l) => l.reservation_id === d.id),
        ),
      );
      await emit(trx, [...events, ...changedEvents(touched, snap)], now);
      skus.push(...lines.map((l) => l.sku));
      return due.length;
    });
    skus.forEach((s) => this.hints.invalidate(s));
    if (n) this.deps.bus?.nudge();
    return n;
  }
}
