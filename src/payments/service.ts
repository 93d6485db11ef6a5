import type { Db, Executor } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { inTx } from '../platform/db/tx.js';
import { emit } from '../platform/events/outbox.js';
import { AppError, problems } from '../platform/http/problems.js';
import * as store from './store.js';
import { decideCapture, decideRefund, decideVoid, type PaymentState } from './rules.js';
import type { Payment, PaymentProvider, PaymentRequest, PaymentStatus } from './types.js';

type Opts = { trx?: Executor | undefined };

function toPayment(r: store.PaymentRow): Payment {
  return {
    id: r.id,
    order_id: r.order_id,
    provider: r.provider,
    status: r.status as PaymentStatus,
    amount: { amount: Number(r.amount), currency: r.currency },
    captured_amount: Number(r.captured_amount),
    refunded_amount: Number(r.refunded_amount),
    provider_ref: r.provider_ref,
    decline_reason: r.decline_reason,
    details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as Record<string, unknown>,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}
const stateOf = (p: Payment): PaymentState => ({
  status: p.status,
  amount: p.amount.amount,
  captured: p.captured_amount,
  refunded: p.refunded_amount,
});

/**
 * Payments behind the provider interface. The service owns the payment records and their state;
 * providers only talk to the outside world. Orders call `authorise` at checkout (inside the checkout
 * transaction, so a decline rolls the order back), `capture` at shipment or handover, `refund` on
 * return, `void` on cancellation.
 */
export class PaymentsService {
  private readonly providers = new Map<string, PaymentProvider>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    providers: PaymentProvider[] = [],
  ) {
    for (const p of providers) this.register(p);
  }

  register(provider: PaymentProvider): void {
    this.providers.set(provider.name, provider);
  }
  providerNames(): string[] {
    return [...this.providers.keys()];
  }
  private provider(name: string): PaymentProvider {
    const p = this.providers.get(name);
    if (!p)
      throw problems.field('payment/provider', `unknown provider ${name}; one of ${this.providerNames().join(', ')}`);
    return p;
  }

  /**
   * Authorises `amount` for an order and records the payment. A decline throws `payment_declined`
   * (and records nothing: the caller's transaction rolls back; `recordDecline` keeps a trace
   * outside it). On success the payment is `authorized`.
   */
  async authorise(
    input: { order_id: string; amount: number; currency: string; request: PaymentRequest },
    opts: Opts = {},
  ): Promise<Payment> {
    const provider = this.provider(input.request.provider);
    const result = await provider.authorise({
      amount: input.amount,
      currency: input.currency,
      reference: input.order_id,
      request: input.request,
    });
    if (!result.ok) {
      if (result.field) throw problems.field(result.field, result.reason.replace(/_/g, ' '));
      throw new AppError('payment_declined', `the ${provider.name} payment was declined: ${result.reason}`, {
        reason: result.reason,
        provider: provider.name,
      });
    }
    const now = this.clock.now();
    const id = newId('pay', now.getTime());
    try {
      await inTx(this.db, opts.trx, async (trx) => {
        await store.insertPayment(trx, {
          id,
          order_id: input.order_id,
          provider: provider.name,
          status: 'authorized',
          currency: input.currency,
          amount: input.amount,
          captured_amount: 0,
          refunded_amount: 0,
          provider_ref: result.provider_ref,
          decline_reason: null,
          details: JSON.stringify(result.details ?? {}),
          created_at: now,
          updated_at: now,
        });
        await emit(
          trx,
          {
            type: 'payment.authorized',
            aggregateId: id,
            payload: {
              payment_id: id,
              order_id: input.order_id,
              provider: provider.name,
              amount: input.amount,
              currency: input.currency,
            },
          },
          now,
        );
      });
    } catch (err) {
      // The provider holds money we failed to record: release it before reporting the failure.
      await provider.void(result.provider_ref).catch(() => undefined);
      throw err;
    }
    return {
      id,
      order_id: input.order_id,
      provider: provider.name,
      status: 'authorized',
      amount: { amount: input.amount, currency: input.currency },
      captured_amount: 0,
      refunded_amount: 0,
      provider_ref: result.provider_ref,
      decline_reason: null,
      details: result.details ?? {},
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
  }

  /** Voids an authorisation whose record was rolled back with the checkout that made it. */
  async voidAtProvider(provider: string, providerRef: string): Promise<void> {
    await this.provider(provider).void(providerRef);
  }

  /** Keeps a trace of a declined attempt (outside the rolled-back checkout), for support. */
  async recordDecline(input: {
    order_id: string;
    amount: number;
    currency: string;
    provider: string;
    reason: string;
  }): Promise<void> {
    const now = this.clock.now();
    await store.insertPayment(this.db, {
      id: newId('pay', now.getTime()),
      order_id: input.order_id,
      provider: input.provider,
      status: 'declined',
      currency: input.currency,
      amount: input.amount,
      captured_amount: 0,
      refunded_amount: 0,
      provider_ref: null,
      decline_reason: input.reason,
      details: '{}',
      created_at: now,
      updated_at: now,
    });
  }

  async get(id: string, opts: Opts = {}): Promise<Payment> {
    const row = await store.getPayment(opts.trx ?? this.db, id);
    if (!row) throw problems.notFound('payment', id);
    return toPayment(row);
  }
  async forOrder(orderId: string, opts: Opts = {}): Promise<Payment[]> {
    return (await store.paymentsOfOrder(opts.trx ?? this.db, orderId)).map(toPayment);
  }

  /** Captures `amount` (default: all that is authorised). */
  async capture(paymentId: string, amount?: number, opts: Opts = {}): Promise<Payment> {
    return this.change(paymentId, opts, 'payment.captured', async (p, provider) => {
      const d = decideCapture(stateOf(p), amount ?? p.amount.amount);
      if (!d.ok) throw new AppError('invalid_transition', d.reason, { payment_id: p.id, payment_status: p.status });
      const res = await provider.capture(p.provider_ref ?? '', d.next.captured);
      if (!res.ok)
        throw new AppError('payment_declined', `the capture was refused: ${res.reason}`, {
          reason: res.reason,
          payment_id: p.id,
        });
      return d.next;
    });
  }

  async refund(paymentId: string, amount: number, opts: Opts = {}): Promise<Payment> {
    return this.change(paymentId, opts, 'payment.refunded', async (p, provider) => {
      const d = decideRefund(stateOf(p), amount);
      if (!d.ok) throw new AppError('invalid_transition', d.reason, { payment_id: p.id, payment_status: p.status });
      const res = await provider.refund(p.provider_ref ?? '', amount);
      if (!res.ok)
        throw new AppError('payment_declined', `the refund was refused: ${res.reason}`, {
          reason: res.reason,
          payment_id: p.id,
        });
      return d.next;
    });
  }

  async void(paymentId: string, opts: Opts = {}): Promise<Payment> {
    return this.change(paymentId, opts, 'payment.voided', async (p, provider) => {
      const d = decideVoid(stateOf(p));
      if (!d.ok) throw new AppError('invalid_transition', d.reason, { payment_id: p.id, payment_status: p.status });
      if (!('noop' in d)) await provider.void(p.provider_ref ?? '');
      return d.next;
    });
  }

  /** Locks the payment row, lets `step` decide and call the provider, writes the new state and its event. */
  private async change(
    id: string,
    opts: Opts,
    event: string,
    step: (p: Payment, provider: PaymentProvider) => Promise<PaymentState>,
  ): Promise<Payment> {
    return inTx(this.db, opts.trx, async (trx) => {
      const row = await store.getPayment(trx, id, true);
      if (!row) throw problems.notFound('payment', id);
      const p = toPayment(row);
      const next = await step(p, this.provider(p.provider));
      if (next.status === p.status && next.refunded === p.refunded_amount) return p;
      const now = this.clock.now();
      await store.updatePayment(trx, id, {
        status: next.status,
        captured_amount: next.captured,
        refunded_amount: next.refunded,
        updated_at: now,
      });
      await emit(
        trx,
        {
          type: event,
          aggregateId: id,
          payload: {
            payment_id: id,
            order_id: p.order_id,
            status: next.status,
            captured_amount: next.captured,
            refunded_amount: next.refunded,
            currency: p.amount.currency,
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
    });
  }
}
