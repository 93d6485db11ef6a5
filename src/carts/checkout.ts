import type { Tx } from '../platform/db/schema.js';
import { newId } from '../platform/ids.js';
import { inTx } from '../platform/db/tx.js';
import type { DomainEvent } from '../platform/events/outbox.js';
import { AppError, problems } from '../platform/http/problems.js';
import type { Order } from '../orders/index.js';
import { remainderAfterCredit, type AuthorisationAnswer, type Payment } from '../payments/index.js';
import type { QuoteView } from './ports.js';
import * as store from './store.js';
import { settlementOf } from './rules.js';
import { prepare, type CheckoutDeps, type CheckoutInput, type Prepared } from './checkout-prepare.js';
import type { CartActor } from './types.js';
import { FifoAdmission } from './admission.js';
import { CheckoutBatcher, type BatchJob } from './checkout-batch.js';
import { MAX_IN_FLIGHT } from './checkout-batch-rules.js';

export type { CheckoutInput } from './checkout-prepare.js';

type Opened = { order: Order; payment: Payment } | { replayOf: string | null };

export interface CheckoutOptions {
  /**
   * OMNIA_CHECKOUT_BATCH: concurrent `open` transactions batched, one savepoint each (checkout-batch.ts):
   * `hot` only checkouts sharing a SKU under pressure, `all` every one, `off` none.
   */
  batch?: 'off' | 'hot' | 'all' | undefined;
}

/**
 * An order's reservation lives until fulfillment confirms (ships) or cancellation releases it. The
 * inventory caps a TTL at 30 days, so that is the longest an order can wait for fulfillment.
 */
const RESERVATION_TTL_S = 30 * 24 * 3600;

/**
 * Checkout as a workflow of named phases (Medusa's shape), the provider call outside every lock:
 *   1. prepare   — reads only: cart, fresh price, delivery, where to reserve, payment policy;
 *   2. open      — ONE short transaction: lock the cart, reserve the stock, redeem the coupons,
 *                  write the payment `pending` and the order `payment_pending`, complete the cart;
 *   3. authorise — the provider call, no transaction, no row lock, with a timeout; the payment id
 *                  is the idempotency key;
 *   4. settle    — a second transaction records the answer: authorised → the order is placed
 *                  (`order.placed`); declined → the order is cancelled, stock and coupons released,
 *                  the cart reopened so the shopper's retry works. No answer → the order waits, and
 *                  `reconcile` (a job) settles it by asking the provider by idempotency key.
 * Idempotent on the cart: a completed cart answers with its order; HTTP adds Idempotency-Key replay.
 */
/** The codes the quote applied: what the open phase redeems, and what a batch locks for it. */
const appliedCoupons = (q: QuoteView): string[] => q.coupons.filter((c) => c.status === 'applied').map((c) => c.code);

export class CheckoutService {
  private readonly gate: FifoAdmission;
  /** Present when batching is on; its batches are bounded by the gate's limit too. */
  readonly batcher: CheckoutBatcher<Opened> | null;
  constructor(
    private readonly deps: CheckoutDeps,
    opts: CheckoutOptions = {},
  ) {
    const limit = deps.maxConcurrent ?? 8;
    this.gate = new FifoAdmission(limit);
    this.batcher =
      opts.batch === 'hot' || opts.batch === 'all'
        ? new CheckoutBatcher<Opened>(
            deps.db,
            (fn) => this.gate.run(fn),
            Math.min(limit, MAX_IN_FLIGHT),
            opts.batch === 'all',
          )
        : null;
  }

  async checkout(actor: CartActor, cartId: string, input: CheckoutInput): Promise<{ order: Order; replayed: boolean }> {
    const prepared = await prepare(this.deps, actor, cartId, input);
    if ('completed' in prepared) return this.replay(prepared.completed);
    const opened = this.batcher
      ? await this.batcher.submit(this.openJob(prepared))
      : await this.gate.run(() => inTx(this.deps.db, undefined, (trx) => this.open(trx, prepared)));
    if ('replayOf' in opened) return this.replay(cartId);
    const answer = await this.deps.payments.askProvider(opened.payment, input.payment);
    const order = await this.settle(opened.order.id, opened.payment, answer, opened.order.lines);
    return { order, replayed: false };
  }

  /** The open phase as a batch job: what it will lock (for the batch's lock order) and its work. */
  private openJob(p: Prepared): BatchJob<Opened> {
    return {
      scope: {
        cartId: p.cart.id,
        skus: p.lines.map((l) => l.sku),
        coupons: appliedCoupons(p.q),
        creditAccounts: p.credits.map((c) => c.account_id),
        customerId: p.customerId,
      },
      run: (trx) => this.open(trx, p),
    };
  }

  /**
   * Phase 2: the one short transaction (or one savepoint of a batch's transaction). Nothing outside
   * the database happens in it.
   */
  private async open(trx: Tx, p: Prepared): Promise<Opened> {
    const { deps } = this;
    const { cart, lines, input, channel, customerId, q, reserveAt, orderDelivery, email, variants, credits } = p;
    const orderId = newId('ord', deps.clock.now().getTime());
    const locked = await deps.carts.load(cart.id, trx, true);
    if (locked.status === 'completed') return { replayOf: locked.order_id };
    if (locked.version !== cart.version)
      throw new AppError('cart_changed', 'the cart changed while checking out; review it and try again', {
        changes: [],
      });
    await this.recheckFirstOrder(trx, customerId, q);
    const reservation = deps.inventory
      ? await deps.inventory.reserve(
          {
            channel: channel.id,
            lines: lines.map((l) => ({
              sku: l.sku,
              quantity: l.quantity,
              ...(reserveAt ? { location_id: reserveAt } : {}),
            })),
            ttl_seconds: RESERVATION_TTL_S,
            reference: orderId,
            ...(customerId ? { customer_id: customerId } : {}),
          },
          { trx },
        )
      : null;
    const coupons = appliedCoupons(q);
    if (coupons.length) await deps.promotions!.redeem({ order_id: orderId, customer_id: customerId, coupons }, { trx });
    // Store credit is spent here, in this transaction (a conditional debit: a short balance aborts it
    // all); the provider is asked only for the rest, and a cancelled order gives the credit back.
    if (credits.length) await deps.credit!.debit(credits, orderId, { trx });
    // The pending payment and the cart's completion are written by the order's own statement (one
    // round trip for order, lines, history, events, payment and cart: orders' place-statement.ts).
    const { payment, insert: paymentInsert } = deps.payments.pending({
      order_id: orderId,
      amount: remainderAfterCredit(q.total, credits),
      currency: q.currency,
      provider: input.payment.provider,
    });
    // Order lines get ids of their own: a declined attempt keeps its lines, and the retry of the same cart needs new ones.
    const now = deps.clock.now().getTime();
    const order = await deps.orders.place(
      {
        id: orderId,
        status: 'payment_pending',
        channel_id: channel.id,
        channel_type: channel.type,
        customer_id: customerId,
        cart_id: cart.id,
        location_id: locked.location_id,
        email,
        currency: q.currency,
        subtotal: q.subtotal,
        discount_total: q.discount_total,
        shipping_amount: q.shipping.amount,
        shipping_discount: q.shipping.discount,
        tax_total: q.tax_total,
        total: q.total,
        tax_breakdown: q.tax_breakdown,
        coupons,
        delivery: orderDelivery,
        ...(input.gift
          ? {
              gift: {
                message: input.gift.message?.trim() || null,
                recipient_email: input.gift.recipient_email?.trim() || null,
                recipient_name: input.gift.recipient_name?.trim() || null,
              },
            }
          : {}),
        reservation_id: reservation?.id ?? null,
        payment_id: payment.id,
        payment,
        lines: q.lines.map((l) => ({
          line_id: newId('oln', now),
          sku: l.sku,
          product_id: variants.get(l.sku)?.product_id ?? null,
          quantity: l.quantity,
          unit_price: l.unit_price,
          discount: l.discount,
          total: l.total,
          tax_rate: l.tax_rate,
          tax_amount: l.tax_amount,
          applied: l.applied,
          location_id: reservation?.lines.find((r) => r.sku === l.sku)?.location_id ?? null,
        })),
      },
      {
        trx,
        with: [
          paymentInsert,
          store.completeCartSql(cart.id, { order_id: orderId, customer_id: customerId, updated_at: deps.clock.now() }),
        ],
      },
    );
    return { order, payment };
  }

  /** A first-order promotion in the quote holds only if the customer still has no live order (checked under a lock). */
  private async recheckFirstOrder(trx: Tx, customerId: string | null, q: QuoteView): Promise<void> {
    if (!customerId || !this.deps.promotions) return;
    const applied = q.lines.flatMap((l) =>
      (l.applied as { promotion_id?: unknown }[]).flatMap((a) =>
        typeof a?.promotion_id === 'string' ? [a.promotion_id] : [],
      ),
    );
    if (applied.length === 0) return;
    const firstOnly = await this.deps.promotions.firstOrderOnly(applied, { trx });
    if (firstOnly.length && (await this.deps.orders.hasLiveOrder(customerId, { trx })))
      throw new AppError(
        'cart_changed',
        'a first-order promotion no longer applies: this customer already has an order',
        {
          changes: firstOnly.map((id) => ({ sku: '', field: 'promotion', before: id, after: null })),
        },
      );
  }

  /**
   * Phase 4: the second transaction, recording the provider's answer (the request path and the
   * reconciliation job both come here; only the first to find the payment pending writes).
   * Returns the order, or throws payment_declined (the order is cancelled, the cart open again)
   * or unavailable (no answer yet: the order waits for the reconciliation).
   */
  private async settle(
    orderId: string,
    payment: Payment,
    answer: AuthorisationAnswer | null,
    /** The lines `open` wrote (the request path has them; the reconciliation job reads them). */
    lines?: Order['lines'],
  ): Promise<Order> {
    const { deps } = this;
    if (answer !== null && typeof answer === 'object' && 'action_required' in answer)
      // 3-D Secure: the order waits, pending, for the bank's answer (the PSP's webhook or the
      // reconciliation settles it); the storefront sends the shopper to the bank's page.
      throw new AppError(
        'payment_action_required',
        `the shopper must confirm the payment with their bank at next_action.redirect_url; order ${orderId} waits for the answer`,
        { order_id: orderId, payment_id: payment.id, next_action: answer.action_required },
      );
    const outcome = settlementOf(answer);
    if (outcome === 'unknown' || answer === 'timeout')
      throw new AppError(
        'unavailable',
        `the ${payment.provider} payment provider did not answer in time; order ${orderId} waits for its answer`,
        { order_id: orderId, payment_id: payment.id },
      );
    let release: string | null = null;
    let placed: Order | null = null;
    const recorded = await inTx(deps.db, undefined, async (trx) => {
      release = null;
      placed = null;
      // An authorisation's event is written with the order's (one outbox insert, payment's first).
      const events: DomainEvent[] = [];
      const p = await deps.payments.recordAuthorisation(payment.id, answer, {
        trx,
        ...(answer?.ok === true ? { defer: events } : {}),
      });
      if (!p) return null; // settled already (the reconciliation, or a concurrent request)
      if (p.status === 'authorized') {
        // The order, locked: placed from what the transaction read, or null if it was cancelled meanwhile.
        placed = await deps.orders.paymentAuthorised(orderId, { trx, payment: p, lines, events });
        // Cancelled while its payment was pending: an authorisation that arrives late is voided.
        if (!placed) release = (await deps.payments.requestVoid(p.id, { trx }))?.id ?? null;
        return p;
      }
      if (
        !(await deps.orders.paymentFailed(orderId, `payment ${p.status}: ${p.decline_reason ?? 'no answer'}`, { trx }))
      )
        return p; // cancelled meanwhile: nothing was authorised, nothing to undo
      await deps.promotions?.releaseRedemptions(orderId, { trx });
      await deps.credit?.restore(orderId, { trx });
      const order = await deps.orders.get(orderId, { trx });
      const cart = order.cart_id ? await store.getCart(trx, order.cart_id, true) : undefined;
      if (cart && cart.status === 'completed' && cart.order_id === orderId)
        await store.updateCart(trx, cart.id, { status: 'open', order_id: null, updated_at: deps.clock.now() });
      return p;
    });
    deps.bus.nudge();
    if (release) await deps.payments.runOperations([release]);
    // The common case answers from the settle transaction's own rows (no read back after commit).
    if (placed) return placed;
    const order = await deps.orders.get(orderId);
    if (order.status !== 'cancelled') return order;
    const reason = recorded?.decline_reason ?? order.payment?.decline_reason ?? 'order_cancelled';
    if (answer && !answer.ok && answer.field) throw problems.field(answer.field, reason.replace(/_/g, ' '));
    throw new AppError('payment_declined', `the ${payment.provider} payment was declined: ${reason}`, {
      reason,
      provider: payment.provider,
      order_id: orderId,
    });
  }

  /**
   * The reconciliation job: payments left pending by a crash (or a provider that did not answer in
   * time) are leased, the provider is asked for the outcome by idempotency key, and the order is
   * settled — authorised: it proceeds; declined or unknown to the provider: cancelled, stock and
   * coupons released. A provider that still does not answer is asked again when the lease runs out.
   */
  async reconcile(): Promise<number> {
    const stale = await this.deps.payments.leaseStale();
    for (const p of stale) {
      let answer;
      try {
        answer = await this.deps.payments.retrieve(p);
      } catch {
        continue;
      }
      await this.settle(p.order_id, p, answer).catch(() => undefined);
    }
    return stale.length;
  }

  private async replay(cartId: string): Promise<{ order: Order; replayed: boolean }> {
    const order = await this.deps.orders.findByCart(cartId);
    if (!order) throw new AppError('conflict', `cart ${cartId} is completed but has no order`);
    return { order, replayed: true };
  }
}
