/**
 * The inventory's public API: stock levels and the ledger, available-to-promise per channel, and
 * (delegated) reservations and transfers. Other modules call these with `{ trx }` to compose one
 * commit (checkout = reserve + order + coupon).
 */
import type { Executor } from '../platform/db/schema.js';
import { inTx } from '../platform/db/tx.js';
import { emit } from '../platform/events/outbox.js';
import { AppError, problems } from '../platform/http/problems.js';
import { AtpSummaryReader } from './atp-summary.js';
import { AvailabilityAnswers } from './answer-cache.js';
import { syncAtp, rebuildAtp } from './atp-summary-store.js';
import { INT4_MAX, manualDelta, manualQuantityError } from './rules.js';
import * as store from './store.js';
import { changedEvents, SkuCheck, stockHolding, toLevel } from './shared.js';
import type { InventoryDeps } from './ports.js';
import { ReservationService } from './reservations.js';
import { TransferService, type TransferInput, type TransferReceipt } from './transfers.js';
import type { ReadRouter } from '../platform/db/replica.js';
import type {
  Availability,
  AvailabilityQuery,
  ManualMovementType,
  Movement,
  MovementType,
  Reservation,
  ReserveInput,
  SkuStock,
  StockLevel,
  Transfer,
} from './types.js';

export interface MovementInput {
  sku: string;
  location_id: string;
  type: ManualMovementType;
  /** receipt, damage: positive units; adjustment: signed, non-zero; count: the counted figure (≥ 0). */
  quantity: number;
  reason?: string | undefined;
  reference?: string | undefined;
  actor?: string | undefined;
}

export type { AvailabilityQuery } from './types.js';

function toMovement(r: store.MovementRow): Movement {
  return { ...r, type: r.type as MovementType, created_at: r.created_at.toISOString() };
}

export class InventoryService {
  readonly reservations: ReservationService;
  readonly transfers: TransferService;
  private readonly skus: SkuCheck;
  private readonly atp: AtpSummaryReader;
  /** Availability answers, from summary rows held per SKU by version (answer-cache.ts). */
  readonly answers: AvailabilityAnswers;
  /** Lag-tolerant reads (DATABASE_READ_URL): the availability summary, when the caller allows it. */
  private reads: ReadRouter | undefined;

  constructor(
    private readonly deps: InventoryDeps,
    opts: { coalesce?: boolean } = {},
  ) {
    this.skus = new SkuCheck(deps);
    this.atp = new AtpSummaryReader(deps.db);
    this.answers = new AvailabilityAnswers({ ...deps, skus: this.skus, atp: this.atp, reads: () => this.reads });
    this.reservations = new ReservationService(deps, this.skus, opts.coalesce ?? true, this.atp);
    this.transfers = new TransferService(deps, (sku) => this.reservations.hints.invalidate(sku));
  }

  // ---- stock levels and the ledger -------------------------------------------------------------

  async stock(sku: string, opts: { trx?: Executor } = {}): Promise<SkuStock> {
    const rows = await store.levelsOf(opts.trx ?? this.deps.db, [sku]);
    if (rows.length === 0) await this.skus.require([sku], opts.trx);
    return { sku, levels: rows.map(toLevel) };
  }

  /**
   * The levels of several SKUs in one read (sourcing asks for every SKU of an order, in its
   * transaction). Unlike `stock`, an unknown SKU is no error: it has no levels.
   */
  async stocks(skus: readonly string[], opts: { trx?: Executor } = {}): Promise<SkuStock[]> {
    const rows = skus.length ? await store.levelsOf(opts.trx ?? this.deps.db, skus) : [];
    return skus.map((sku) => ({ sku, levels: rows.filter((r) => r.sku === sku).map(toLevel) }));
  }

  async movements(
    sku: string,
    opts: { location_id?: string | undefined; before?: number | undefined; limit?: number },
  ): Promise<{ items: Movement[]; next_before: number | null }> {
    const limit = opts.limit ?? 50;
    const rows = await store.movementsOf(this.deps.db, sku, {
      locationId: opts.location_id,
      before: opts.before,
      limit: limit + 1,
    });
    if (rows.length === 0 && opts.before === undefined) await this.skus.require([sku]);
    const items = rows.slice(0, limit).map(toMovement);
    return { items, next_before: rows.length > limit ? items[items.length - 1]!.id : null };
  }

  /**
   * Records a receipt, adjustment, count or damage: on-hand changes and the ledger gets the
   * signed difference in one transaction. A decrease never eats reserved units.
   */
  async recordMovement(
    input: MovementInput,
    opts: { trx?: Executor } = {},
  ): Promise<{ level: StockLevel; movement: Movement | null }> {
    const bad = manualQuantityError(input.type, input.quantity);
    if (bad) throw problems.field('quantity', bad);
    const loc = await this.deps.network.requireLocation(input.location_id, opts);
    if (input.type === 'receipt') await this.skus.requireForReceipt(input.sku, opts.trx);
    else await this.skus.require([input.sku], opts.trx);
    const snap = await this.deps.network.snapshot(opts);
    const out = await inTx(this.deps.db, opts.trx, async (trx) => {
      const now = this.deps.clock.now();
      const current = await store.lockLevel(trx, input.sku, loc.id);
      if (!current && input.type !== 'receipt') {
        throw new AppError(
          'unprocessable',
          `location ${loc.code} does not stock ${input.sku}; record a receipt first`,
          { sku: input.sku, location_id: loc.id },
        );
      }
      const delta = manualDelta(input.type, input.quantity, current?.on_hand ?? 0);
      if (current && current.on_hand + delta > INT4_MAX)
        throw problems.field('quantity', `on-hand would pass ${INT4_MAX}`);
      if (delta === 0) return { row: current!, movement: null, delta };
      let row: store.LevelRow | undefined;
      if (delta > 0) row = await store.addOnHand(trx, input.sku, loc.id, delta, now);
      else {
        row = await store.changeOnHand(trx, input.sku, loc.id, delta, now);
        if (!row) {
          const free = current!.on_hand - current!.reserved;
          throw problems.insufficientStock(
            [{ sku: input.sku, location_id: loc.id, requested: -delta, available: free }],
            `${input.sku} at ${loc.code}: ${current!.reserved} of ${current!.on_hand} units are reserved; a ${input.type} can take at most ${free}`,
          );
        }
      }
      const movement = {
        sku: input.sku,
        location_id: loc.id,
        type: input.type,
        quantity: delta,
        on_hand_after: row.on_hand,
        actor: input.actor ?? 'system',
        reason: input.reason ?? null,
        reference: input.reference ?? null,
        created_at: now,
      };
      const [id] = await store.insertMovements(trx, [movement]);
      await syncAtp(trx, [row], now);
      await emit(trx, changedEvents([row], snap), now);
      return { row, movement: { ...movement, id: id! }, delta };
    });
    if (out.delta > 0) this.reservations.hints.invalidate(input.sku);
    if (!opts.trx) this.deps.bus?.nudge();
    return { level: toLevel(out.row), movement: out.movement ? toMovement(out.movement) : null };
  }

  /** Safety stock and the min/max planning uses, per SKU and location (no on-hand change, no ledger entry). */
  async setLevelPolicy(
    sku: string,
    locationId: string,
    patch: {
      safety_stock?: number | undefined;
      min_qty?: number | null | undefined;
      max_qty?: number | null | undefined;
    },
  ): Promise<StockLevel> {
    const loc = await this.deps.network.requireLocation(locationId);
    const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as {
      safety_stock?: number;
      min_qty?: number | null;
      max_qty?: number | null;
    };
    const snap = await this.deps.network.snapshot();
    const row = await inTx(this.deps.db, undefined, async (trx) => {
      const now = this.deps.clock.now();
      const r = await store.setSafetyStock(trx, sku, loc.id, clean, now);
      if (!r)
        throw new AppError('unprocessable', `location ${loc.code} does not stock ${sku}; record a receipt first`, {
          sku,
          location_id: loc.id,
        });
      // checked on the resulting row (rolled back when wrong), so a lone min or max is compared with the other one stored
      if (r.min_qty !== null && r.max_qty !== null && r.min_qty > r.max_qty)
        throw problems.field('min_qty', `${r.min_qty} is above max_qty ${r.max_qty}`);
      if (clean.safety_stock !== undefined) await syncAtp(trx, [r], now);
      await emit(trx, changedEvents([r], snap), now);
      return r;
    });
    this.reservations.hints.invalidate(sku);
    this.deps.bus?.nudge();
    return toLevel(row);
  }

  /** A customer return put back on the shelf: a `return` movement. */
  async receiveReturn(
    input: { sku: string; location_id: string; quantity: number; reference: string; actor?: string; reason?: string },
    opts: { trx?: Executor } = {},
  ): Promise<StockLevel> {
    const bad = manualQuantityError('receipt', input.quantity);
    if (bad) throw problems.field('quantity', bad);
    const loc = await this.deps.network.requireLocation(input.location_id, opts);
    await this.skus.requireForReceipt(input.sku, opts.trx);
    const snap = await this.deps.network.snapshot(opts);
    const row = await inTx(this.deps.db, opts.trx, async (trx) => {
      const now = this.deps.clock.now();
      const r = await store.addOnHand(trx, input.sku, loc.id, input.quantity, now);
      await store.insertMovements(trx, [
        {
          sku: input.sku,
          location_id: loc.id,
          type: 'return',
          quantity: input.quantity,
          on_hand_after: r.on_hand,
          actor: input.actor ?? 'returns',
          reason: input.reason ?? 'customer return',
          reference: input.reference,
          created_at: now,
        },
      ]);
      await syncAtp(trx, [r], now);
      await emit(trx, changedEvents([r], snap), now);
      return r;
    });
    this.reservations.hints.invalidate(input.sku);
    if (!opts.trx) this.deps.bus?.nudge();
    return toLevel(row);
  }

  /** Damaged or lost units written off. */
  async damage(
    input: { sku: string; location_id: string; quantity: number; reason: string; reference?: string; actor?: string },
    opts: { trx?: Executor } = {},
  ): Promise<{ level: StockLevel; movement: Movement | null }> {
    return this.recordMovement({ ...input, type: 'damage' }, opts);
  }

  // ---- available to promise --------------------------------------------------------------------

  /** What a channel may promise per SKU, in total and per location (nearest first around a point). */
  useReads(reads: ReadRouter): void {
    this.reads = reads;
  }

  /**
   * `lagOk`: the summary may come from the replica (db/replica.ts), except behind the caller's own
   * recent write (`key`, `writtenAt`). Channels, locations and SKU checks stay on the primary's caches.
   */
  async availability(
    q: AvailabilityQuery,
    opts: { trx?: Executor; lagOk?: { key?: string | undefined; writtenAt?: Date | undefined } } = {},
  ): Promise<Availability[]> {
    return this.answers.availability(q, opts);
  }

  // ---- reservations and transfers (see reservations.ts, transfers.ts) ---------------------------

  reserve(input: ReserveInput, opts: { trx?: Executor } = {}): Promise<Reservation> {
    return this.reservations.reserve(input, opts);
  }
  release(id: string, opts: { trx?: Executor } = {}): Promise<Reservation> {
    return this.reservations.release(id, opts);
  }
  confirm(id: string, opts: { trx?: Executor; actor?: string } = {}): Promise<Reservation> {
    return this.reservations.confirm(id, opts);
  }
  confirmLines(
    id: string,
    lines: { sku: string; location_id?: string; quantity: number }[],
    opts: { trx?: Executor; actor?: string } = {},
  ): Promise<Reservation> {
    return this.reservations.confirmLines(id, lines, opts);
  }
  getReservation(id: string, opts: { trx?: Executor } = {}): Promise<Reservation> {
    return this.reservations.get(id, opts);
  }
  expireDue(limit?: number): Promise<number> {
    return this.reservations.expireDue(limit);
  }
  createTransfer(input: TransferInput, opts: { trx?: Executor } = {}): Promise<Transfer> {
    return this.transfers.create(input, opts);
  }
  receiveTransfer(id: string, input: TransferReceipt, opts: { trx?: Executor } = {}): Promise<Transfer> {
    return this.transfers.receive(id, input, opts);
  }
  getTransfer(id: string): Promise<Transfer> {
    return this.transfers.get(id);
  }

  /**
   * Demo stock for `omnia seed --demo`: uneven, seed-deterministic quantities on every SKU ×
   * stock-holding location, with matching ledger receipts, in bulk SQL.
   */
  async seedDemoStock(input: { seed: number; skus: string[]; location_ids?: string[] }): Promise<{ rows: number }> {
    const snap = await this.deps.network.snapshot();
    const locs = input.location_ids ?? stockHolding(snap);
    const rows = await inTx(this.deps.db, undefined, async (trx) => {
      const now = this.deps.clock.now();
      const n = await store.seedStock(trx, input.skus, locs, input.seed, now);
      await rebuildAtp(trx, input.skus, now);
      return n;
    });
    for (const s of input.skus) this.reservations.hints.invalidate(s);
    return { rows };
  }
}
