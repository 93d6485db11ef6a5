/**
 * The store associate app's reads and its one extra write (issue 14 point 1): the queue by tab and
 * kind with each task's promise, a task's work sheet (lines with GTIN and size, the order's gift
 * flag, where refused lines went), the scan check, and sending the pickup notification again.
 * Every task transition stays in FulfillmentService.act; authorization is the route's (policy.ts).
 */
import type { Db, Executor } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import type { EventBus } from '../platform/events/bus.js';
import { emit } from '../platform/events/outbox.js';
import { inTx } from '../platform/db/tx.js';
import { AppError, problems } from '../platform/http/problems.js';
import type { Order } from '../orders/index.js';
import type { Method } from './rules.js';
import {
  KIND_METHODS,
  TAB_STATUSES,
  matchCode,
  promiseOf,
  type QueueKind,
  type QueueTab,
  type TaskPromise,
} from './queue-rules.js';
import * as store from './store.js';
import * as qstore from './queue-store.js';
import { toFulfillment } from './service.js';
import type { SourceOutcome } from './sourcing-service.js';
import type { Fulfillment, FulfillmentConfig, FulfillmentLine } from './types.js';
import type { FulfillmentCatalogPort, FulfillmentNetworkPort, FulfillmentOrdersPort } from './ports.js';
import { json } from '../platform/db/json.js';

/** Where arriving tasks show: a pickup point readies what was shipped to it; in transit is incoming. */
const ARRIVING: Record<QueueTab, Fulfillment['status'][]> = {
  open: ['shipped', 'in_transit'],
  ready: ['ready_for_pickup'],
  completed: ['handed_over', 'returned_to_stock'],
};

export interface QueueItem extends Fulfillment {
  units: number;
  promise: TaskPromise | null;
  gift: boolean | null;
  location_name: string | null;
  destination_name: string | null;
}

export interface SheetLine extends FulfillmentLine {
  product_name: string | null;
  gtin: string | null;
  size: string | null;
  colour: string | null;
  weight_g: number | null;
  /** Minor units; null on a gift order (the packing slip shows no prices). */
  unit_price: number | null;
}

export interface ResourcedTo {
  decision_id: string;
  tasks: { id: string; location_id: string; location_name: string | null; status: string; lines: FulfillmentLine[] }[];
  unsourced: FulfillmentLine[];
}

/** Helper G adds an order `gift` flag; until it exists the answer is "unknown" (null), never a guess. */
function giftOf(order: Order | null): boolean | null {
  const g = (order as (Order & { gift?: unknown }) | null)?.gift;
  return typeof g === 'boolean' ? g : null;
}
/** What the order promised: a pickup's ready-by instant when it has one, else the promised day. */
function promisedOf(order: Order | null): string | null {
  return order?.delivery.ready_by ?? order?.delivery.promised_date ?? null;
}
/** The buyer's message for the recipient (printed on a gift order's slip). */
function giftMessageOf(order: Order | null): string | null {
  const m = (order as (Order & { gift_message?: unknown }) | null)?.gift_message;
  return typeof m === 'string' && m.trim() ? m : null;
}

export class StoreQueue {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly bus: EventBus | undefined,
    private readonly network: FulfillmentNetworkPort,
    private readonly catalog: FulfillmentCatalogPort,
    private readonly orders: FulfillmentOrdersPort | undefined,
    private readonly promiseDays: FulfillmentConfig['promiseDays'],
  ) {}

  private async names(): Promise<(id: string | null) => string | null> {
    const snap = await this.network.snapshot();
    return (id) => (id ? (snap.locationById.get(id)?.name ?? null) : null);
  }

  private async order(id: string, trx: Executor = this.db): Promise<Order | null> {
    return this.orders ? this.orders.get(id, { trx }).catch(() => null) : null;
  }

  async queue(q: {
    location_id?: string | undefined;
    tab: QueueTab;
    kind?: QueueKind | undefined;
    after?: string | undefined;
    limit: number;
  }): Promise<QueueItem[]> {
    const rows = await qstore.storeQueue(this.db, {
      location_id: q.location_id,
      sourced: TAB_STATUSES[q.tab],
      arriving: ARRIVING[q.tab],
      methods: q.kind ? KIND_METHODS[q.kind] : undefined,
      newestFirst: q.tab === 'completed',
      after: q.after,
      limit: q.limit,
    });
    const name = await this.names();
    const orders = new Map<string, Order | null>();
    // One read per distinct order on the page (≤ limit); the promise and the gift flag are the order's.
    for (const id of new Set(rows.map((r) => r.order_id))) orders.set(id, await this.order(id));
    const now = this.clock.now();
    return rows.map((r) => {
      const f = toFulfillment(r);
      const order = orders.get(r.order_id) ?? null;
      return {
        ...f,
        units: f.lines.reduce((a, l) => a + l.quantity, 0),
        promise: promiseOf(f, promisedOf(order), this.promiseDays[f.method as Method], now),
        gift: giftOf(order),
        location_name: name(f.location_id),
        destination_name: name(f.destination_location_id),
      };
    });
  }

  /** One task with what the associate needs to pick, pack and print; `row` is already authorised. */
  async sheet(task: Fulfillment) {
    const order = await this.order(task.order_id);
    const gift = giftOf(order);
    const variants = await this.catalog.getVariants(task.lines.map((l) => l.sku));
    const price = new Map(order?.lines.map((l) => [l.line_id, l.unit_price]) ?? []);
    const lines: SheetLine[] = task.lines.map((l) => {
      const v = variants.get(l.sku);
      return {
        ...l,
        product_name: v?.product_name ?? null,
        gtin: v?.gtin ?? null,
        size: v?.size ?? null,
        colour: v?.colour ?? null,
        weight_g: v?.weight_g ?? null,
        unit_price: gift === true ? null : (price.get(l.line_id) ?? null),
      };
    });
    const name = await this.names();
    const siblings = (await store.byOrder(this.db, task.order_id)).filter((r) => r.id !== task.id);
    const row = await store.getFulfillment(this.db, task.id);
    const address = order?.delivery.address ?? null;
    return {
      task,
      promise: promiseOf(task, promisedOf(order), this.promiseDays[task.method], this.clock.now()),
      gift,
      gift_message: gift ? giftMessageOf(order) : null,
      currency: order?.currency ?? null,
      order: order
        ? {
            id: order.id,
            placed_at: order.placed_at,
            channel_type: order.channel_type,
            delivery_method: order.delivery.method,
            collect_at: order.delivery.location_name ?? null,
            ship_to: address
              ? {
                  name: address.name ?? null,
                  line1: address.line1,
                  city: address.city,
                  postal_code: address.postal_code,
                  country: address.country,
                }
              : null,
          }
        : null,
      location_name: name(task.location_id),
      destination_name: name(task.destination_location_id),
      lines,
      pickup_notified_at: row?.pickup_notified_at?.toISOString() ?? null,
      // The order's other tasks: where refused or short-picked lines went (the associate sees it).
      elsewhere: siblings.map((r) => ({
        id: r.id,
        location_id: r.location_id,
        location_name: name(r.location_id),
        status: r.status,
        lines: json<FulfillmentLine[]>(r.lines),
        reject_reason: r.reject_reason,
      })),
    };
  }

  /** A scanned or typed GTIN/SKU: the task line it is, or 422 wrong_item on the spot. */
  async scan(task: Fulfillment, code: string) {
    const variants = await this.catalog.getVariants(task.lines.map((l) => l.sku));
    const lines = task.lines.map((l) => {
      const v = variants.get(l.sku);
      return { ...l, gtin: v?.gtin ?? null, size: v?.size ?? null, product_name: v?.product_name ?? null };
    });
    const hit = matchCode(lines, code);
    if (!hit)
      throw new AppError('wrong_item', `${code.trim()} is not an item of this task`, {
        errors: [{ field: 'code', message: 'not in this task' }],
        code_scanned: code.trim(),
      });
    return hit;
  }

  /** Where refused or missing lines were sourced again, with location names (the reject answer). */
  async describe(outcomes: readonly SourceOutcome[]): Promise<ResourcedTo[]> {
    if (!outcomes.length) return [];
    const name = await this.names();
    const rows = await qstore.rowsByIds(
      this.db,
      outcomes.flatMap((o) => o.fulfillment_ids),
    );
    return outcomes.map((o) => ({
      decision_id: o.decision_id,
      tasks: rows
        .filter((r) => o.fulfillment_ids.includes(r.id))
        .map((r) => ({
          id: r.id,
          location_id: r.location_id,
          location_name: name(r.location_id),
          status: r.status,
          lines: json<FulfillmentLine[]>(r.lines),
        })),
      unsourced: o.unsourced,
    }));
  }

  /**
   * Sends the pickup notification again: a new `fulfillment.ready_for_pickup` event (marked
   * `resent`), which the notifications module mails like the first (one mail per event id). The
   * mail leaves after commit. `guard` checks the caller works at the collect location.
   */
  async resendPickup(id: string, guard: (locationId: string) => void): Promise<Fulfillment> {
    const out = await inTx(this.db, undefined, async (trx) => {
      const row = await store.getFulfillment(trx, id, true);
      if (!row) throw problems.notFound('fulfillment', id);
      const at = row.destination_location_id ?? row.location_id;
      guard(at);
      if (row.status !== 'ready_for_pickup')
        throw new AppError('invalid_transition', `a ${row.status} fulfillment has no pickup notification to resend`, {
          fulfillment_status: row.status,
          action: 'resend_pickup_notification',
        });
      const now = this.clock.now();
      await qstore.markNotified(trx, id, now);
      const lines = json<FulfillmentLine[]>(row.lines);
      await emit(
        trx,
        [
          {
            type: 'fulfillment.ready_for_pickup',
            aggregateId: id,
            payload: {
              id,
              order_id: row.order_id,
              customer_id: row.customer_id,
              method: row.method,
              status: row.status,
              lines,
              pickup_code: row.pickup_code,
              location_id: at,
              resent: true,
            },
          },
        ],
        now,
      );
      return toFulfillment(row);
    });
    this.bus?.nudge();
    return out;
  }
}
