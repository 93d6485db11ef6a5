import type { Db, Tx } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import type { EventBus } from '../platform/events/bus.js';
import type { PublishedEvent } from '../platform/events/outbox.js';
import { emit } from '../platform/events/outbox.js';
import { newId } from '../platform/ids.js';
import { inTx } from '../platform/db/tx.js';
import { AppError, problems } from '../platform/http/problems.js';
import { MAX_ACTION_ATTEMPTS, retryDelayMs, shipmentLines } from './rules.js';
import type { Connections } from './connections.js';
import type { OrderImport, StoredOrder } from './order-import.js';
import { MarketplaceError, type ShipmentConfirmation } from './types.js';
import './events.js';
import * as store from './store.js';

/** An action being sent is leased this long; a worker that dies mid-call leaves it to be sent again. */
const ACTION_LEASE_MS = 2 * 60_000;

type ShipmentPayload = Omit<ShipmentConfirmation, 'shipped_at'> & { shipped_at: string };
type CancelPayload = { external_order_id: string; reason: string };

/**
 * What Omnia owes the marketplace: shipment confirmations (when a fulfillment of a marketplace order
 * ships) and cancellations (staff cancelled the order or its exception). Each is recorded in the
 * transaction that decided it — the event consumer's own — keyed by its cause so a redelivered event
 * records it once, and sent by a job after commit; a failed call is tried again with back-off, a refused
 * one (the provider said no) is kept as failed for people to see, never dropped silently.
 */
export class Actions {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly bus: EventBus,
    private readonly connections: Connections,
    private readonly imports: OrderImport,
  ) {}

  /** fulfillment.shipped, in the dispatcher's transaction: a marketplace order's units shipped. */
  async onShipped(e: PublishedEvent, trx: Tx): Promise<void> {
    const d = e.data as {
      id: string;
      order_id: string;
      tracking?: string | null;
      carrier?: string | null;
      lines?: { sku: string; quantity: number }[];
    };
    const row = await store.orderByOmniaOrder(trx, d.order_id);
    if (!row || row.status !== 'imported') return;
    const order = row.payload as StoredOrder;
    const confirmed = new Map<string, number>();
    for (const a of await store.actionsOf(trx, row.id))
      if (a.kind === 'confirm_shipment')
        for (const l of (a.payload as ShipmentPayload).lines)
          confirmed.set(l.external_line_id, (confirmed.get(l.external_line_id) ?? 0) + l.quantity);
    const lines = shipmentLines(order, d.lines ?? [], confirmed);
    if (lines.length === 0) return;
    for (const l of lines) confirmed.set(l.external_line_id, (confirmed.get(l.external_line_id) ?? 0) + l.quantity);
    const final = order.lines.every((l) => (confirmed.get(l.external_line_id) ?? 0) >= l.quantity);
    const connection = await this.connections.require(row.connection_id, trx);
    const settings = (connection.settings ?? {}) as Record<string, string>;
    const payload: ShipmentPayload = {
      external_order_id: row.external_id,
      lines,
      carrier: d.carrier?.trim() || settings.default_carrier || 'Other',
      tracking: d.tracking?.trim() || '',
      shipped_at: e.occurred_at,
      method: settings.shipping_method ?? null,
      final,
    };
    await this.record(trx, row, 'confirm_shipment', `ship:${d.id}`, payload);
  }

  /** order.cancelled, in the dispatcher's transaction: staff cancelled a marketplace order in Omnia. */
  async onOrderCancelled(e: PublishedEvent, trx: Tx): Promise<void> {
    const d = e.data as { order_id: string; reason?: string };
    // A cancellation that came from the marketplace is not sent back to it.
    if (d.reason?.startsWith('marketplace:')) return;
    const row = await store.orderByOmniaOrder(trx, d.order_id);
    if (!row || row.status !== 'imported') return;
    await this.cancelRow(trx, row, d.reason ?? 'cancelled in Omnia');
  }

  /** Staff cancel an exception: the marketplace is told the order cannot be filled. */
  async cancelException(id: string, reason: string): Promise<store.MarketplaceOrderRow> {
    await inTx(this.db, undefined, async (trx) => {
      const row = await store.getOrder(trx, id, true);
      if (!row) throw problems.notFound('marketplace order', id);
      if (row.status !== 'exception')
        throw new AppError(
          'invalid_transition',
          `marketplace order ${id} is ${row.status}; only an exception can be cancelled here`,
        );
      await this.cancelRow(trx, row, reason);
    });
    this.bus.nudge();
    return (await store.getOrder(this.db, id))!;
  }

  /**
   * Staff settled an exception outside Omnia (shipped from elsewhere, agreed with the buyer, already
   * closed on the marketplace): it leaves the queue with their note; no order, no call to the marketplace.
   */
  async resolveException(id: string, note: string): Promise<store.MarketplaceOrderRow> {
    await inTx(this.db, undefined, async (trx) => {
      const row = await store.getOrder(trx, id, true);
      if (!row) throw problems.notFound('marketplace order', id);
      if (row.status !== 'exception')
        throw new AppError(
          'invalid_transition',
          `marketplace order ${id} is ${row.status}; only an exception can be resolved`,
        );
      const now = this.clock.now();
      await store.updateOrder(trx, id, { status: 'resolved', resolution: note, updated_at: now });
      const connection = await this.connections.require(row.connection_id, trx);
      await emit(
        trx,
        {
          type: 'marketplace.order_resolved',
          aggregateId: id,
          payload: {
            marketplace_order_id: id,
            connection_id: row.connection_id,
            channel: row.channel_id,
            provider: connection.provider,
            external_id: row.external_id,
            note,
          },
        },
        now,
      );
    });
    this.bus.nudge();
    return (await store.getOrder(this.db, id))!;
  }

  /** Staff retry an exception (stock arrived, the SKU was fixed): it is placed again now. */
  async retryException(id: string): Promise<store.MarketplaceOrderRow> {
    const ok = await store.updateOrder(
      this.db,
      id,
      { status: 'received', next_attempt_at: this.clock.now(), updated_at: this.clock.now() },
      ['exception'],
    );
    if (!ok) {
      const row = await store.getOrder(this.db, id);
      if (!row) throw problems.notFound('marketplace order', id);
      throw new AppError(
        'invalid_transition',
        `marketplace order ${id} is ${row.status}; only an exception can be retried`,
      );
    }
    return this.imports.place(id);
  }

  private async cancelRow(trx: Tx, row: store.MarketplaceOrderRow, reason: string): Promise<void> {
    const now = this.clock.now();
    await store.updateOrder(trx, row.id, { status: 'cancelled', updated_at: now });
    const payload: CancelPayload = { external_order_id: row.external_id, reason };
    await this.record(trx, row, 'cancel', `cancel:${row.id}`, payload);
    const connection = await this.connections.require(row.connection_id, trx);
    await emit(
      trx,
      {
        type: 'marketplace.order_cancelled',
        aggregateId: row.id,
        payload: {
          marketplace_order_id: row.id,
          connection_id: row.connection_id,
          channel: row.channel_id,
          provider: connection.provider,
          external_id: row.external_id,
          order_id: row.order_id,
          by: 'omnia',
          reason,
        },
      },
      now,
    );
  }

  private async record(
    trx: Tx,
    row: store.MarketplaceOrderRow,
    kind: 'confirm_shipment' | 'cancel',
    sourceKey: string,
    payload: unknown,
  ): Promise<void> {
    const now = this.clock.now();
    await store.insertAction(trx, {
      id: newId('mka', now.getTime()),
      connection_id: row.connection_id,
      marketplace_order_id: row.id,
      kind,
      source_key: sourceKey,
      payload,
      state: 'pending',
      attempts: 0,
      last_error: null,
      next_attempt_at: now,
      created_at: now,
      done_at: null,
    });
  }

  /** The actions job: sends due actions, each after its lease commits, and records the outcome. */
  async runDue(): Promise<number> {
    const now = this.clock.now();
    const due = await inTx(this.db, undefined, (trx) =>
      store.claimDueActions(trx, now, new Date(now.getTime() + ACTION_LEASE_MS), 20),
    );
    for (const a of due) await this.send(a);
    return due.length;
  }

  private async send(a: store.ActionRow): Promise<void> {
    try {
      const connection = await this.connections.require(a.connection_id);
      const connector = this.connections.connector(connection);
      if (a.kind === 'confirm_shipment') {
        const p = a.payload as ShipmentPayload;
        await connector.confirmShipment({ ...p, shipped_at: new Date(p.shipped_at) });
      } else {
        const p = a.payload as CancelPayload;
        await connector.cancelOrder(p.external_order_id, p.reason);
      }
      await store.updateAction(this.db, a.id, {
        state: 'done',
        done_at: this.clock.now(),
        last_error: null,
        attempts: a.attempts + 1,
      });
    } catch (err) {
      const attempts = a.attempts + 1;
      const retryable = !(err instanceof MarketplaceError) || err.retryable;
      const giveUp = !retryable || attempts >= MAX_ACTION_ATTEMPTS;
      this.log.warn({ action: a.id, kind: a.kind, err, giveUp }, 'marketplace call failed');
      await store.updateAction(this.db, a.id, {
        attempts,
        last_error: (err as Error).message.slice(0, 2000),
        ...(giveUp
          ? { state: 'failed' as const }
          : { next_attempt_at: new Date(this.clock.now().getTime() + retryDelayMs(attempts)) }),
      });
    }
  }
}
