/**
 * Tracking: checkpoints read from the carrier (a polling job) or pushed to us (a signed webhook),
 * applied idempotently — each checkpoint recorded once whichever way it came, the status recomputed
 * from all of them, and a delivery handed to fulfillment once (`applied_at` then stops the polling).
 * The carrier is always asked outside any transaction; what it said is applied in one.
 */
import type { Db } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import { inTx } from '../platform/db/tx.js';
import { emit } from '../platform/events/outbox.js';
import { AppError, problems } from '../platform/http/problems.js';
import { checkpointKey, currentStatus, deliveredAt, verifySignature } from './rules.js';
import * as store from './store.js';
import type { Carrier, TrackingReport } from './types.js';
import type { CarriersFulfillmentPort } from './ports.js';

export interface TrackingDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  carrier: Carrier | undefined;
  fulfillment: CarriersFulfillmentPort;
  pollEveryMs: number;
  webhookSecret: string | undefined;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Job: asks the carrier for the tracking of shipments not delivered yet, oldest poll first. */
export async function pollTracking(d: TrackingDeps, limit = 20): Promise<number> {
  const carrier = d.carrier;
  if (!carrier) return 0;
  const now = d.clock.now();
  // Claim and stamp in one short transaction; the carrier is asked after it commits.
  const due = await inTx(d.db, undefined, async (trx) => {
    const rows = await store.claimTrackingDue(trx, new Date(now.getTime() - d.pollEveryMs), limit);
    await store.markPolled(
      trx,
      rows.map((r) => r.id),
      now,
    );
    return rows;
  });
  for (const row of due) {
    try {
      await applyReport(d, row.carrier, await carrier.tracking(row.tracking_number!), 'poll');
    } catch (err) {
      d.log.warn({ shipment: row.id, error: message(err) }, 'tracking poll failed; asked again next round');
    }
  }
  return due.length;
}

/**
 * The tracking webhook: the raw body must carry the shared secret's signature; then each shipment in
 * it is applied as a poll answer would be. A webhook sent twice changes nothing the second time.
 */
export async function trackingWebhook(
  d: TrackingDeps,
  carrierCode: string,
  raw: Buffer,
  signature: string | undefined,
): Promise<{ shipments: number; new_checkpoints: number }> {
  const carrier = d.carrier;
  if (!carrier || carrier.code !== carrierCode) throw problems.notFound('carrier', carrierCode);
  if (!d.webhookSecret || !verifySignature(d.webhookSecret, raw, signature))
    throw new AppError('unauthorized', 'the webhook signature does not match');
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('malformed_json', 'the webhook body is not JSON');
  }
  let reports: TrackingReport[];
  try {
    reports = carrier.parseTrackingPush(body);
  } catch (err) {
    throw problems.field('shipments', message(err));
  }
  let fresh = 0;
  for (const r of reports) fresh += (await applyReport(d, carrier.code, r, 'webhook'))?.fresh ?? 0;
  return { shipments: reports.length, new_checkpoints: fresh };
}

/**
 * Applies one shipment's checkpoints in one transaction: new ones recorded, the status recomputed
 * from all of them, and a delivery passed to fulfillment once. A delivery reported before the store
 * marked the task shipped is kept and applied by a later poll. Unknown tracking numbers are ignored
 * (not ours, or another account's).
 */
export async function applyReport(
  d: TrackingDeps,
  carrierCode: string,
  report: TrackingReport,
  source: 'poll' | 'webhook',
): Promise<{ fresh: number; delivered: boolean } | null> {
  const now = d.clock.now();
  return inTx(d.db, undefined, async (trx) => {
    const row = await store.byTracking(trx, carrierCode, report.tracking_number);
    if (!row) return null;
    const fresh = await store.addCheckpoints(
      trx,
      row.id,
      report.checkpoints.map((c) => ({ ...c, key: checkpointKey(c) })),
      source,
      now,
    );
    const all = (await store.checkpointsOf(trx, row.id)).map((c) => ({
      code: c.code,
      status: c.status as TrackingReport['checkpoints'][number]['status'],
      description: c.description,
      occurred_at: c.occurred_at.toISOString(),
    }));
    const status = currentStatus(all) ?? row.tracking_status;
    const at = deliveredAt(all);
    let applied: Date | undefined;
    if (status === 'delivered' && !row.applied_at) {
      const r = await d.fulfillment.carrierDelivered(row.fulfillment_id, { trx });
      if (r !== 'not_shipped') applied = now;
    }
    await store.setTracking(trx, row.id, {
      tracking_status: status,
      delivered_at: at ? new Date(at) : null,
      applied_at: applied,
      now,
    });
    if (fresh > 0)
      await emit(
        trx,
        {
          type: 'carrier.tracking_updated',
          aggregateId: row.fulfillment_id,
          payload: {
            shipment_id: row.id,
            fulfillment_id: row.fulfillment_id,
            order_id: row.order_id,
            carrier: row.carrier,
            tracking_number: report.tracking_number,
            status: status ?? 'label_created',
            new_checkpoints: fresh,
            source,
          },
        },
        now,
      );
    return { fresh, delivered: applied !== undefined };
  });
}
