/**
 * Carrying out one transition of the table (rules.ts `decide`) on a locked task row, in the
 * caller's transaction, as named phases: authorise → check the input → plan a short pick → apply
 * the stock and order effects → settle a short pick → write the row → emit its events → source
 * refused or missing lines again. The policy (which effects, what a short pick does, which event)
 * is in rules.ts; this file only does what it says.
 */
import type { Tx } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { emit, type DomainEvent } from '../platform/events/outbox.js';
import { AppError, problems } from '../platform/http/problems.js';
import {
  afterWrongTry,
  checkPickupCode,
  decide,
  eventOf,
  planPick,
  PICKUP_MAX_TRIES,
  rejectReasonOf,
  type Action,
  type Effect,
  type FulfillmentStatus,
  type Method,
  type PickPlan,
  type SystemAction,
} from './rules.js';
import * as store from './store.js';
import { planReject } from './queue-rules.js';
import { rejectSome } from './reject-some.js';
import type { SourceOutcome } from './sourcing-service.js';
import type { FulfillmentEventType } from './events.js';
import type { FulfillmentConfig, FulfillmentLine } from './types.js';
import type { FulfillmentInventoryPort, FulfillmentOrdersPort } from './ports.js';
import { json } from '../platform/db/json.js';

/** Line ids of exchange units shipped for a return: `exchange:<return id>:<n>`. */
export const EXCHANGE_LINE_PREFIX = 'exchange:';

export interface TransitionInput {
  pickup_code?: string | undefined;
  tracking?: string | undefined;
  reason?: string | undefined;
  lines?: { sku: string; quantity: number }[] | undefined;
  carrier?: string | undefined;
  parcels?: number | undefined;
  weight_g?: number | undefined;
}

/** Checks that the caller may act for a location (the route passes `assertLocationAccess` bound to its principal). */
export type LocationGuard = (locationId: string) => void;

export type ResourceTrigger = 'rejected' | 'timeout' | 'short_pick';

type Patch = Parameters<typeof store.updateFulfillment>[2];
type Decided = { to: FulfillmentStatus; effects: readonly Effect[] };
type Pending = { type: FulfillmentEventType; payload: Record<string, unknown> };

/**
 * A refusal whose transaction must still commit (a wrong pickup code is counted even though the
 * handover is refused): the service commits, then throws `error`.
 */
export class CommittedRefusal {
  constructor(readonly error: AppError) {}
}

const pickupLocked = (id: string) =>
  new AppError(
    'pickup_code_locked',
    `too many wrong pickup codes: handover of ${id} is locked until someone with fulfillment:unlock unlocks it`,
    { errors: [{ field: 'pickup_code', message: 'locked after too many wrong codes' }] },
  );

export class Transitions {
  constructor(
    private readonly clock: Clock,
    private readonly inventory: FulfillmentInventoryPort,
    private readonly orders: FulfillmentOrdersPort | undefined,
    private readonly config: FulfillmentConfig,
    /** Sources lines again (sourcing-service), never at a location that refused the order. */
    private readonly resource: (
      trx: Tx,
      row: store.FulfillmentRow,
      lines: FulfillmentLine[],
      trigger: ResourceTrigger,
    ) => Promise<SourceOutcome>,
  ) {}

  async run(
    trx: Tx,
    row: store.FulfillmentRow,
    action: Action | SystemAction,
    input: TransitionInput,
    guard: LocationGuard,
    /** Collects the payment operations this transition asked for, to be run after the commit. */
    paymentOps: string[] = [],
    /** Collects where refused or missing lines were sourced again (the reject answer shows it). */
    outcomes: SourceOutcome[] = [],
  ): Promise<store.FulfillmentRow | CommittedRefusal> {
    const d = this.authorize(row, action, guard);
    const now = this.clock.now();
    if (action === 'reject' && input.lines) {
      const split = planReject(json<FulfillmentLine[]>(row.lines), input.lines);
      if (split.kind === 'refused') throw problems.field('lines', split.reason);
      if (split.kind === 'some') {
        const reason = rejectReasonOf('reject', input.reason)!;
        const done = await rejectSome(
          { inventory: this.inventory, hold: (t, r, l, loc) => this.hold(t, r, l, loc) },
          trx,
          row,
          split,
          reason,
          now,
        );
        outcomes.push(await this.resource(trx, row, split.rejected, 'rejected'));
        return done.kept;
      }
    }
    if (action === 'handover') {
      const refused = await this.verifyPickupCode(trx, row, input.pickup_code, now);
      if (refused) return refused;
    }
    this.checkInput(row, action, input);
    const plan = this.planPick(row, action, input, d);
    const patch: Patch = { status: d.to, updated_at: now };
    const events: Pending[] = [];
    let resource = false;
    for (const effect of d.effects) {
      if (effect === 'resource') resource = true;
      else await this.applyEffect(trx, row, action, effect, plan, patch, events, now, paymentOps);
    }
    const lines =
      plan.kind === 'short' ? await this.settleShortPick(trx, row, plan, patch) : json<FulfillmentLine[]>(row.lines);
    if (action === 'ship' && input.tracking) patch.tracking = input.tracking.trim();
    if (action === 'ship' && input.carrier?.trim()) patch.carrier = input.carrier.trim();
    if (action === 'pack') {
      if (input.parcels !== undefined) patch.parcels = input.parcels;
      if (input.weight_g !== undefined) patch.weight_g = input.weight_g;
    }
    const reason = rejectReasonOf(action, input.reason);
    if (reason) patch.reject_reason = reason;
    const updated = await store.updateFulfillment(trx, row.id, patch);
    await this.emitEvents(trx, row, action, d.to, lines, updated, reason, events, now);
    if (resource) outcomes.push(await this.resource(trx, row, lines, action === 'timeout' ? 'timeout' : 'rejected'));
    if (plan.kind === 'short') outcomes.push(await this.resource(trx, row, plan.missing, 'short_pick'));
    return updated;
  }

  /** The table says whether the action applies and who takes it; the guard checks that the caller is that location. */
  private authorize(row: store.FulfillmentRow, action: Action | SystemAction, guard: LocationGuard): Decided {
    const method = row.method as Method;
    const d = decide(
      {
        status: row.status as FulfillmentStatus,
        method,
        collectHere: method === 'click_collect' && row.destination_location_id === null,
      },
      action,
    );
    if (!d.ok) throw new AppError('invalid_transition', d.reason, { fulfillment_status: row.status, action });
    if (d.actor === 'source') guard(row.location_id);
    if (d.actor === 'destination') guard(row.destination_location_id ?? row.location_id);
    return d;
  }

  /**
   * The code the customer shows. A wrong one is counted (and may lock the task) in this transaction,
   * which must commit: so it comes back as a refusal for the caller to throw after the commit.
   */
  private async verifyPickupCode(
    trx: Tx,
    row: store.FulfillmentRow,
    given: string | undefined,
    now: Date,
  ): Promise<CommittedRefusal | null> {
    const check = checkPickupCode({ code: row.pickup_code, locked: row.pickup_locked_at !== null }, given);
    if (check === 'ok') return null;
    if (check === 'locked') return new CommittedRefusal(pickupLocked(row.id));
    const counted = await store.countWrongPickup(trx, row.id, PICKUP_MAX_TRIES, now);
    if (!counted) return new CommittedRefusal(pickupLocked(row.id)); // locked meanwhile (the row lock makes this rare)
    const after = afterWrongTry(counted.pickup_failures);
    if (after.locked) return new CommittedRefusal(pickupLocked(row.id));
    return new CommittedRefusal(
      new AppError('wrong_pickup_code', 'the pickup code does not match this order', {
        errors: [{ field: 'pickup_code', message: 'does not match' }],
        attempts_left: after.attempts_left,
      }),
    );
  }

  private checkInput(row: store.FulfillmentRow, action: Action | SystemAction, input: TransitionInput): void {
    if (action === 'ship' && row.method === 'home' && !input.tracking?.trim())
      throw problems.field('tracking', 'a home delivery ships with a tracking number');
  }

  private planPick(row: store.FulfillmentRow, action: Action | SystemAction, input: TransitionInput, d: Decided) {
    if (action !== 'pick') return { kind: 'whole' } as const;
    const plan = planPick(json<FulfillmentLine[]>(row.lines), input.lines, {
      sellsAtPick: d.effects.includes('confirm_sale'),
      holdsReservation: row.reservation_id !== null,
    });
    if (plan.kind === 'refused') throw problems.field('lines', plan.reason);
    return plan;
  }

  private async applyEffect(
    trx: Tx,
    row: store.FulfillmentRow,
    action: Action | SystemAction,
    effect: Exclude<Effect, 'resource'>,
    plan: PickPlan,
    patch: Patch,
    events: Pending[],
    now: Date,
    paymentOps: string[],
  ): Promise<void> {
    const lines = json<FulfillmentLine[]>(row.lines);
    switch (effect) {
      case 'confirm_sale':
        if (plan.kind === 'short') await this.sellFound(trx, row, plan.picked);
        else if (row.reservation_id)
          await this.inventory.confirm(row.reservation_id, { trx, actor: `fulfillment:${row.id}` });
        return;
      case 'release':
        await this.releaseIfActive(trx, row.reservation_id);
        return;
      case 'create_transfer':
        return this.transferToDestination(trx, row, lines, patch);
      case 'reserve_at_destination':
        patch.reservation_id = await this.hold(trx, row, lines, row.destination_location_id!);
        return;
      case 'restock_at_source':
        return this.restockAtSource(trx, row, lines, action === 'expire' ? 'not collected' : 'fulfillment cancelled');
      case 'mark_fulfilled':
        return this.markFulfilled(trx, row, lines, paymentOps);
      case 'emit_ready':
        patch.ready_at = now;
        events.push({
          type: 'fulfillment.ready_for_pickup',
          payload: { pickup_code: row.pickup_code, location_id: row.destination_location_id ?? row.location_id },
        });
        return;
    }
  }

  /** A short pick that sells: the found units are sold, the rest of the reservation released. */
  private async sellFound(trx: Tx, row: store.FulfillmentRow, picked: FulfillmentLine[]): Promise<void> {
    if (!row.reservation_id) return;
    await this.inventory.confirmLines(
      row.reservation_id,
      picked.map((l) => ({ sku: l.sku, location_id: row.location_id, quantity: l.quantity })),
      { trx, actor: `fulfillment:${row.id}` },
    );
    await this.releaseIfActive(trx, row.reservation_id);
  }

  private async releaseIfActive(trx: Tx, reservationId: string | null): Promise<void> {
    if (reservationId && (await this.inventory.getReservation(reservationId, { trx })).status === 'active')
      await this.inventory.release(reservationId, { trx });
  }

  /** Release the source's hold, then move the units to the collect store (in transit until received). */
  private async transferToDestination(
    trx: Tx,
    row: store.FulfillmentRow,
    lines: FulfillmentLine[],
    patch: Patch,
  ): Promise<void> {
    if (row.reservation_id) await this.inventory.release(row.reservation_id, { trx });
    const t = await this.inventory.createTransfer(
      {
        from_location_id: row.location_id,
        to_location_id: row.destination_location_id!,
        lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
        reference: row.id,
        actor: `fulfillment:${row.id}`,
      },
      { trx },
    );
    patch.transfer_id = t.id;
    patch.reservation_id = null;
  }

  /** Holds the lines for this task at one location; returns the reservation id. */
  async hold(trx: Tx, row: store.FulfillmentRow, lines: FulfillmentLine[], locationId: string) {
    const r = await this.inventory.reserve(
      {
        channel: row.channel_id,
        ttl_seconds: this.config.reservationTtlSeconds,
        reference: row.id,
        lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, location_id: locationId })),
      },
      { trx },
    );
    return r.id;
  }

  private async restockAtSource(trx: Tx, row: store.FulfillmentRow, lines: FulfillmentLine[], reason: string) {
    for (const l of lines)
      await this.inventory.receiveReturn(
        { sku: l.sku, location_id: row.location_id, quantity: l.quantity, reference: row.id, reason },
        { trx },
      );
  }

  private async markFulfilled(
    trx: Tx,
    row: store.FulfillmentRow,
    lines: FulfillmentLine[],
    paymentOps: string[],
  ): Promise<void> {
    // Exchange lines (returns) are not lines of the order: only the order's own are reported.
    const own = lines.filter((l) => !l.line_id.startsWith(EXCHANGE_LINE_PREFIX));
    if (!this.orders || !own.length) return;
    await this.orders.markFulfilled(
      row.order_id,
      own.map((l) => ({ line_id: l.line_id, quantity: l.quantity })),
      { trx },
    );
    await this.captureOnDeparture(trx, row.order_id, paymentOps);
  }

  /**
   * The money is taken when the goods leave (first shipment or handover), not at checkout. The one
   * capture call site: only a pending capture is written here (the provider is not called while
   * this transaction holds the task row and may be retried); its id goes to `paymentOps`, for the
   * caller to run once the transaction has committed.
   */
  private async captureOnDeparture(trx: Tx, orderId: string, paymentOps: string[]): Promise<void> {
    if (!this.orders?.requestCapture) return;
    const order = await this.orders.get(orderId, { trx });
    if (order.payment?.status !== 'authorized') return;
    // ifAuthorized: a sibling task's capture may have settled since the read above; then nothing to do.
    const op = await this.orders.requestCapture(orderId, { trx, ifAuthorized: true });
    if (op && !paymentOps.includes(op.id)) paymentOps.push(op.id);
  }

  /** A short pick keeps only the found units; travelling to a collect store, only they stay held until it ships. */
  private async settleShortPick(
    trx: Tx,
    row: store.FulfillmentRow,
    plan: Extract<PickPlan, { kind: 'short' }>,
    patch: Patch,
  ): Promise<FulfillmentLine[]> {
    patch.lines = JSON.stringify(plan.picked);
    if (plan.stock === 'hold_found_at_source') {
      await this.inventory.release(row.reservation_id!, { trx });
      patch.reservation_id = await this.hold(trx, row, plan.picked, row.location_id);
    }
    return plan.picked;
  }

  private async emitEvents(
    trx: Tx,
    row: store.FulfillmentRow,
    action: Action | SystemAction,
    to: FulfillmentStatus,
    lines: FulfillmentLine[],
    updated: store.FulfillmentRow,
    reason: string | undefined,
    events: Pending[],
    now: Date,
  ): Promise<void> {
    const base = {
      id: row.id,
      order_id: row.order_id,
      customer_id: row.customer_id,
      location_id: row.location_id,
      method: row.method as Method,
      status: to,
      lines,
    };
    const named = eventOf(action, to);
    await emit(
      trx,
      [
        ...(named
          ? [
              {
                type: named,
                aggregateId: row.id,
                payload: {
                  ...base,
                  ...(action === 'ship'
                    ? { tracking: updated.tracking, carrier: updated.carrier, transfer_id: updated.transfer_id }
                    : {}),
                  ...(reason ? { reason } : {}),
                },
              },
            ]
          : []),
        ...events.map((e) => ({ type: e.type, aggregateId: row.id, payload: { ...base, ...e.payload } })),
        // The event type is computed (one per transition), so TypeScript cannot pair it with its payload:
        // every transition event carries the task (`base`), as src/fulfillment/events.ts declares.
      ] as DomainEvent[],
      now,
    );
  }
}
