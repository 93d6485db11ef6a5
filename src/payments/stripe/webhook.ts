/**
 * Stripe's webhooks: verified with the SDK on the raw body, recorded once by event id, applied in the
 * same transaction. A decided PaymentIntent marks its pending payment due for the reconciliation,
 * which fetches the PaymentIntent from Stripe (the event may be stale or out of order: Stripe's
 * current state decides, never the event's copy) and settles the order exactly as the checkout would:
 * the checkout's own answer and the webhook both go through the one "only if still pending" write,
 * so whichever comes second changes nothing.
 */
import Stripe from 'stripe';
import type { Db } from '../../platform/db/schema.js';
import type { Clock } from '../../platform/clock.js';
import { inTx } from '../../platform/db/tx.js';
import { AppError, problems } from '../../platform/http/problems.js';
import type { PaymentsService } from '../service.js';
import { webhookAction } from './rules.js';
import * as store from './store.js';
import { sessionWebhookAction } from '../link/rules.js';
import * as links from '../link/store.js';

/** Stripe's own default: an event signed more than five minutes before it arrives is refused (replays). */
const TOLERANCE_S = 300;

export interface StripeWebhookDeps {
  db: Db;
  clock: Clock;
  payments: PaymentsService;
  /** `whsec_…` (OMNIA_STRIPE_WEBHOOK_SECRET); without it the endpoint answers 404. */
  secret: string | undefined;
  /** Settles payments marked due (the checkout's reconciliation), after the event's transaction commits. */
  settle: () => Promise<unknown>;
}

export interface WebhookAnswer {
  received: true;
  duplicate: boolean;
  applied: string;
}

export class StripeWebhooks {
  constructor(private readonly deps: StripeWebhookDeps) {}

  async handle(raw: Buffer, signature: string | undefined): Promise<WebhookAnswer> {
    const { secret, db, clock, payments } = this.deps;
    if (!secret) throw new AppError('not_found', 'Stripe webhooks are not configured (OMNIA_STRIPE_WEBHOOK_SECRET)');
    if (!signature) throw problems.field('header/stripe-signature', 'the Stripe-Signature header is missing');
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(raw, signature, secret, TOLERANCE_S, undefined, clock.now().getTime());
    } catch (e) {
      if (e instanceof Stripe.errors.StripeSignatureVerificationError)
        throw problems.field('header/stripe-signature', `the signature does not verify: ${e.message}`);
      throw e;
    }
    const shape = event as unknown as { type: string; data: { object: unknown } };
    // Checkout Sessions are payment links (../link): the same "mark due, the reconciliation settles" path.
    const action = sessionWebhookAction(shape) ?? webhookAction(shape);
    const objectId = (event.data.object as { id?: string }).id ?? null;
    const outcome = await inTx(db, undefined, async (trx) => {
      const now = clock.now();
      if (!(await store.firstDelivery(trx, { event_id: event.id, type: event.type, object_id: objectId }, now)))
        return { duplicate: true, applied: 'nothing (seen before)', settle: false };
      if (action.kind === 'settle') {
        const known = await store.getIntent(trx, action.payment_id);
        if (!known) return { duplicate: false, applied: 'nothing (no such payment here)', settle: false };
        await store.noteIntent(trx, action.payment_id, action.payment_intent_id, action.status, now);
        const due = await payments.settleSoon(action.payment_id, { trx });
        return { duplicate: false, applied: due ? 'settle' : 'nothing (already settled)', settle: due };
      }
      if (action.kind === 'settle_link') {
        if (!(await links.getSession(trx, action.payment_id)))
          return { duplicate: false, applied: 'nothing (no such payment link here)', settle: false };
        await links.noteSession(
          trx,
          action.payment_id,
          { session_id: action.session_id, status: action.status, payment_intent_id: action.payment_intent_id },
          now,
        );
        const due = await payments.settleSoon(action.payment_id, { trx });
        return { duplicate: false, applied: due ? 'settle' : 'nothing (already settled)', settle: due };
      }
      if (action.kind === 'refunded') {
        const paymentId =
          (await store.paymentOfIntent(trx, action.payment_intent_id)) ??
          (await links.paymentOfIntent(trx, action.payment_intent_id));
        if (!paymentId) return { duplicate: false, applied: 'nothing (no such payment here)', settle: false };
        const extra = await payments.recordProviderRefunds(paymentId, action.amount_refunded, 'refunded_at_provider', {
          trx,
        });
        return { duplicate: false, applied: extra > 0 ? `refund ${extra}` : 'nothing (refunds known)', settle: false };
      }
      return { duplicate: false, applied: `nothing (${action.why})`, settle: false };
    });
    // After commit, outside the transaction: settling calls Stripe. A failure here is the job's to retry
    // (the payment stays marked due), so Stripe still gets its 200 for an event we have recorded.
    if (outcome.settle) await this.deps.settle().catch(() => undefined);
    return { received: true, duplicate: outcome.duplicate, applied: outcome.applied };
  }
}
