/**
 * Marketplace returns import (issue 18). A worker job reads each connection's returns since its cursor
 * (connectors with `listReturns`: Amazon's returns report) and records each, once per marketplace return
 * key, as an Omnia return on the Omnia order its marketplace order became:
 *
 * - only when the goods are back (the report's delivery date): the Omnia return is a mail return taken
 *   by the returns warehouse, so it restocks at once — sellable units back on the shelf, units the buyer
 *   returned as defective or damaged booked as damage (returnCondition below);
 * - with no payout through Omnia: the marketplace refunded the buyer from the money it collected (the
 *   imported order is paid `manual`, see compose.ts), so the return is recorded with refund `original`
 *   and `refund_amount` 0 — it settles nothing, and never reaches a payment provider;
 * - a return Omnia cannot record (the marketplace order was never imported, an SKU not on the order,
 *   more units than were delivered, the return window) becomes an exception in the marketplace orders'
 *   exception queue (external id `return:<key>`, problem `return_…`, the `marketplace.order_exception`
 *   webhook), never a silent drop; staff retry it (after fixing the cause) or resolve it by hand.
 *
 * The Omnia return and the row marking the key recorded are written in ONE transaction (the returns
 * service runs in ours), so a crash or two workers can never record a return twice. No side effect
 * outside the database happens here (no refund), so nothing needs an outbox.
 */
import type { Db, Tx } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import type { EventBus } from '../platform/events/bus.js';
import { emit } from '../platform/events/outbox.js';
import { newId } from '../platform/ids.js';
import { inTx } from '../platform/db/tx.js';
import { AppError } from '../platform/http/problems.js';
import type { Connections } from './connections.js';
import type { MarketplaceReturn } from './types.js';
import * as store from './store.js';
import * as rstore from './returns-store.js';

/** What the returns import needs from the returns and orders modules (wired in compose.ts). */
export interface MarketplaceReturnsPort {
  /** The Omnia order's lines, read in the caller's transaction. */
  orderLines(orderId: string, trx: Tx): Promise<{ line_id: string; sku: string; quantity: number }[]>;
  /** Records a received mail return in the caller's transaction; throws AppError when the returns rules refuse. */
  record(
    input: {
      order_id: string;
      channel: string;
      lines: { line_id: string; quantity: number; reason: string; condition: 'sellable' | 'damaged' }[];
    },
    trx: Tx,
  ): Promise<{ id: string }>;
}

/** The report is asked from the cursor minus this: Amazon lists returns late. */
const SINCE_OVERLAP_MS = 24 * 3600_000;
/** A connection's first read goes back this far; a return still on its way after it no longer holds the cursor. */
const LOOKBACK_MS = 60 * 24 * 3600_000;
const INTERVAL_MS = 30 * 60_000;
const RETRY_MS = 60_000;
const LEASE_MS = 10 * 60_000;

/** Reasons that say the goods came back unfit to sell (Amazon's return reason codes). */
export function returnCondition(reason: string | null, disposition: string | null): 'sellable' | 'damaged' {
  const text = `${reason ?? ''} ${disposition ?? ''}`;
  return /DEFECT|DAMAGE|BROKEN|NOT_WORKING|QUALITY_UNACCEPTABLE|UNSELLABLE/i.test(text) ? 'damaged' : 'sellable';
}

/** The marketplace's SKU quantities on the order's lines (a SKU on two lines fills the first, then the next). */
export function linesFor(
  r: Pick<MarketplaceReturn, 'lines'>,
  orderLines: { line_id: string; sku: string; quantity: number }[],
): { line_id: string; quantity: number }[] | { unknown: string } {
  const out: { line_id: string; quantity: number }[] = [];
  for (const l of r.lines) {
    const candidates = orderLines.filter((o) => o.sku === l.sku);
    if (candidates.length === 0) return { unknown: l.sku };
    let left = l.quantity;
    for (const [i, o] of candidates.entries()) {
      // The last line takes the rest: more units than sold is the returns rules' refusal to make.
      const n = i === candidates.length - 1 ? left : Math.min(left, o.quantity);
      if (n > 0) out.push({ line_id: o.line_id, quantity: n });
      left -= n;
    }
  }
  return out;
}

type StoredReturn = Omit<MarketplaceReturn, 'requested_at' | 'received_at'> & {
  requested_at: string;
  received_at: string | null;
};
const stored = (r: MarketplaceReturn): StoredReturn => ({
  ...r,
  requested_at: r.requested_at.toISOString(),
  received_at: r.received_at?.toISOString() ?? null,
});

export class ReturnsImport {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly bus: EventBus,
    private readonly connections: Connections,
    private readonly port: MarketplaceReturnsPort | undefined,
  ) {}

  /** The job: one due connection's returns. Returns how many returns the report held. */
  async syncDue(): Promise<number> {
    if (!this.port) return 0;
    const now = this.clock.now();
    const cursor = await inTx(this.db, undefined, async (trx) => {
      await rstore.ensureCursors(trx, new Date(now.getTime() - LOOKBACK_MS), now);
      return rstore.claimDue(trx, now, new Date(now.getTime() + LEASE_MS));
    });
    if (!cursor) return 0;
    return this.pull(cursor);
  }

  /** Reads the connection's returns report from its cursor and applies each return. */
  async pull(cursor: rstore.CursorRow): Promise<number> {
    const connection = await this.connections.require(cursor.connection_id);
    const connector = this.connections.connector(connection);
    if (!connector.listReturns) {
      await rstore.updateCursor(this.db, cursor.connection_id, {
        due_at: new Date(this.clock.now().getTime() + 24 * 3600_000),
        updated_at: this.clock.now(),
      });
      return 0;
    }
    let error: string | null = null;
    let seen = 0;
    let latest = cursor.since;
    try {
      const returns = await connector.listReturns(new Date(cursor.since.getTime() - SINCE_OVERLAP_MS));
      for (const r of returns) {
        await this.apply(connection, r);
        if (r.requested_at > latest) latest = r.requested_at;
        seen++;
      }
    } catch (err) {
      error = (err as Error).message;
      this.log.warn({ connection: connection.id, err }, 'marketplace returns import stopped; retried next run');
    }
    const now = this.clock.now();
    // The cursor never passes a return still on its way back (it is recorded when the goods arrive).
    const waiting = await rstore.oldestWaiting(this.db, connection.id, new Date(now.getTime() - LOOKBACK_MS));
    const since = error ? cursor.since : waiting && waiting < latest ? waiting : latest;
    await rstore.updateCursor(this.db, connection.id, {
      since,
      due_at: new Date(now.getTime() + (error ? RETRY_MS : INTERVAL_MS)),
      last_error: error ? error.slice(0, 2000) : null,
      updated_at: now,
    });
    if (error) await store.updateConnection(this.db, connection.id, { last_error: `returns: ${error}`.slice(0, 2000) });
    return seen;
  }

  /** Records one reported return (idempotently on its key) and, once its goods are back, the Omnia return. */
  async apply(connection: store.ConnectionRow, r: MarketplaceReturn): Promise<void> {
    const now = this.clock.now();
    const fresh = await rstore.insertReturnIfNew(this.db, {
      id: newId('mkr', now.getTime()),
      connection_id: connection.id,
      external_key: r.external_key,
      external_order_id: r.external_order_id,
      status: 'waiting',
      return_id: null,
      exception_order_id: null,
      payload: stored(r),
      requested_at: r.requested_at,
      created_at: now,
      updated_at: now,
    });
    const row = (await rstore.returnByKey(this.db, connection.id, r.external_key))!;
    if (row.status === 'recorded') return;
    // A later report says more (delivered now, a corrected quantity): keep the latest word. An exception
    // keeps it too, for staff's retry, but is not tried again on its own.
    if (!fresh) await rstore.updateReturn(this.db, row.id, { payload: stored(r), updated_at: now });
    if (row.status !== 'waiting') return;
    if (!r.received_at) return;
    await this.record(connection, row, r);
  }

  /** Staff retry a return exception: it is tried again as reported; the exception row leaves the queue if it works. */
  async retry(exceptionOrderId: string): Promise<void> {
    const row = await rstore.returnByException(this.db, exceptionOrderId);
    if (!row) throw new AppError('not_found', `no marketplace return behind ${exceptionOrderId}`);
    const connection = await this.connections.require(row.connection_id);
    const p = row.payload as StoredReturn;
    const r: MarketplaceReturn = {
      ...p,
      requested_at: new Date(p.requested_at),
      received_at: p.received_at ? new Date(p.received_at) : null,
    };
    await rstore.updateReturn(this.db, row.id, { status: 'waiting', updated_at: this.clock.now() });
    await this.record(connection, { ...row, status: 'waiting' }, r);
  }

  private async record(connection: store.ConnectionRow, row: rstore.ReturnRow, r: MarketplaceReturn): Promise<void> {
    const port = this.port!;
    const mko = await store.orderByExternal(this.db, connection.id, r.external_order_id);
    if (!mko?.order_id)
      return this.exception(
        connection,
        row,
        r,
        'return_unknown_order',
        `marketplace order ${r.external_order_id} was never imported as an Omnia order`,
      );
    const orderId = mko.order_id;
    try {
      const returnId = await inTx(this.db, undefined, async (trx) => {
        const locked = await rstore.returnByKey(trx, connection.id, r.external_key, true);
        if (!locked || locked.status !== 'waiting') return null;
        const lines = linesFor(r, await port.orderLines(orderId, trx));
        if ('unknown' in lines)
          throw new AppError('unprocessable', `SKU ${lines.unknown} is not on order ${orderId}`, {
            marketplace_problem: 'return_unknown_sku',
          });
        const reason = [r.reason ?? 'marketplace return', r.disposition].filter(Boolean).join(' / ');
        const condition = returnCondition(r.reason, r.disposition);
        const created = await port.record(
          {
            order_id: orderId,
            channel: connection.channel_id,
            lines: lines.map((l) => ({ ...l, reason: `${connection.provider}: ${reason}`, condition })),
          },
          trx,
        );
        const now = this.clock.now();
        await rstore.updateReturn(trx, locked.id, { status: 'recorded', return_id: created.id, updated_at: now });
        if (locked.exception_order_id)
          await store.updateOrder(
            trx,
            locked.exception_order_id,
            { status: 'resolved', resolution: `recorded as return ${created.id}`, updated_at: now },
            ['exception'],
          );
        return created.id;
      });
      if (returnId) this.bus.nudge();
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const type = (err.extras.marketplace_problem as string | undefined) ?? `return_${err.type}`;
      return this.exception(connection, row, r, type, err.message);
    }
  }

  /** The return cannot be recorded: an exception row in the marketplace orders' queue, and the webhook. */
  private async exception(
    connection: store.ConnectionRow,
    row: rstore.ReturnRow,
    r: MarketplaceReturn,
    type: string,
    detail: string,
  ): Promise<void> {
    const now = this.clock.now();
    const lines = r.lines.map((l) => ({ sku: l.sku, quantity: l.quantity }));
    await inTx(this.db, undefined, async (trx) => {
      const locked = await rstore.returnByKey(trx, connection.id, r.external_key, true);
      if (!locked || locked.status !== 'waiting') return;
      const externalId = `return:${r.external_key}`;
      const id = locked.exception_order_id ?? newId('mko', now.getTime());
      const created = await store.insertOrderIfNew(trx, {
        id,
        connection_id: connection.id,
        channel_id: connection.channel_id,
        external_id: externalId,
        status: 'exception',
        cart_id: null,
        order_id: null,
        // Shaped like an imported order's payload so the exceptions list shows it as it shows orders.
        payload: {
          external_id: r.external_order_id,
          status: 'shipped',
          placed_at: r.requested_at.toISOString(),
          updated_at: now.toISOString(),
          currency: '',
          buyer: { email: null, name: null },
          shipping_address: null,
          lines: r.lines.map((l, i) => ({ external_line_id: `${r.external_key}#${i + 1}`, ...l, unit_price: null })),
          raw_status: `return ${r.raw_status ?? ''}`.trim(),
          return: stored(r),
        },
        problem_type: type,
        problem_detail: detail.slice(0, 2000),
        resolution: null,
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
      });
      if (!created)
        await store.updateOrder(trx, id, {
          status: 'exception',
          problem_type: type,
          problem_detail: detail.slice(0, 2000),
          updated_at: now,
        });
      await rstore.updateReturn(trx, locked.id, { status: 'exception', exception_order_id: id, updated_at: now });
      await emit(
        trx,
        {
          type: 'marketplace.order_exception',
          aggregateId: id,
          payload: {
            marketplace_order_id: id,
            connection_id: connection.id,
            channel: connection.channel_id,
            provider: connection.provider,
            external_id: externalId,
            problem_type: type,
            detail,
            lines,
          },
        },
        now,
      );
    });
    this.bus.nudge();
  }
}
