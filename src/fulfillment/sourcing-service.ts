/**
 * Sourcing orders against the live network and stock: gathers the candidates' stock and today's
 * capacity, runs the optimiser (sourcing/), stores the decision with its explanation, and turns each
 * allocation into a fulfillment task holding its own reservation at its location. Runs inside the
 * caller's transaction (the `order.placed` dispatcher, a rejection, the SLA job).
 */
import { randomInt } from 'node:crypto';
import type { Clock } from '../platform/clock.js';
import type { Tx } from '../platform/db/schema.js';
import { outboxInsert } from '../platform/events/outbox.js';
import { newId } from '../platform/ids.js';
import { destinationOf, type AddressLike } from './destination.js';
import { dayStart, slaDeadline, type Method } from './rules.js';
import { sourceBatch, type SourcingLocation, type StockLevel, type SourcingDecision } from './sourcing/index.js';
import * as store from './store.js';
import type { FulfillmentConfig, FulfillmentLine } from './types.js';
import type { FulfillmentInventoryPort, FulfillmentNetworkPort } from './ports.js';
import type { NetworkSnapshot } from '../network/index.js';

export interface SourceRequest {
  order_id: string;
  channel_id: string;
  customer_id: string | null;
  method: Method;
  destination_location_id: string | null;
  address?: AddressLike | undefined;
  lines: FulfillmentLine[];
  promise_days: number;
  /** Locations that refused this order already. */
  exclude: string[];
  trigger: 'order_placed' | 'rejected' | 'timeout' | 'short_pick';
  /** Units this order already holds (the checkout's reservation), released once the new plan is reserved. */
  held?: { reservation_id: string; lines: { sku: string; location_id: string; quantity: number }[] } | undefined;
  /**
   * The attempts recorded for this order, when the caller read them in this transaction (not read
   * again). A concurrent sourcing of the same order then fails on (order_id, attempt) and retries.
   */
  attempts_before?: number | undefined;
  /**
   * Packages taken on since `since` at `locations`, when the caller read them in this transaction
   * (the inbox's claim): used when they cover every location with a daily capacity, read otherwise.
   */
  packages?: { since: Date; locations: readonly string[]; used: Map<string, number> } | undefined;
}

export interface SourceOutcome {
  decision_id: string;
  fulfillment_ids: string[];
  unsourced: FulfillmentLine[];
}

/** Six digits the customer shows at the counter. Random, so never from rules.ts. */
export function newPickupCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

const limitedBySnapshot = new WeakMap<NetworkSnapshot, readonly string[]>();
/** The locations with a daily capacity (their packages of the day are counted), once per snapshot. */
export function capacityLocations(snap: NetworkSnapshot): readonly string[] {
  let ids = limitedBySnapshot.get(snap);
  if (!ids) {
    ids = snap.locations.filter((l) => l.daily_capacity > 0).map((l) => l.id);
    limitedBySnapshot.set(snap, ids);
  }
  return ids;
}

export class Sourcing {
  constructor(
    private readonly clock: Clock,
    private readonly network: FulfillmentNetworkPort,
    private readonly inventory: FulfillmentInventoryPort,
    private readonly config: FulfillmentConfig,
  ) {}

  async source(trx: Tx, req: SourceRequest): Promise<SourceOutcome> {
    const now = this.clock.now();
    const snap = await this.network.snapshot({ trx });
    const channel = snap.channelById.get(req.channel_id) ?? snap.channelByCode.get(req.channel_id);
    if (!channel) throw new Error(`channel ${req.channel_id} of order ${req.order_id} does not exist`);
    const skus = [...new Set(req.lines.map((l) => l.sku))];

    // Stock the channel may use, plus what this order already holds (it is about to be released).
    const [avail, levels] = await Promise.all([
      this.inventory.availability({ channel: channel.id, skus }, { trx }),
      this.inventory.stocks(skus, { trx }),
    ]);
    const maxOf = new Map<string, number | null>(
      levels.flatMap((s) => s.levels.map((l): [string, number | null] => [`${s.sku}|${l.location_id}`, l.max_qty])),
    );
    const held = new Map<string, number>();
    for (const l of req.held?.lines ?? [])
      held.set(`${l.sku}|${l.location_id}`, (held.get(`${l.sku}|${l.location_id}`) ?? 0) + l.quantity);
    const stock: StockLevel[] = [];
    for (const a of avail) {
      for (const l of a.locations) {
        const key = `${a.sku}|${l.location_id}`;
        stock.push({
          sku: a.sku,
          location_id: l.location_id,
          available: l.available + (held.get(key) ?? 0),
          max: maxOf.get(key) ?? null,
        });
        held.delete(key);
      }
    }
    for (const [key, q] of held) {
      const [sku, location_id] = key.split('|') as [string, string];
      stock.push({ sku, location_id, available: q, max: maxOf.get(key) ?? null });
    }

    // Today's packages per location against its daily capacity (0 = not limited): read only for the
    // locations that have one, and not at all when the caller read them already.
    const since = dayStart(now);
    const limited = capacityLocations(snap);
    const pre = req.packages;
    const used =
      pre && pre.since.getTime() === since.getTime() && limited.every((id) => pre.locations.includes(id))
        ? pre.used
        : await store.packagesSince(trx, since, limited);
    const locations: SourcingLocation[] = snap.locations.map((l) => ({
      id: l.id,
      type: l.type,
      lat: l.lat,
      lng: l.lng,
      capabilities: l.capabilities,
      active: l.active,
      capacityLeft: l.daily_capacity > 0 ? Math.max(0, l.daily_capacity - (used.get(l.id) ?? 0)) : -1,
    }));
    const destLoc = req.destination_location_id ? snap.locationById.get(req.destination_location_id) : undefined;
    const dest = destLoc ? { lat: destLoc.lat, lng: destLoc.lng } : destinationOf(req.address, snap.locations);
    const allowed = channel.stock_policy.locations === 'all' ? 'all' : new Set(channel.stock_policy.locations);
    const result = sourceBatch(this.config.costs, locations, stock, [
      {
        id: req.order_id,
        method: req.method,
        dest: dest ?? { lat: 0, lng: 0 },
        dest_location_id: req.destination_location_id,
        promise_days: req.promise_days,
        allowed,
        exclude: new Set(req.exclude),
        lines: req.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      },
    ]);
    const decision = result.decisions[0]!;
    return this.record(trx, req, decision, now);
  }

  private async record(trx: Tx, req: SourceRequest, decision: SourcingDecision, now: Date): Promise<SourceOutcome> {
    const attempt = (req.attempts_before ?? (await store.lastAttempt(trx, req.order_id))) + 1;
    const decisionId = newId('src', now.getTime());
    const toLines = (xs: { line_index: number; quantity: number }[]) =>
      xs.map((x) => ({
        line_id: req.lines[x.line_index]!.line_id,
        sku: req.lines[x.line_index]!.sku,
        quantity: x.quantity,
      }));
    const allocations = decision.allocations.map((a) => ({ ...a, lines: toLines(a.lines) }));
    const unsourced = toLines(decision.unsourced);
    // The order's old hold goes first, so the new plan can reserve the same units where it keeps them.
    // When the plan is one package exactly where the checkout already holds the units (the common
    // case), the task keeps that reservation: no churn, and the order's own reservation stays the
    // one that cancelling the order releases.
    const key = (l: { sku: string; location_id: string; quantity: number }) =>
      `${l.sku}|${l.location_id}|${l.quantity}`;
    const held = req.held;
    const keep =
      held !== undefined &&
      allocations.length === 1 &&
      unsourced.length === 0 &&
      mergedKeys(held.lines).join() ===
        mergedKeys(
          allocations[0]!.lines.map((l) => ({
            sku: l.sku,
            location_id: allocations[0]!.location_id,
            quantity: l.quantity,
          })),
        ).join();
    if (held && !keep) {
      const r = await this.inventory.getReservation(held.reservation_id, { trx });
      if (r.status === 'active') await this.inventory.release(r.id, { trx });
    }
    function mergedKeys(lines: { sku: string; location_id: string; quantity: number }[]): string[] {
      const m = new Map<string, number>();
      for (const l of lines) m.set(`${l.sku}|${l.location_id}`, (m.get(`${l.sku}|${l.location_id}`) ?? 0) + l.quantity);
      return [...m].map(([k, q]) => key({ sku: k.split('|')[0]!, location_id: k.split('|')[1]!, quantity: q })).sort();
    }
    const snap = await this.network.snapshot({ trx });
    const ids: string[] = [];
    const rows = [];
    for (const a of allocations) {
      const id = newId('ful', now.getTime());
      const res =
        keep && held
          ? { id: held.reservation_id }
          : await this.inventory.reserve(
              {
                channel: req.channel_id,
                ttl_seconds: this.config.reservationTtlSeconds,
                reference: id,
                customer_id: req.customer_id ?? undefined,
                lines: a.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, location_id: a.location_id })),
              },
              { trx },
            );
      const loc = snap.locationById.get(a.location_id)!;
      const sla = loc.type === 'warehouse' ? this.config.slaMinutes.warehouse : this.config.slaMinutes.store;
      const collectHere = req.method === 'click_collect' && req.destination_location_id === a.location_id;
      rows.push({
        id,
        order_id: req.order_id,
        location_id: a.location_id,
        method: req.method,
        destination_location_id: req.method === 'home' || collectHere ? null : req.destination_location_id,
        status: 'pending',
        lines: a.lines,
        reservation_id: res.id,
        transfer_id: null,
        pickup_code: req.method === 'home' ? null : newPickupCode(),
        tracking: null,
        sla_deadline: slaDeadline(now, sla),
        ready_at: null,
        reject_reason: null,
        decision_id: decisionId,
        channel_id: req.channel_id,
        customer_id: req.customer_id,
        created_at: now,
        updated_at: now,
      });
      ids.push(id);
    }
    // The decision, its tasks and their events: one statement (store.insertSourcing).
    const events = outboxInsert(
      [
        {
          type: 'fulfillment.sourced',
          aggregateId: req.order_id,
          payload: {
            order_id: req.order_id,
            decision_id: decisionId,
            attempt,
            trigger: req.trigger,
            cost: decision.cost,
            fulfillment_ids: ids,
            unsourced,
            reason: decision.explanation.reason,
          },
        },
        ...rows.map((r) => ({
          type: 'fulfillment.created' as const,
          aggregateId: r.id,
          payload: {
            id: r.id,
            order_id: r.order_id,
            location_id: r.location_id,
            method: r.method,
            destination_location_id: r.destination_location_id,
            lines: r.lines,
            sla_deadline: r.sla_deadline.toISOString(),
            customer_id: r.customer_id,
          },
        })),
        ...(unsourced.length
          ? [
              {
                type: 'fulfillment.unsourced' as const,
                aggregateId: req.order_id,
                payload: { order_id: req.order_id, customer_id: req.customer_id, lines: unsourced },
              },
            ]
          : []),
      ],
      now,
    )!;
    await store.insertSourcing(
      trx,
      {
        id: decisionId,
        order_id: req.order_id,
        attempt,
        trigger: req.trigger,
        cost: decision.cost,
        allocations: JSON.stringify(allocations),
        unsourced: JSON.stringify(unsourced),
        explanation: JSON.stringify(decision.explanation),
        created_at: now,
      },
      rows,
      events,
    );
    return { decision_id: decisionId, fulfillment_ids: ids, unsourced };
  }
}
