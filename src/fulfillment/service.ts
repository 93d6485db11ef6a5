/**
 * Fulfillment tasks: sourcing orders into tasks (sourcing-service.ts), each location's queue, the
 * actions of the one transition table (rules.ts) with their stock effects, and the jobs (SLA timeout,
 * uncollected orders). Every change and its events commit together; other modules pass `{ trx }`.
 */
import type { Db, Executor, Tx } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import type { EventBus } from '../platform/events/bus.js';
import { emit } from '../platform/events/outbox.js';
import { inTx } from '../platform/db/tx.js';
import { problems } from '../platform/http/problems.js';
import {
  decide,
  orderDelivered,
  uncollectedBefore,
  type Action,
  type FulfillmentStatus,
  METHODS,
  type Method,
  type SystemAction,
} from './rules.js';
import { misplacedField } from './queue-rules.js';
import { CommittedRefusal, Transitions, type LocationGuard, type ResourceTrigger } from './transition.js';
import { capacityLocations, Sourcing, type SourceOutcome } from './sourcing-service.js';
import { DEFAULT_COSTS } from './sourcing/index.js';
import * as store from './store.js';
import { cancelUnits } from './cancel-units.js';
import { json } from '../platform/db/json.js';
import { toFulfillment } from './mapping.js';
import { FulfillmentInbox, type InboxKind, type OrderFacts } from './inbox.js';
import type { Fulfillment, FulfillmentConfig, FulfillmentLine, OrderPlaced, StoredDecision } from './types.js';
import type { FulfillmentInventoryPort, FulfillmentNetworkPort, FulfillmentOrdersPort } from './ports.js';

export { EXCHANGE_LINE_PREFIX, type LocationGuard } from './transition.js';
export { toFulfillment } from './mapping.js';
export type { InboxKind } from './inbox.js';

export const DEFAULT_FULFILLMENT_CONFIG: FulfillmentConfig = {
  costs: DEFAULT_COSTS,
  slaMinutes: { store: 120, warehouse: 240 },
  collectDays: 7,
  promiseDays: { home: 4, click_collect: 3, pickup_point: 4 },
  reservationTtlSeconds: 30 * 24 * 3600,
};

export interface ActionInput {
  action: Action;
  pickup_code?: string | undefined;
  tracking?: string | undefined;
  reason?: string | undefined;
  /** pick: the units actually found, when fewer than the task's (the rest is sourced elsewhere); reject: the units refused. */
  lines?: { sku: string; quantity: number }[] | undefined;
  carrier?: string | undefined;
  parcels?: number | undefined;
  weight_g?: number | undefined;
}

export class FulfillmentService {
  readonly sourcing: Sourcing;
  private readonly transitions: Transitions;
  private readonly inbox: FulfillmentInbox;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly bus: EventBus | undefined,
    private readonly network: FulfillmentNetworkPort,
    private readonly inventory: FulfillmentInventoryPort,
    private readonly orders: FulfillmentOrdersPort | undefined,
    readonly config: FulfillmentConfig = DEFAULT_FULFILLMENT_CONFIG,
  ) {
    this.sourcing = new Sourcing(clock, network, inventory, config);
    this.transitions = new Transitions(clock, inventory, orders, config, (trx, row, lines, trigger) =>
      this.resource(trx, row, lines, trigger),
    );
    // The claim of an order to source also reads its last attempt and the capacity-limited locations' day.
    const claim = {
      methods: METHODS,
      capacityLocations: async (trx: Tx) => capacityLocations(await network.snapshot({ trx })),
    };
    this.inbox = new FulfillmentInbox(db, clock, bus, (k, d, trx, o) => this.handleInbox(k, d, trx, o), claim);
  }

  private async run<T>(trx: Executor | undefined, fn: (trx: Tx) => Promise<T>): Promise<T> {
    const out = await inTx(this.db, trx, fn);
    if (!trx) this.bus?.nudge();
    return out;
  }

  // ---- the inbox (inbox.ts): events are recorded by the handlers, acted on by `processInbox` -----

  /** Records events in the dispatcher's transaction (FulfillmentInbox.enqueue). */
  enqueue(
    kind: InboxKind,
    events: { id: string; data: Record<string, unknown> } | { id: string; data: Record<string, unknown> }[],
    trx: Executor,
  ): Promise<void> {
    return this.inbox.enqueue(kind, events, trx);
  }

  /** Job: works off due inbox items, each in its own transaction (FulfillmentInbox.process). */
  processInbox(limit = 50): Promise<number> {
    return this.inbox.process(limit);
  }

  private async handleInbox(kind: InboxKind, data: Record<string, unknown>, trx: Tx, order: OrderFacts | null) {
    if (kind === 'order_placed') await this.onOrderPlaced(data as unknown as OrderPlaced, { trx, order });
    else if (kind === 'order_cancelled') await this.onOrderCancelled(String(data.order_id), { trx });
    else await this.onTransferReceived(String(data.id), String(data.status), { trx });
  }

  /**
   * `order.placed`: source the order into tasks. Idempotent: an order already sourced is left alone.
   * `order`: its last attempt and the packages of the day, when read in `trx` already (the inbox's claim).
   */
  async onOrderPlaced(
    e: OrderPlaced,
    opts: { trx?: Executor; order?: OrderFacts | null } = {},
  ): Promise<SourceOutcome | null> {
    if (e.delivery.method !== 'home' && e.delivery.method !== 'click_collect' && e.delivery.method !== 'pickup_point')
      return null; // in-store sales are done
    const method = e.delivery.method;
    return this.run(opts.trx, async (trx) => {
      const known = opts.trx ? opts.order : undefined;
      const attempts = known ? known.attempts : await store.lastAttempt(trx, e.order_id);
      if (attempts > 0) return null;
      if (this.orders) {
        // Only the status (one read, not the order with its lines and payment): cancelled before we got to it?
        const status = await this.orders.statusOf(e.order_id, { trx });
        if (status === undefined) throw problems.notFound('order', e.order_id);
        if (status === 'cancelled') return null;
      }
      const res = e.reservation_id ? await this.inventory.getReservation(e.reservation_id, { trx }) : null;
      return this.sourcing.source(trx, {
        order_id: e.order_id,
        channel_id: e.channel,
        customer_id: e.customer_id,
        method,
        destination_location_id: method === 'home' ? null : (e.delivery.location_id ?? null),
        address: e.delivery.address,
        lines: e.lines.map((l) => ({ line_id: l.line_id, sku: l.sku, quantity: l.quantity })),
        promise_days: this.config.promiseDays[method],
        exclude: [],
        trigger: 'order_placed',
        held: res && res.status === 'active' ? { reservation_id: res.id, lines: res.lines } : undefined,
        attempts_before: attempts,
        packages: known?.packages,
      });
    });
  }

  async get(id: string, opts: { trx?: Executor } = {}): Promise<Fulfillment> {
    const r = await store.getFulfillment(opts.trx ?? this.db, id);
    if (!r) throw problems.notFound('fulfillment', id);
    return toFulfillment(r);
  }

  async ofOrder(orderId: string, opts: { trx?: Executor } = {}): Promise<Fulfillment[]> {
    return (await store.byOrder(opts.trx ?? this.db, orderId)).map(toFulfillment);
  }

  async decisions(orderId: string, opts: { trx?: Executor } = {}): Promise<StoredDecision[]> {
    const rows = await store.decisionsOf(opts.trx ?? this.db, orderId);
    return rows.map((r) => ({
      id: r.id,
      order_id: r.order_id,
      attempt: r.attempt,
      trigger: r.trigger,
      cost: Number(r.cost),
      allocations: json(r.allocations),
      unsourced: json(r.unsourced),
      explanation: json(r.explanation),
      created_at: r.created_at.toISOString(),
    }));
  }

  async list(q: {
    location_id?: string | undefined;
    order_id?: string | undefined;
    created_from?: Date | undefined;
    status?: FulfillmentStatus | undefined;
    after?: string | undefined;
    limit: number;
  }): Promise<Fulfillment[]> {
    return (await store.queue(this.db, q)).map(toFulfillment);
  }

  /** A person's action on a task (store app, warehouse system, pickup point). */
  async act(
    id: string,
    input: ActionInput,
    guard: LocationGuard = () => undefined,
    opts: { trx?: Executor } = {},
  ): Promise<Fulfillment> {
    return (await this.actDetailed(id, input, guard, opts)).task;
  }

  /** `act`, with where refused or missing lines were sourced again (the store app shows it). */
  async actDetailed(
    id: string,
    input: ActionInput,
    guard: LocationGuard = () => undefined,
    opts: { trx?: Executor } = {},
  ): Promise<{ task: Fulfillment; resourced: SourceOutcome[] }> {
    const outcomes: SourceOutcome[] = [];
    // The input's shape is checked before the task's state: a field for another action is refused, not ignored.
    const misplaced = misplacedField(input.action, input);
    if (misplaced) throw problems.field(misplaced.field, misplaced.message);
    if (input.action === 'ship' && input.tracking !== undefined && !input.tracking.trim())
      throw problems.field('tracking', 'must not be blank');
    const paymentOps: string[] = [];
    const out = await this.run(opts.trx, async (trx) => {
      paymentOps.length = 0; // a retried transaction asks again; the rolled-back attempt's ids are gone
      outcomes.length = 0;
      const row = await store.getFulfillment(trx, id, true);
      if (!row) throw problems.notFound('fulfillment', id);
      const done = await this.transitions.run(trx, row, input.action, input, guard, paymentOps, outcomes);
      return done instanceof CommittedRefusal ? done : toFulfillment(done);
    });
    // The capture asked for at departure is run now that the task row is committed and unlocked.
    // Inside a caller's `trx` it cannot be: the payments job runs it once that commits. A refused
    // capture does not undo the shipment (the goods left): it is recorded on the payment's
    // operation with `payment.capture_failed`; an error here leaves it pending for the job.
    if (!opts.trx && paymentOps.length) await this.orders?.settlePaymentOperations?.(paymentOps).catch(() => undefined);
    // A wrong pickup code is counted in the committed transaction, then refused. (Inside a caller's
    // `trx` the count stands or falls with the caller's transaction.)
    if (out instanceof CommittedRefusal) throw out.error;
    return { task: out, resourced: [...outcomes] };
  }

  /**
   * Unlocks a handover locked by wrong pickup codes (staff with `fulfillment:unlock`, at the
   * collect location). The count starts again; the code stays the one the customer was mailed.
   */
  async unlockPickup(id: string, guard: LocationGuard = () => undefined, opts: { trx?: Executor } = {}) {
    return this.run(opts.trx, async (trx) => {
      const row = await store.getFulfillment(trx, id, true);
      if (!row) throw problems.notFound('fulfillment', id);
      guard(row.destination_location_id ?? row.location_id);
      const now = this.clock.now();
      const unlocked = await store.unlockPickup(trx, id, now);
      if (!unlocked) throw problems.conflict(`the handover of ${id} is not locked`);
      await emit(
        trx,
        [
          {
            type: 'fulfillment.pickup_unlocked',
            aggregateId: id,
            payload: { id, order_id: row.order_id, location_id: row.destination_location_id ?? row.location_id },
          },
        ],
        now,
      );
      return toFulfillment(unlocked);
    });
  }

  private transition(
    trx: Tx,
    row: store.FulfillmentRow,
    action: Action | SystemAction,
    input: ActionInput,
    guard: LocationGuard,
    paymentOps?: string[],
  ): Promise<store.FulfillmentRow | CommittedRefusal> {
    return this.transitions.run(trx, row, action, input, guard, paymentOps);
  }

  /** Sources a refused task's lines again, never at a location that refused this order. */
  private async resource(
    trx: Tx,
    row: store.FulfillmentRow,
    lines: FulfillmentLine[],
    trigger: ResourceTrigger,
  ): Promise<SourceOutcome> {
    const method = row.method as Method;
    const destination =
      method === 'click_collect' && row.destination_location_id === null
        ? row.location_id
        : row.destination_location_id;
    return this.sourcing.source(trx, {
      order_id: row.order_id,
      channel_id: row.channel_id,
      customer_id: row.customer_id,
      method,
      destination_location_id: method === 'home' ? null : destination,
      address: method === 'home' ? await this.addressOf(row.order_id, trx) : undefined,
      lines,
      promise_days: this.config.promiseDays[method],
      exclude: [...(await store.refusedBy(trx, row.order_id)), ...(trigger === 'short_pick' ? [row.location_id] : [])],
      trigger,
    });
  }

  private async addressOf(orderId: string, trx: Tx) {
    if (!this.orders) return undefined;
    const o = await this.orders.get(orderId, { trx });
    return o.delivery.address ?? undefined;
  }

  /** `transfer.received`: the collect store has the goods; the order is ready for pickup. */
  async onTransferReceived(transferId: string, status: string, opts: { trx?: Executor } = {}): Promise<void> {
    if (status !== 'received') return;
    await this.run(opts.trx, async (trx) => {
      const row = await store.byTransfer(trx, transferId);
      if (!row || row.status !== 'in_transit') return; // not ours, or already handled (at-least-once delivery)
      await this.transition(trx, row, 'transfer_received', { action: 'ready' }, () => undefined);
    });
  }

  /**
   * The carrier delivered a shipped home delivery (carriers module: tracking poll or webhook), in the
   * caller's transaction. Idempotent: a task already delivered answers 'already'; one not shipped yet
   * answers 'not_shipped' (the carrier is ahead of the store: the tracking job tries again later).
   * When every task of the order is finished, a fulfilled order is completed.
   */
  async carrierDelivered(id: string, opts: { trx: Tx }): Promise<'delivered' | 'already' | 'not_shipped'> {
    const trx = opts.trx;
    const row = await store.getFulfillment(trx, id, true);
    if (!row) throw problems.notFound('fulfillment', id);
    if (row.status === 'delivered') return 'already';
    if (row.status !== 'shipped' || row.method !== 'home') return 'not_shipped';
    await this.transition(trx, row, 'deliver', { action: 'ship' }, () => undefined);
    const statuses = (await store.byOrder(trx, row.order_id)).map((r) => r.status as FulfillmentStatus);
    if (this.orders?.complete && orderDelivered(statuses)) {
      const order = await this.orders.get(row.order_id, { trx });
      if (order.status === 'fulfilled') await this.orders.complete(row.order_id, { trx });
    }
    return 'delivered';
  }

  /** `order.cancelled`: open tasks are cancelled and their stock released or put back. */
  async onOrderCancelled(orderId: string, opts: { trx?: Executor } = {}): Promise<void> {
    await this.run(opts.trx, async (trx) => {
      for (const r of await store.byOrder(trx, orderId)) {
        const locked = (await store.getFulfillment(trx, r.id, true))!;
        if (
          decide(
            {
              status: locked.status as FulfillmentStatus,
              method: locked.method as Method,
              collectHere: locked.method === 'click_collect' && locked.destination_location_id === null,
            },
            'cancel',
          ).ok
        ) {
          await this.transition(trx, locked, 'cancel', { action: 'reject' }, () => undefined);
        }
      }
    });
  }

  /**
   * In the order's transaction: `quantity` units of an order line leave the tasks nobody has picked
   * yet (409 when picked or shipped units would be needed: those are a return).
   */
  async cancelUnits(orderId: string, lineId: string, quantity: number, opts: { trx: Tx }): Promise<void> {
    await cancelUnits(
      {
        inventory: this.inventory,
        hold: (t, r, l, loc) => this.transitions.hold(t, r, l, loc),
        cancelTask: async (t, r) => void (await this.transition(t, r, 'cancel', { action: 'reject' }, () => undefined)),
      },
      opts.trx,
      orderId,
      lineId,
      quantity,
      this.clock.now(),
    );
  }

  /** Job: pending tasks past their SLA are taken away and re-sourced. Returns how many. */
  async timeoutDue(limit = 50): Promise<number> {
    return this.run(undefined, async (trx) => {
      const due = await store.claimOverdue(trx, this.clock.now(), limit);
      for (const r of due) await this.transition(trx, r, 'timeout', { action: 'reject' }, () => undefined);
      return due.length;
    });
  }

  /** Job: orders not collected within `collectDays` go back to stock. Returns how many. */
  async expireUncollected(limit = 50): Promise<number> {
    return this.run(undefined, async (trx) => {
      const due = await store.claimUncollected(
        trx,
        uncollectedBefore(this.clock.now(), this.config.collectDays),
        limit,
      );
      for (const r of due) await this.transition(trx, r, 'expire', { action: 'reject' }, () => undefined);
      return due.length;
    });
  }
}
