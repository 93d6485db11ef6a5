/** The payment-link connector's table (migration 9400): its Checkout Sessions by our payment id. */
import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db/schema.js';

export interface StripeCheckoutSessionsTable {
  payment_id: string;
  session_id: string | null;
  /** The create call's parameters as JSON text, kept verbatim (jsonb would reorder them). */
  params: string;
  url: string | null;
  status: string | null;
  payment_intent_id: string | null;
  expires_at: Date;
  created_at: Date;
  updated_at: Date;
}

declare module '../../platform/db/schema.js' {
  interface DB {
    stripe_checkout_sessions: StripeCheckoutSessionsTable;
  }
}

export type SessionRow = Selectable<StripeCheckoutSessionsTable>;

/** Written before Stripe is called (autocommit): the create parameters, to be replayed under the same key. */
export async function rememberCreate(
  db: Executor,
  paymentId: string,
  params: unknown,
  expiresAt: Date,
  at: Date,
): Promise<void> {
  await db
    .insertInto('stripe_checkout_sessions')
    .values({
      payment_id: paymentId,
      session_id: null,
      params: JSON.stringify(params),
      url: null,
      status: null,
      payment_intent_id: null,
      expires_at: expiresAt,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('payment_id').doNothing())
    .execute();
}

export function getSession(db: Executor, paymentId: string): Promise<SessionRow | undefined> {
  return db.selectFrom('stripe_checkout_sessions').selectAll().where('payment_id', '=', paymentId).executeTakeFirst();
}

/** What Stripe last said of the session (an answer or a webhook). Never forgets a known id or URL. */
export async function noteSession(
  db: Executor,
  paymentId: string,
  s: { session_id: string; status: string; url?: string | null; payment_intent_id?: string | null },
  at: Date,
): Promise<void> {
  await db
    .updateTable('stripe_checkout_sessions')
    .set((eb) => ({
      session_id: s.session_id,
      status: s.status,
      url: s.url ? s.url : eb.ref('url'),
      payment_intent_id: s.payment_intent_id ? s.payment_intent_id : eb.ref('payment_intent_id'),
      updated_at: at,
    }))
    .where('payment_id', '=', paymentId)
    .execute();
}

/** Our payment of a PaymentIntent a paid session made (a refund webhook names only the PaymentIntent). */
export async function paymentOfIntent(db: Executor, intentId: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('stripe_checkout_sessions')
    .select('payment_id')
    .where('payment_intent_id', '=', intentId)
    .executeTakeFirst();
  return r?.payment_id;
}
