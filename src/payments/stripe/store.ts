/** The Stripe connector's own tables (migration 6310): its PaymentIntents by our payment id, and webhook events seen. */
import type { Generated, Selectable } from 'kysely';
import type { Executor } from '../../platform/db/schema.js';

export interface StripePaymentIntentsTable {
  payment_id: string;
  payment_intent_id: string | null;
  /** The create call's parameters as JSON text, kept verbatim (jsonb would reorder them). */
  params: string;
  status: string | null;
  created_at: Date;
  updated_at: Date;
}
export interface StripeWebhookEventsTable {
  event_id: string;
  type: string;
  object_id: string | null;
  received_at: Generated<Date>;
}

declare module '../../platform/db/schema.js' {
  interface DB {
    stripe_payment_intents: StripePaymentIntentsTable;
    stripe_webhook_events: StripeWebhookEventsTable;
  }
}

export type IntentRow = Selectable<StripePaymentIntentsTable>;

/** Written before Stripe is called (autocommit): the create parameters, to be replayed under the same key. */
export async function rememberCreate(db: Executor, paymentId: string, params: unknown, at: Date): Promise<void> {
  await db
    .insertInto('stripe_payment_intents')
    .values({
      payment_id: paymentId,
      payment_intent_id: null,
      params: JSON.stringify(params),
      status: null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('payment_id').doNothing())
    .execute();
}

export function getIntent(db: Executor, paymentId: string): Promise<IntentRow | undefined> {
  return db.selectFrom('stripe_payment_intents').selectAll().where('payment_id', '=', paymentId).executeTakeFirst();
}

export async function paymentOfIntent(db: Executor, intentId: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('stripe_payment_intents')
    .select('payment_id')
    .where('payment_intent_id', '=', intentId)
    .executeTakeFirst();
  return r?.payment_id;
}

/** What Stripe last said of the PaymentIntent (an answer or a webhook), and its id once known. */
export async function noteIntent(
  db: Executor,
  paymentId: string,
  intentId: string,
  status: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('stripe_payment_intents')
    .set({ payment_intent_id: intentId, status, updated_at: at })
    .where('payment_id', '=', paymentId)
    .execute();
}

/** Records a webhook event once; false when it was seen before (a redelivery). */
export async function firstDelivery(
  db: Executor,
  e: { event_id: string; type: string; object_id: string | null },
  at: Date,
): Promise<boolean> {
  const r = await db
    .insertInto('stripe_webhook_events')
    .values({ ...e, received_at: at })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}
