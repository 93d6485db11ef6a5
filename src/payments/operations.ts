import type { Db, Executor } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { inTx } from '../platform/db/tx.js';
import { emit } from '../platform/events/outbox.js';
import { AppError, problems } from '../platform/http/problems.js';
import * as store from './store.js';
import { decideCapture, decideRefund, decideVoid, type PaymentState } from './rules.js';
import { stateOf, toOperation, toPayment } from './mapping.js';
import { type Payment, type PaymentOperation, type PaymentProvider } from './types.js';

export type Opts = { trx?: Executor | undefined };

/** How long a provider call may take; a pending row older than twice this is the reconciliation's. */
export const PROVIDER_TIMEOUT_MS = 10_000;

/**
 * The providers and the payment operations after authorisation (capture, refund, void): each is
 * asked for in the caller's transaction as a pending operation and run against the provider after
 * commit (`runOperations`, or the payments job for whatever a crash left). PaymentsService extends
 * this with the authorisation path.
 */
export class PaymentOperations {
  protected readonly providers = new Map<string, PaymentProvider>();

  constructor(
    protected readonly db: Db,
    protected readonly clock: Clock,
    providers: PaymentProvider[] = [],
    protected readonly timeoutMs = PROVIDER_TIMEOUT_MS,
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

  protected async insertOperation(
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
  protected async write(
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
