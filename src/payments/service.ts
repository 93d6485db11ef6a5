import type { RawBuilder } from 'kysely';
import { newId } from '../platform/ids.js';
import { inTx } from '../platform/db/tx.js';
import { emit, type DomainEvent } from '../platform/events/outbox.js';
import { AppError, problems } from '../platform/http/problems.js';
import * as store from './store.js';
import { PaymentOperations, type Opts } from './operations.js';
import { decideAuthorisation } from './rules.js';
import { toPayment } from './mapping.js';
import { isPending, type AuthorisePending, type AuthoriseResult, type Payment, type PaymentRequest } from './types.js';

/**
 * The provider's answer as checkout sees it: a decision, no answer in time ('timeout'), or a payment
 * waiting on the shopper (3-D Secure) with where to send them.
 */
export type AuthorisationAnswer = AuthoriseResult | 'timeout' | ActionRequired;
export interface ActionRequired {
  action_required: NonNullable<AuthorisePending['next_action']>;
}

export { PROVIDER_TIMEOUT_MS } from './operations.js';

/**
 * Payments as a state machine outside locks. Nothing here calls a provider inside a transaction:
 *  - authorisation: `begin` writes a pending row in the caller's transaction (its id is the
 *    idempotency key), `askProvider` calls the provider after commit with a timeout, and
 *    `recordAuthorisation` writes the answer in a second transaction (only if still pending);
 *  - void and refund: `requestVoid`/`requestRefund` write a pending operation in the caller's
 *    transaction (a rolled-back return never pays out), `runOperations` calls the provider after
 *    commit and records the outcome; a job runs whatever a crash left pending;
 *  - reconciliation: `leaseStale` hands stale pending payments to the checkout, which asks the
 *    provider (`retrieve` by idempotency key) and settles the order.
 *  - capture: the same as void and refund (`requestCapture` in the fulfillment transaction at the
 *    first shipment or handover, `runOperations` after its commit).
 * This class holds the authorisation path; the providers and the operations are PaymentOperations'
 * (operations.ts).
 */
export class PaymentsService extends PaymentOperations {
  validate(request: PaymentRequest): void {
    const p = this.provider(request.provider);
    const bad = p.validate?.(request);
    if (bad) throw problems.field(bad.field, bad.reason.replace(/_/g, ' '));
  }

  /** Phase 1 (in the checkout transaction): the pending payment whose id is the idempotency key. */
  async begin(
    input: { order_id: string; amount: number; currency: string; provider: string },
    opts: Opts = {},
  ): Promise<Payment> {
    const { payment, insert } = this.pending(input);
    await insert.execute(opts.trx ?? this.db);
    return payment;
  }

  /**
   * `begin` for a caller that writes the pending payment inside a statement of its own (checkout:
   * with the order, orders' place-statement.ts): the payment and its insert, not yet run. The caller
   * runs it in its transaction, as `begin` would have.
   */
  pending(input: { order_id: string; amount: number; currency: string; provider: string }): {
    payment: Payment;
    insert: RawBuilder<unknown>;
  } {
    const provider = this.provider(input.provider);
    const now = this.clock.now();
    const id = newId('pay', now.getTime());
    const row = {
      id,
      order_id: input.order_id,
      provider: provider.name,
      status: 'pending',
      currency: input.currency,
      amount: input.amount,
      captured_amount: 0,
      refunded_amount: 0,
      provider_ref: null,
      decline_reason: null,
      details: {},
      created_at: now,
      updated_at: now,
    };
    return {
      payment: toPayment({ ...row, lease_until: null, settle_after: null }),
      insert: store.insertPaymentSql(row),
    };
  }

  /** Phase 2 (no transaction, no lock): ask the provider, with a deadline. */
  async askProvider(payment: Payment, request: PaymentRequest): Promise<AuthorisationAnswer> {
    const provider = this.provider(payment.provider);
    let answer: AuthoriseResult | AuthorisePending;
    try {
      answer = await provider.authorise(
        { amount: payment.amount.amount, currency: payment.amount.currency, reference: payment.order_id, request },
        { idempotency_key: payment.id, signal: AbortSignal.timeout(this.timeoutMs) },
      );
    } catch {
      // Timed out or the connection broke: the outcome is unknown; the payment stays pending.
      return 'timeout';
    }
    if (!isPending(answer)) return answer;
    // The PSP waits on the shopper (3-D Secure): the payment stays pending, as after a timeout, with
    // where to send the shopper on it (the order view shows it); the PSP's webhook or the
    // reconciliation settles it.
    await this.notePending(payment.id, answer);
    return answer.next_action ? { action_required: answer.next_action } : 'timeout';
  }

  /**
   * Notes where the shopper must go. A payment link new to this payment also emits `payment.link_sent`
   * in the same transaction: notifications mails it to the shopper after commit (never from here), and
   * the reconciliation's later retrieves, which find the same link, send nothing again.
   */
  private async notePending(paymentId: string, answer: AuthorisePending): Promise<void> {
    const next = answer.next_action;
    await inTx(this.db, undefined, async (trx) => {
      const row = next?.type === 'payment_link' ? await store.getPayment(trx, paymentId, true) : undefined;
      const now = this.clock.now();
      await store.notePending(trx, paymentId, {
        provider_ref: answer.provider_ref,
        details: JSON.stringify(next ? { next_action: next } : {}),
        updated_at: now,
      });
      if (!row || row.status !== 'pending' || next?.type !== 'payment_link') return;
      const before = toPayment(row).details.next_action as { redirect_url?: string } | undefined;
      if (before?.redirect_url === next.redirect_url) return;
      await emit(
        trx,
        {
          type: 'payment.link_sent',
          aggregateId: paymentId,
          payload: {
            payment_id: paymentId,
            order_id: row.order_id,
            payment_url: next.redirect_url,
            pay_by: next.expires_at,
            amount: { amount: Number(row.amount), currency: row.currency },
          },
        },
        now,
      );
    });
  }

  /**
   * What the provider knows about a payment we never recorded an answer for (null: it never saw it).
   * Still undecided (the shopper is at their bank): throws `unavailable`, so the reconciliation leaves
   * it pending and asks again when its lease runs out.
   */
  async retrieve(payment: Payment): Promise<AuthoriseResult | null> {
    const answer = await this.provider(payment.provider).retrieve(payment.id);
    if (!isPending(answer)) return answer;
    // The checkout's own call may have timed out before the PSP asked for 3-D Secure: note it now,
    // so the shopper's page finds where to go.
    await this.notePending(payment.id, answer);
    throw new AppError('unavailable', `the ${payment.provider} payment ${payment.id} is not decided yet`);
  }

  /**
   * A PSP told us out of band (a webhook) that a pending payment is decided: the reconciliation takes
   * it at its next run instead of waiting for it to go stale. In the caller's transaction.
   */
  async settleSoon(paymentId: string, opts: Opts = {}): Promise<boolean> {
    return store.markSettleable(opts.trx ?? this.db, paymentId, this.clock.now());
  }

  /**
   * Phase 3 (in the caller's transaction): the answer moves a pending payment to authorized,
   * declined or failed (null answer). Returns null when it was no longer pending (settled already).
   * `defer`: the payment's event is appended there instead of written, for a caller that writes it
   * in this transaction with its own events, first (checkout: with the order's, one outbox insert).
   */
  async recordAuthorisation(
    paymentId: string,
    answer: AuthoriseResult | null,
    opts: Opts & { defer?: DomainEvent[] | undefined } = {},
  ): Promise<Payment | null> {
    return inTx(this.db, opts.trx, async (trx) => {
      // Only a pending payment moves on an answer (rules.ts PAYMENT_TRANSITIONS): decided for a pending
      // one here, and the update below applies it only to a payment still pending, locking the row and
      // returning it in one statement (no `select … for update` before it).
      const d = decideAuthorisation('pending', answer);
      if (!d.ok) return null;
      const now = this.clock.now();
      const ok = answer?.ok === true ? answer : null;
      const row = await store.settlePendingReturning(trx, paymentId, {
        status: d.next.status,
        decline_reason: d.next.reason,
        provider_ref: ok?.provider_ref ?? null,
        details: JSON.stringify(ok?.details ?? {}),
        updated_at: now,
      });
      if (!row) {
        if (!(await store.getPayment(trx, paymentId))) throw problems.notFound('payment', paymentId);
        return null; // settled already (the reconciliation, or a concurrent request)
      }
      const event: DomainEvent = {
        type: `payment.${d.next.status}`,
        aggregateId: paymentId,
        payload: {
          payment_id: paymentId,
          order_id: row.order_id,
          provider: row.provider,
          amount: Number(row.amount),
          currency: row.currency,
          ...(d.next.reason ? { reason: d.next.reason } : {}),
        },
      };
      if (opts.defer) opts.defer.push(event);
      else await emit(trx, event, now);
      return toPayment({ ...row, details: ok?.details ?? {} });
    });
  }

  /** Pending payments older than twice the provider timeout, leased to this caller for a minute. */
  async leaseStale(limit = 20): Promise<Payment[]> {
    const now = this.clock.now();
    const before = new Date(now.getTime() - 2 * this.timeoutMs);
    const rows = await inTx(this.db, undefined, (trx) =>
      store.leaseStalePending(trx, before, now, new Date(now.getTime() + 60_000), limit),
    );
    return rows.map(toPayment);
  }
}
