import type { Db, Executor } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { inTx } from '../platform/db/tx.js';
import { emit } from '../platform/events/outbox.js';
import { AppError, problems } from '../platform/http/problems.js';
import * as store from './store.js';
import { decideAuthorisation, decideCapture, decideRefund, decideVoid, type PaymentState } from './rules.js';
import { stateOf, toOperation, toPayment } from './mapping.js';
import {
  isPending,
  type AuthorisePending,
  type AuthoriseResult,
  type Payment,
  type PaymentOperation,
  type PaymentProvider,
  type PaymentRequest,
  type PaymentStatus,
} from './types.js';

type Opts = { trx?: Executor | undefined };

/** The provider's answer to an authorisation, or `timeout` when it did not answer in time. */
/**
 * The provider's answer as checkout sees it: a decision, no answer in time ('timeout'), or a payment
 * waiting on the shopper (3-D Secure) with where to send them.
 */
export type AuthorisationAnswer = AuthoriseResult | 'timeout' | ActionRequired;
export interface ActionRequired {
  action_required: NonNullable<AuthorisePending['next_action']>;
}

/** How long a provider call may take; a pending row older than twice this is the reconciliation's. */
export const PROVIDER_TIMEOUT_MS = 10_000;

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
 */
export class PaymentsService {
  private readonly providers = new Map<string, PaymentProvider>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    providers: PaymentProvider[] = [],
    private readonly timeoutMs = PROVIDER_TIMEOUT_MS,
  ) {
    for (const p of providers) this.register(p);
  }

  register(provider: PaymentProvider): void {
    this.providers.set(provider.name, provider);
  }
  providerNames(): string[] {
    return [...this.providers.keys()];
  }
  /** A registered provider (tests read the test provider's ledger through it). */
  provider(name: string): PaymentProvider {
    const p = this.providers.get(name);
    if (!p)
      throw problems.field('payment/provider', `unknown provider ${name}; one of ${this.providerNames().join(', ')}`);
    return p;
  }

  /** Refuses a request the provider would refuse on its face (a card number failing Luhn), before any order exists. */
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
      details: '{}',
      created_at: now,
      updated_at: now,
    };
    await store.insertPayment(opts.trx ?? this.db, row);
    return toPayment({ ...row, details: {}, lease_until: null, settle_after: null });
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
   */
  async recordAuthorisation(
    paymentId: string,
    answer: AuthoriseResult | null,
    opts: Opts = {},
  ): Promise<Payment | null> {
    return inTx(this.db, opts.trx, async (trx) => {
      const row = await store.getPayment(trx, paymentId, true);
      if (!row) throw problems.notFound('payment', paymentId);
      const d = decideAuthorisation(row.status as PaymentStatus, answer);
      if (!d.ok) return null;
      const now = this.clock.now();
      const ok = answer?.ok === true ? answer : null;
      await store.settlePending(trx, paymentId, {
        status: d.next.status,
        decline_reason: d.next.reason,
        provider_ref: ok?.provider_ref ?? null,
        details: JSON.stringify(ok?.details ?? {}),
        updated_at: now,
      });
      await emit(
        trx,
        {
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
        },
        now,
      );
      return toPayment({
        ...row,
        status: d.next.status,
        decline_reason: d.next.reason,
        provider_ref: ok?.provider_ref ?? null,
        details: ok?.details ?? {},
        updated_at: now,
      });
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

  async get(id: string, opts: Opts = {}): Promise<Payment> {
    const row = await store.getPayment(opts.trx ?? this.db, id);
    if (!row) throw problems.notFound('payment', id);
    return toPayment(row);
  }
  async forOrder(orderId: string, opts: Opts = {}): Promise<Payment[]> {
    return (await store.paymentsOfOrder(opts.trx ?? this.db, orderId)).map(toPayment);
  }

  /**
   * Asks for a capture in the caller's transaction (the fulfillment's, at the first shipment or
   * handover): a pending operation for `amount` (default: all that is authorised). One capture per
   * payment: while one is pending, asking again (a second task of a split order shipping) returns
   * it; the payment row is locked, so two tasks shipping at once cannot both insert one. The
   * payment stays `authorized` until `runOperations` has the provider's answer, after commit.
   */
  async requestCapture(paymentId: string, amount?: number, opts?: Opts): Promise<PaymentOperation>;
  async requestCapture(
    paymentId: string,
    amount: number | undefined,
    opts: Opts & { ifAuthorized: true },
  ): Promise<PaymentOperation | null>;
  async requestCapture(
    paymentId: string,
    amount?: number,
    opts: Opts & { ifAuthorized?: boolean } = {},
  ): Promise<PaymentOperation | null> {
    return inTx(this.db, opts.trx, async (trx) => {
      const row = await store.getPayment(trx, paymentId, true);
      if (!row) throw problems.notFound('payment', paymentId);
      const p = toPayment(row);
      // At departure, a payment another task's capture settled meanwhile is nothing to do, not an error.
      if (opts.ifAuthorized && p.status !== 'authorized') return null;
      const d = decideCapture(stateOf(p), amount ?? p.amount.amount);
      if (!d.ok) throw new AppError('invalid_transition', d.reason, { payment_id: p.id, payment_status: p.status });
      const pending = await store.pendingOperationsOf(trx, paymentId, 'capture');
      if (pending[0]) return toOperation(pending[0]);
      // A void asked for and not yet answered would race the capture at the provider.
      if ((await store.pendingOperationsOf(trx, paymentId, 'void')).length)
        throw new AppError('invalid_transition', 'a void of this payment is pending', { payment_id: p.id });
      return this.insertOperation(trx, p, 'capture', d.next.captured, null);
    });
  }

  /**
   * Capture now (own transactions): request, commit, call the provider, record. A refused capture
   * is recorded (operation failed, `payment.capture_failed`) and then thrown as `payment_declined`.
   */
  async capture(paymentId: string, amount?: number): Promise<Payment> {
    const op = await this.requestCapture(paymentId, amount);
    return this.settleCapture(op.id);
  }

  /** Runs a requested capture (after its transaction committed) and answers with the payment. */
  async settleCapture(operationId: string): Promise<Payment> {
    await this.runOperations([operationId]);
    const op = await this.operation(operationId);
    if (!op) throw problems.notFound('payment operation', operationId);
    if (op.status === 'failed')
      throw new AppError('payment_declined', `the capture was refused: ${op.reason}`, {
        reason: op.reason,
        payment_id: op.payment_id,
      });
    return this.get(op.payment_id);
  }

  /**
   * Asks for a refund in the caller's transaction: a pending operation that reserves its amount
   * (the payment row is locked, so concurrent refunds add up to at most what was captured). The
   * provider is called by `runOperations` after that transaction commits.
   */
  async requestRefund(
    paymentId: string,
    amount: number,
    opts: Opts & { return_id?: string | null | undefined } = {},
  ): Promise<PaymentOperation> {
    return inTx(this.db, opts.trx, async (trx) => {
      const row = await store.getPayment(trx, paymentId, true);
      if (!row) throw problems.notFound('payment', paymentId);
      const p = toPayment(row);
      const d = decideRefund(stateOf(p, await store.pendingRefunds(trx, paymentId)), amount);
      if (!d.ok) {
        const refundable = p.status === 'captured' || p.status === 'partially_refunded';
        throw new AppError(refundable ? 'refund_exceeds_paid' : 'invalid_transition', d.reason, {
          payment_id: p.id,
          payment_status: p.status,
        });
      }
      return this.insertOperation(trx, p, 'refund', amount, opts.return_id ?? null);
    });
  }

  /** Asks for a void in the caller's transaction (no-op answer if already voided or a void is pending). */
  async requestVoid(paymentId: string, opts: Opts = {}): Promise<PaymentOperation | null> {
    return inTx(this.db, opts.trx, async (trx) => {
      const row = await store.getPayment(trx, paymentId, true);
      if (!row) throw problems.notFound('payment', paymentId);
      const p = toPayment(row);
      const d = decideVoid(stateOf(p));
      if (!d.ok) throw new AppError('invalid_transition', d.reason, { payment_id: p.id, payment_status: p.status });
      if ('noop' in d) return null;
      // A capture asked for (the goods left) and not yet answered: voiding now would race it.
      if ((await store.pendingOperationsOf(trx, paymentId, 'capture')).length)
        throw new AppError('invalid_transition', 'a capture of this payment is pending', { payment_id: p.id });
      const pending = await store.pendingOperationsOf(trx, paymentId, 'void');
      if (pending[0]) return toOperation(pending[0]);
      return this.insertOperation(trx, p, 'void', 0, null);
    });
  }

  /**
   * Refunds the provider made that Omnia never asked for (from the PSP's dashboard, reported by its
   * webhook with the charge's refunded total): what the provider refunded beyond what Omnia recorded
   * and has in flight, recorded as a refund operation already succeeded, with the payment's new state
   * and its event, in the caller's transaction. Computed under the payment's row lock from the total,
   * so the same total reported twice (or two events racing) records it once. Returns the amount recorded.
   */
  async recordProviderRefunds(
    paymentId: string,
    providerRefunded: number,
    reason: string,
    opts: Opts = {},
  ): Promise<number> {
    return inTx(this.db, opts.trx, async (trx) => {
      const row = await store.getPayment(trx, paymentId, true);
      if (!row) throw problems.notFound('payment', paymentId);
      const p = toPayment(row);
      const inFlight = await store.pendingRefunds(trx, paymentId);
      const extra = providerRefunded - p.refunded_amount - inFlight;
      if (extra <= 0) return 0;
      const d = decideRefund(stateOf(p, inFlight), extra);
      if (!d.ok) return 0;
      const op = await this.insertOperation(trx, p, 'refund', extra, null);
      await store.finishOperation(trx, op.id, { status: 'succeeded', reason, updated_at: this.clock.now() });
      await this.write(trx, p, d.next, 'payment.refunded', {
        operation_id: op.id,
        amount: extra,
        return_id: null,
        reason,
      });
      return extra;
    });
  }

  /** Refund now (own transactions): request, commit, call the provider, record. */
  async refund(paymentId: string, amount: number): Promise<Payment> {
    const op = await this.requestRefund(paymentId, amount);
    await this.runOperations([op.id]);
    return this.get(paymentId);
  }
  async void(paymentId: string): Promise<Payment> {
    const op = await this.requestVoid(paymentId);
    if (op) await this.runOperations([op.id]);
    return this.get(paymentId);
  }

  operation(id: string, opts: Opts = {}): Promise<PaymentOperation | undefined> {
    return store.getOperation(opts.trx ?? this.db, id).then((r) => (r ? toOperation(r) : undefined));
  }

  /**
   * Runs pending operations against the provider, outside any transaction: `ids`, or (the job) the
   * oldest unleased ones. Each is leased first, so two workers never pay the same refund; the
   * operation id is the idempotency key, so a retry after a crash is not paid twice by the PSP.
   */
  async runOperations(ids: string[] | null = null, limit = 20): Promise<number> {
    const now = this.clock.now();
    const ops = await inTx(this.db, undefined, (trx) =>
      store.leaseOperations(trx, ids, now, new Date(now.getTime() + 60_000), limit),
    );
    for (const op of ops) {
      const p = await this.get(op.payment_id);
      const provider = this.provider(p.provider);
      const call = { idempotency_key: op.id, signal: AbortSignal.timeout(this.timeoutMs) };
      let res: { ok: true } | { ok: false; reason: string };
      try {
        if (op.kind === 'void') res = (await provider.void(p.provider_ref ?? '', call), { ok: true });
        else if (op.kind === 'refund') res = await provider.refund(p.provider_ref ?? '', Number(op.amount), call);
        else res = await provider.capture(p.provider_ref ?? '', Number(op.amount), call);
      } catch {
        continue; // no answer: the lease runs out and the job asks again (same idempotency key)
      }
      await inTx(this.db, undefined, async (trx) => {
        const at = this.clock.now();
        if (
          !(await store.finishOperation(trx, op.id, {
            status: res.ok ? 'succeeded' : 'failed',
            reason: res.ok ? null : res.reason,
            updated_at: at,
          }))
        )
          return;
        const fresh = toPayment((await store.getPayment(trx, op.payment_id, true))!);
        if (!res.ok) {
          await emit(
            trx,
            {
              type: `payment.${op.kind as 'capture' | 'void' | 'refund'}_failed`,
              aggregateId: fresh.id,
              payload: { payment_id: fresh.id, order_id: fresh.order_id, operation_id: op.id, reason: res.reason },
            },
            at,
          );
          return;
        }
        if (op.kind === 'void') {
          const d = decideVoid(stateOf(fresh));
          if (d.ok && !('noop' in d)) await this.write(trx, fresh, d.next, 'payment.voided');
        } else if (op.kind === 'capture') {
          const d = decideCapture(stateOf(fresh), Number(op.amount));
          if (d.ok) await this.write(trx, fresh, d.next, 'payment.captured', { operation_id: op.id });
        } else if (op.kind === 'refund') {
          // This refund's own amount is the one being settled: the others pending stay reserved.
          const d = decideRefund(stateOf(fresh), Number(op.amount));
          if (d.ok)
            await this.write(trx, fresh, d.next, 'payment.refunded', {
              operation_id: op.id,
              amount: Number(op.amount),
              return_id: op.return_id,
            });
        }
      });
    }
    return ops.length;
  }

  private async insertOperation(
    trx: Executor,
    p: Payment,
    kind: PaymentOperation['kind'],
    amount: number,
    returnId: string | null,
  ): Promise<PaymentOperation> {
    const now = this.clock.now();
    const row = {
      id: newId('pop', now.getTime()),
      payment_id: p.id,
      order_id: p.order_id,
      kind,
      amount,
      status: 'pending',
      reason: null,
      return_id: returnId,
      lease_until: null,
      created_at: now,
      updated_at: now,
    };
    await store.insertOperation(trx, row);
    return toOperation(row);
  }

  /** Writes a payment's new state and its event, in the caller's transaction. */
  private async write(
    trx: Executor,
    p: Payment,
    next: PaymentState,
    event: `payment.${PaymentState['status']}`,
    extra: Record<string, unknown> = {},
  ): Promise<Payment> {
    const now = this.clock.now();
    await store.updatePayment(trx, p.id, {
      status: next.status,
      captured_amount: next.captured,
      refunded_amount: next.refunded,
      updated_at: now,
    });
    await emit(
      trx,
      {
        type: event,
        aggregateId: p.id,
        payload: {
          payment_id: p.id,
          order_id: p.order_id,
          status: next.status,
          captured_amount: next.captured,
          refunded_amount: next.refunded,
          currency: p.amount.currency,
          ...extra,
        },
      },
      now,
    );
    return {
      ...p,
      status: next.status,
      captured_amount: next.captured,
      refunded_amount: next.refunded,
      updated_at: now.toISOString(),
    };
  }
}
