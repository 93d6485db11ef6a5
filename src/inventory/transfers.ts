/**
 * Transfers between locations: at dispatch the units leave the source's on-hand (a transfer_out
 * movement) and count as in transit at the destination; each receipt adds what arrived (transfer_in);
 * closing records the shortfall as the discrepancy and stops expecting it.
 */
import type { Executor } from '../platform/db/schema.js';
import { inTx } from '../platform/db/tx.js';
import { emit } from '../platform/events/outbox.js';
import { newId } from '../platform/ids.js';
import { AppError, problems } from '../platform/http/problems.js';
import { mergeLines, quantityErrors, receiveTransfer } from './rules.js';
import * as store from './store.js';
import * as tstore from './store-transfers.js';
import { syncAtp } from './atp-summary-store.js';
import { changedEvents, ID, SkuCheck } from './shared.js';
import type { InventoryDeps } from './ports.js';
import type { Transfer, TransferStatus } from './types.js';

export interface TransferInput {
  from_location_id: string;
  to_location_id: string;
  lines: { sku: string; quantity: number }[];
  reference?: string | undefined;
  actor?: string | undefined;
}

export interface TransferReceipt {
  lines: { sku: string; quantity: number }[];
  /** No more will arrive: what is missing is booked as discrepancy. */
  close?: boolean | undefined;
  /** Why the transfer came up short; kept when this receipt closes it with a discrepancy. */
  reason?: string | undefined;
  actor?: string | undefined;
}

export function toTransfer(t: tstore.TransferRow, lines: readonly tstore.TransferLineRow[]): Transfer {
  return {
    id: t.id,
    from_location_id: t.from_location_id,
    to_location_id: t.to_location_id,
    status: t.status as TransferStatus,
    reference: t.reference,
    created_at: t.created_at.toISOString(),
    updated_at: t.updated_at.toISOString(),
    discrepancy_reason: t.discrepancy_reason ?? null,
    lines: lines.map((l) => ({ sku: l.sku, shipped: l.shipped, received: l.received, discrepancy: l.discrepancy })),
  };
}

const byKey = (a: { sku: string; location_id: string }, b: { sku: string; location_id: string }) =>
  a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.location_id < b.location_id ? -1 : a.location_id > b.location_id ? 1 : 0;

export class TransferService {
  private readonly skus: SkuCheck;
  constructor(
    private readonly deps: InventoryDeps,
    private readonly stockRose: (sku: string) => void,
  ) {
    this.skus = new SkuCheck(deps);
  }

  async get(id: string, db: Executor = this.deps.db): Promise<Transfer> {
    const t = await tstore.getTransfer(db, id);
    if (!t) throw problems.notFound('transfer', id);
    return toTransfer(t, await tstore.transferLines(db, id));
  }

  async create(input: TransferInput, opts: { trx?: Executor } = {}): Promise<Transfer> {
    const errors = quantityErrors(input.lines);
    if (input.lines.length === 0) errors.push({ field: 'lines', message: 'at least one line' });
    if (errors.length) throw problems.validation('the transfer is not valid', errors);
    const from = await this.deps.network.requireLocation(input.from_location_id, opts);
    const to = await this.deps.network.requireLocation(input.to_location_id, opts);
    if (from.id === to.id) throw problems.field('to_location_id', 'is the same location as from_location_id');
    const lines = mergeLines(input.lines);
    await this.skus.require(
      lines.map((l) => l.sku),
      opts.trx,
    );
    const snap = await this.deps.network.snapshot(opts);
    const out = await inTx(this.deps.db, opts.trx, async (trx) => {
      const now = this.deps.clock.now();
      const id = newId(ID.transfer, now.getTime());
      // Both ends' rows exist, then all are locked in (SKU, location) order before any change.
      await store.ensureLevels(
        trx,
        lines.map((l) => ({ sku: l.sku, location_id: to.id })),
        now,
      );
      const keys = lines
        .flatMap((l) => [
          { sku: l.sku, location_id: from.id },
          { sku: l.sku, location_id: to.id },
        ])
        .sort(byKey);
      await store.lockLevels(trx, keys);
      const touched: store.LevelRow[] = [];
      const movements: store.NewMovement[] = [];
      const short: { sku: string; requested: number; available: number }[] = [];
      for (const l of lines) {
        const row = await store.changeOnHand(trx, l.sku, from.id, -l.quantity, now);
        if (!row) {
          const cur = await store.lockLevel(trx, l.sku, from.id);
          short.push({ sku: l.sku, requested: l.quantity, available: cur ? cur.on_hand - cur.reserved : 0 });
          continue;
        }
        touched.push(row);
        movements.push({
          sku: l.sku,
          location_id: from.id,
          type: 'transfer_out',
          quantity: -l.quantity,
          on_hand_after: row.on_hand,
          actor: input.actor ?? 'system',
          reason: `transfer ${id} to ${to.code}`,
          reference: input.reference ?? id,
          created_at: now,
        });
        await tstore.addInTransit(trx, l.sku, to.id, l.quantity, now);
      }
      if (short.length)
        throw problems.insufficientStock(
          short,
          `location ${from.code} cannot send ${short.map((s) => `${s.requested} × ${s.sku} (${s.available} free)`).join(', ')}`,
        );
      await store.insertMovements(trx, movements);
      await syncAtp(trx, touched, now);
      const row = {
        id,
        from_location_id: from.id,
        to_location_id: to.id,
        status: 'in_transit',
        reference: input.reference ?? null,
        actor: input.actor ?? 'system',
        created_at: now,
        updated_at: now,
        discrepancy_reason: null,
      };
      const tl = lines.map((l) => ({
        transfer_id: id,
        sku: l.sku,
        shipped: l.quantity,
        received: 0,
        discrepancy: null,
      }));
      await tstore.insertTransfer(trx, row, tl);
      await emit(
        trx,
        [
          {
            type: 'transfer.dispatched',
            aggregateId: id,
            payload: {
              id,
              from_location_id: from.id,
              to_location_id: to.id,
              lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
            },
          },
          ...changedEvents(touched, snap),
        ],
        now,
      );
      return toTransfer(row, tl);
    });
    if (!opts.trx) this.deps.bus?.nudge();
    return out;
  }

  /** Records what arrived; `close` ends the transfer and books the rest as discrepancy. */
  async receive(id: string, input: TransferReceipt, opts: { trx?: Executor } = {}): Promise<Transfer> {
    const snap = await this.deps.network.snapshot(opts);
    const out = await inTx(this.deps.db, opts.trx, async (trx) => {
      const now = this.deps.clock.now();
      const t = await tstore.getTransfer(trx, id, true);
      if (!t) throw problems.notFound('transfer', id);
      if (t.status === 'received')
        throw new AppError('invalid_transition', `transfer ${id} is already received`, { transfer_status: t.status });
      const current = await tstore.transferLines(trx, id);
      const plan = receiveTransfer(current, input.lines, input.close ?? false);
      if (plan.errors.length) throw problems.validation('the receipt is not valid', plan.errors);
      await store.lockLevels(trx, plan.lines.map((l) => ({ sku: l.sku, location_id: t.to_location_id })).sort(byKey));
      const touched: store.LevelRow[] = [];
      const movements: store.NewMovement[] = [];
      for (const l of plan.lines) {
        if (l.in_transit_release)
          await tstore.releaseInTransit(trx, l.sku, t.to_location_id, l.in_transit_release, now);
        if (l.received_now === 0) continue;
        const row = await store.addOnHand(trx, l.sku, t.to_location_id, l.received_now, now);
        touched.push(row);
        movements.push({
          sku: l.sku,
          location_id: t.to_location_id,
          type: 'transfer_in',
          quantity: l.received_now,
          on_hand_after: row.on_hand,
          actor: input.actor ?? 'system',
          reason: `transfer ${id} from ${t.from_location_id}`,
          reference: t.reference ?? id,
          created_at: now,
        });
      }
      await store.insertMovements(trx, movements);
      await syncAtp(trx, touched, now);
      const short = plan.lines.some((l) => (l.discrepancy ?? 0) > 0);
      await tstore.updateTransfer(trx, id, plan.status, plan.lines, now, short ? (input.reason ?? null) : null);
      await emit(
        trx,
        [
          {
            type: 'transfer.received',
            aggregateId: id,
            payload: {
              id,
              status: plan.status,
              lines: plan.lines.map((l) => ({ sku: l.sku, received: l.received, discrepancy: l.discrepancy })),
            },
          },
          ...changedEvents(touched, snap),
        ],
        now,
      );
      return { t: await this.get(id, trx), skus: touched.map((r) => r.sku) };
    });
    out.skus.forEach(this.stockRose);
    if (!opts.trx) this.deps.bus?.nudge();
    return out.t;
  }
}
