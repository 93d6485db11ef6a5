/**
 * Carriers: home-delivery quotes for the delivery promise, labels bought for fulfillment tasks, and
 * tracking (polled by a job, pushed by webhook) that moves a task to delivered.
 *
 * No carrier call happens inside a transaction. A label is requested as: record the intent (a
 * `requested` shipment whose id is the reference sent to the carrier) → commit → call with a deadline
 * → record the outcome in a second transaction. A crash or timeout in between leaves the row
 * `requested`; `settleLabels` (a job) leases and finishes it. Tracking is read outside any
 * transaction, then applied in one, idempotently (each checkpoint once; delivered once).
 */
import type { Db, Tx } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import { inTx } from '../platform/db/tx.js';
import { emit } from '../platform/events/outbox.js';
import { newId, ID_PREFIX } from '../platform/ids.js';
import { AppError, problems } from '../platform/http/problems.js';
import { LABEL_LEASE_MS, bestQuote, nextLabelTry, shipDate } from './rules.js';
import { pollTracking, trackingWebhook, type TrackingDeps } from './tracking.js';
import * as store from './store.js';
import { CarrierError, type Carrier, type LabelFormat, type RateQuote, type ShipmentRequest } from './types.js';
import type { CarriersFulfillmentPort, CarriersNetworkPort, CarriersOrdersPort } from './ports.js';
import { json } from '../platform/db/json.js';

export interface CarriersConfig {
  /** Where parcels leave from when quoting at checkout (before sourcing picks a location). */
  origin: { city: string; postal_code: string; country: string } | undefined;
  /** Shared secret of the tracking webhook (HMAC-SHA256 of the raw body). No secret: the webhook is refused. */
  webhookSecret: string | undefined;
  /** A quote is reused this long for the same destination and weight band. */
  quoteTtlMs: number;
  /** Tracking of one shipment is asked for at most this often. */
  pollEveryMs: number;
}

export const DEFAULT_CARRIERS_CONFIG: CarriersConfig = {
  origin: undefined,
  webhookSecret: undefined,
  quoteTtlMs: 10 * 60_000,
  pollEveryMs: 30 * 60_000,
};

export interface HomeQuote {
  carrier: string;
  product_code: string;
  amount: number;
  currency: string;
  transit_days: number;
}

export interface ShipmentView {
  id: string;
  fulfillment_id: string;
  order_id: string;
  carrier: string;
  status: 'requested' | 'created' | 'failed';
  attempts: number;
  last_error: string | null;
  tracking_number: string | null;
  tracking_url: string | null;
  label_format: string | null;
  tracking_status: string | null;
  delivered_at: string | null;
  checkpoints: { code: string; status: string; description: string | null; occurred_at: string; source: string }[];
  created_at: string;
  updated_at: string;
}

const FAILED_QUOTE_TTL_MS = 60_000;
type Guard = (locationId: string) => void;
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
/** Statuses a task may buy a label in: picked or packed, not yet gone. */
const LABEL_STATUSES = ['accepted', 'picked', 'packed'];

export class CarrierService {
  private readonly quotes = new Map<string, { at: number; quote: HomeQuote | null }>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** The configured carrier (DHL Express); undefined: quotes come from the rate table, no labels. */
    private readonly carrier: Carrier | undefined,
    private readonly ports: {
      fulfillment: CarriersFulfillmentPort;
      network: CarriersNetworkPort;
      orders: CarriersOrdersPort;
    },
    readonly config: CarriersConfig = DEFAULT_CARRIERS_CONFIG,
  ) {}

  // ---- rates ------------------------------------------------------------------------------------

  /**
   * The carrier's price and transit days for sending `weight_g` to a destination; null when there is
   * no carrier, no origin, or the carrier fails or times out (the caller uses its rate table then).
   * Answers are kept `quoteTtlMs` per destination and 500 g band, failures a minute, so a slow carrier
   * is not asked again on every options call.
   */
  async quoteHome(q: {
    country: string;
    postal_code?: string | undefined;
    city?: string | undefined;
    weight_g: number;
    currency: string;
  }): Promise<HomeQuote | null> {
    if (!this.carrier || !this.config.origin) return null;
    const now = this.clock.now();
    const key = [q.country, q.postal_code ?? '', q.city ?? '', Math.ceil(q.weight_g / 500), q.currency].join('|');
    const hit = this.quotes.get(key);
    // A failure is remembered for a minute only: long enough not to wait on a sick carrier at every
    // options call, short enough that its own prices come back soon after it recovers.
    const ttl = hit?.quote === null ? Math.min(FAILED_QUOTE_TTL_MS, this.config.quoteTtlMs) : this.config.quoteTtlMs;
    if (hit && now.getTime() - hit.at < ttl) return hit.quote;
    let quote: HomeQuote | null = null;
    try {
      const all = await this.carrier.rates({
        from: this.config.origin,
        to: { country: q.country, postal_code: q.postal_code ?? '', city: q.city ?? '' },
        parcels: [{ weight_g: q.weight_g }],
        ship_date: shipDate(now),
      });
      const best: RateQuote | null = bestQuote(all, q.currency);
      quote = best && {
        carrier: best.carrier,
        product_code: best.product_code,
        amount: best.amount,
        currency: best.currency,
        transit_days: best.transit_days,
      };
    } catch (err) {
      this.log.warn(
        { carrier: this.carrier.code, error: message(err) },
        'carrier rates failed; the rate table answers',
      );
    }
    this.quotes.set(key, { at: now.getTime(), quote });
    if (this.quotes.size > 10_000) this.quotes.clear();
    return quote;
  }

  // ---- labels -----------------------------------------------------------------------------------

  /**
   * Buys the label of a task: records the request, commits, calls the carrier, records the outcome.
   * A task with a live request answers that one (asking twice buys one label).
   */
  async requestLabel(
    fulfillmentId: string,
    guard: Guard,
    opts: { label_format?: LabelFormat | undefined } = {},
  ): Promise<ShipmentView> {
    const now = this.clock.now();
    let carrier: Carrier | undefined;
    const { row, fresh } = await inTx(this.db, undefined, async (trx) => {
      const task = await this.ports.fulfillment.get(fulfillmentId, { trx });
      guard(task.location_id); // the policy first: a stranger learns nothing about the carrier set-up
      carrier = this.requireCarrier();
      const live = await store.liveShipmentOf(trx, fulfillmentId);
      if (live) return { row: live, fresh: false };
      if (task.method === 'click_collect')
        throw problems.conflict('a click & collect task travels by transfer, not by carrier');
      if (!LABEL_STATUSES.includes(task.status))
        throw new AppError('invalid_transition', `a ${task.status} fulfillment cannot get a carrier label`, {
          fulfillment_status: task.status,
        });
      const id = newId(ID_PREFIX.carrierShipment, now.getTime());
      const request = await this.shipmentRequest(trx, id, task, opts.label_format ?? 'pdf', now);
      const inserted = await store.insertRequested(trx, {
        id,
        fulfillment_id: task.id,
        order_id: task.order_id,
        carrier: carrier.code,
        request,
        // The route makes the first call; the job takes over only if it has not finished by then.
        next_at: new Date(now.getTime() + LABEL_LEASE_MS),
        attempts: 1,
        created_at: now,
      });
      return inserted
        ? { row: inserted, fresh: true }
        : { row: (await store.liveShipmentOf(trx, fulfillmentId))!, fresh: false };
    });
    if (fresh && carrier) await this.attempt(carrier, row.id, 1);
    return this.view(row.id);
  }

  /** Job: label requests a crash or a carrier failure left pending, each leased, called and recorded. */
  async settleLabels(limit = 20): Promise<number> {
    if (!this.carrier) return 0;
    let done = 0;
    for (; done < limit; done++) {
      const now = this.clock.now();
      const leased = await inTx(this.db, undefined, (trx) =>
        store.leaseDue(trx, now, new Date(now.getTime() + LABEL_LEASE_MS)),
      );
      if (!leased) break;
      await this.attempt(this.carrier, leased.id, leased.attempts);
    }
    return done;
  }

  /** One call for a leased request (outside any transaction), then its outcome in one. */
  private async attempt(carrier: Carrier, id: string, attempts: number): Promise<void> {
    const row = await store.getShipment(this.db, id);
    if (!row || row.status !== 'requested') return;
    let outcome: { ok: true; made: Awaited<ReturnType<Carrier['createShipment']>> } | { ok: false; err: unknown };
    const req = json<ShipmentRequest>(row.request);
    try {
      // A retry first asks whether the lost answer had bought the label already: never two labels.
      const earlier =
        attempts > 1 && carrier.findByReference ? await carrier.findByReference(req.reference, req.ship_date) : null;
      outcome = { ok: true, made: earlier ?? (await carrier.createShipment(req)) };
    } catch (err) {
      outcome = { ok: false, err };
    }
    const now = this.clock.now();
    await inTx(this.db, undefined, async (trx) => {
      const base = {
        shipment_id: row.id,
        fulfillment_id: row.fulfillment_id,
        order_id: row.order_id,
        carrier: row.carrier,
      };
      if (outcome.ok) {
        const { made } = outcome;
        const done = await store.markCreated(trx, row.id, {
          tracking_number: made.tracking_number,
          tracking_url: made.tracking_url,
          label_format: made.label.format,
          label_base64: made.label.base64,
          now,
        });
        if (done)
          await emit(
            trx,
            {
              type: 'carrier.label_created',
              aggregateId: row.fulfillment_id,
              payload: {
                ...base,
                tracking_number: made.tracking_number,
                tracking_url: made.tracking_url,
                label_format: made.label.format,
              },
            },
            now,
          );
        return;
      }
      const err = outcome.err;
      const retryable = !(err instanceof CarrierError) || err.retryable;
      const next = retryable
        ? nextLabelTry(now, attempts, err instanceof CarrierError ? err.retryAfterMs : null)
        : null;
      if (next) return store.markRetry(trx, row.id, message(err), next, now);
      const failed = await store.markFailed(trx, row.id, message(err), now);
      if (failed)
        await emit(
          trx,
          { type: 'carrier.label_failed', aggregateId: row.fulfillment_id, payload: { ...base, error: message(err) } },
          now,
        );
    });
  }

  /** What the carrier is asked for: from the source location to the customer's door (or the pickup point). */
  private async shipmentRequest(
    trx: Tx,
    reference: string,
    task: Awaited<ReturnType<CarriersFulfillmentPort['get']>>,
    format: LabelFormat,
    now: Date,
  ): Promise<ShipmentRequest> {
    const source = await this.ports.network.location(task.location_id, { trx });
    if (!source) throw problems.conflict(`the source location ${task.location_id} no longer exists`);
    const order = await this.ports.orders.get(task.order_id, { trx });
    let to = order.delivery.address ?? null;
    let toName = to?.name ?? 'Customer';
    if (task.method === 'pickup_point' && task.destination_location_id) {
      const point = await this.ports.network.location(task.destination_location_id, { trx });
      to = point?.address ?? null;
      toName = point?.name ?? toName;
    }
    if (!to) throw problems.field('address', 'the order has no delivery address to print on a label');
    const units = task.lines.reduce((n, l) => n + l.quantity, 0);
    const weight = task.weight_g ?? units * 500;
    const parcels = Math.max(1, task.parcels ?? 1);
    return {
      reference,
      ship_date: shipDate(now),
      from: { name: source.name, company: source.name, ...pick(source.address) },
      to: { name: toName, ...pick(to), ...(order.email ? { email: order.email } : {}) },
      parcels: Array.from({ length: parcels }, () => ({ weight_g: Math.ceil(weight / parcels) })),
      description: `Order ${task.order_id}`,
      label_format: format,
    };
  }

  /** The label document of a task's made shipment. */
  async label(
    fulfillmentId: string,
    guard: Guard,
  ): Promise<{ format: string; bytes: Buffer; tracking_number: string }> {
    const task = await this.ports.fulfillment.get(fulfillmentId);
    guard(task.location_id);
    const row = await store.liveShipmentOf(this.db, fulfillmentId);
    if (!row || row.status !== 'created' || !row.label_base64) throw problems.notFound('label', fulfillmentId);
    return {
      format: row.label_format ?? 'pdf',
      bytes: Buffer.from(row.label_base64, 'base64'),
      tracking_number: row.tracking_number!,
    };
  }

  /** The task's shipments (a failed one, then the live one) with their checkpoints. */
  async shipments(fulfillmentId: string, guard: Guard): Promise<ShipmentView[]> {
    const task = await this.ports.fulfillment.get(fulfillmentId);
    guard(task.location_id);
    const rows = await store.shipmentsOf(this.db, fulfillmentId);
    return Promise.all(rows.map((r) => this.view(r.id)));
  }

  private async view(id: string): Promise<ShipmentView> {
    const r = (await store.getShipment(this.db, id))!;
    const cps = await store.checkpointsOf(this.db, id);
    return {
      id: r.id,
      fulfillment_id: r.fulfillment_id,
      order_id: r.order_id,
      carrier: r.carrier,
      status: r.status,
      attempts: r.attempts,
      last_error: r.last_error,
      tracking_number: r.tracking_number,
      tracking_url: r.tracking_url,
      label_format: r.label_format,
      tracking_status: r.tracking_status,
      delivered_at: r.delivered_at?.toISOString() ?? null,
      checkpoints: cps.map((c) => ({
        code: c.code,
        status: c.status,
        description: c.description,
        occurred_at: c.occurred_at.toISOString(),
        source: c.source,
      })),
      created_at: r.created_at.toISOString(),
      updated_at: r.updated_at.toISOString(),
    };
  }

  // ---- tracking (tracking.ts) ------------------------------------------------------------------

  /** Job: asks the carrier for the tracking of shipments not delivered yet, oldest poll first. */
  pollTracking(limit = 20): Promise<number> {
    return pollTracking(this.trackingDeps(), limit);
  }

  /** The tracking webhook: signature checked over the raw body, then applied like a poll's answer. */
  webhook(carrierCode: string, raw: Buffer, signature: string | undefined) {
    return trackingWebhook(this.trackingDeps(), carrierCode, raw, signature);
  }

  private trackingDeps(): TrackingDeps {
    return {
      db: this.db,
      clock: this.clock,
      log: this.log,
      carrier: this.carrier,
      fulfillment: this.ports.fulfillment,
      pollEveryMs: this.config.pollEveryMs,
      webhookSecret: this.config.webhookSecret,
    };
  }

  private requireCarrier(): Carrier {
    if (!this.carrier) throw new AppError('unavailable', 'no carrier is configured (see docs/connectors/carriers.md)');
    return this.carrier;
  }
}

function pick(a: { line1: string; city: string; postal_code: string; country: string }) {
  return { line1: a.line1, city: a.city, postal_code: a.postal_code, country: a.country };
}
