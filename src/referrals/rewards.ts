/**
 * What other modules' events do to referrals. Every handler runs in the event's delivery transaction
 * (at least once, so each is idempotent: a unique order id, a status guard under a row lock, a
 * counted-returns table) and touches only the database: store credit is a balance in the same
 * database, issued and taken back through the payments module's service in that transaction, so it
 * commits or rolls back with the referral's status — nothing leaves the house here.
 */
import { createHash } from 'node:crypto';
import type { Tx } from '../platform/db/schema.js';
import { emit } from '../platform/events/outbox.js';
import { newId } from '../platform/ids.js';
import * as store from './store.js';
import { eventPayload } from './mapping.js';
import {
  judgeSelfReferral,
  normaliseAddress,
  normaliseReferralCode,
  onDelivered,
  onReturned,
  paymentFingerprint,
  unitsTakenBack,
} from './rules.js';
import type { ReferralsDeps, ReferralsOrder } from './ports.js';
import type { ReferralRow } from './store.js';
import type { ReferralStatus } from './types.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
type Status = 'referral.recorded' | 'referral.refused' | 'referral.credited' | 'referral.reversed' | 'referral.voided';

export class ReferralRewards {
  constructor(private readonly deps: ReferralsDeps) {}

  private async emitFor(trx: Tx, type: Status, row: ReferralRow): Promise<void> {
    await emit(trx, { type, aggregateId: row.id, payload: eventPayload(row) }, this.deps.clock.now());
  }

  /** The person's profile rows and devices, from the identity graph; undefined when erased or unknown. */
  private async person(id: string, trx: Tx): Promise<{ ids: string[]; devices: string[] } | undefined> {
    const root = await this.deps.customers.resolve(id, { trx });
    if (!root) return undefined;
    const view = await this.deps.customers.get(root, { trx });
    return {
      ids: [view.id, ...view.merged_ids],
      devices: view.identifiers.filter((i) => i.kind === 'device_id').map((i) => i.value),
    };
  }

  private static traits(order: ReferralsOrder): { address: string | null; payment: string | null } {
    const a = order.delivery.address;
    const fp = paymentFingerprint(order.payment);
    return { address: a ? sha(normaliseAddress(a)) : null, payment: fp ? sha(fp) : null };
  }

  /**
   * `order.placed`: an order whose applied coupons include a referral code becomes a referral —
   * pending, or refused when the identity graph says the friend is the referrer. Then the order's
   * address and card are remembered for the checks of later referrals (hashed).
   */
  async onOrderPlaced(orderId: string, trx: Tx): Promise<void> {
    await this.onOrdersPlaced([orderId], trx);
  }

  /**
   * `order.placed` for a delivery batch, in delivery order: the batch's orders and lines are read in
   * one statement, a payment only for an order that needs it (a customer's traits or a coupon; a
   * guest without coupons needs none), and the traits go in one insert per run of orders — flushed
   * before each referral is judged, so every order is judged on the traits of the orders before it,
   * as one event at a time would. An order this database does not hold concerns no referral.
   */
  async onOrdersPlaced(orderIds: readonly string[], trx: Tx): Promise<void> {
    const ids = [...new Set(orderIds)];
    const orders = new Map(
      (
        await this.deps.orders.getMany(ids, {
          trx,
          needsPayment: (o) => o.coupons.length > 0 || o.customer_id !== null,
        })
      ).map((o) => [o.id, o]),
    );
    const at = this.deps.clock.now();
    let traitRows: Parameters<typeof store.insertTraits>[1] = [];
    const flush = async () => {
      await store.insertTraits(trx, traitRows);
      traitRows = [];
    };
    for (const id of ids) {
      const order = orders.get(id);
      if (!order) continue;
      const traits = ReferralRewards.traits(order);
      if (order.coupons.length) {
        await flush();
        await this.recordReferral(order, traits, trx);
      }
      if (!order.customer_id) continue;
      if (traits.address)
        traitRows.push({ customer_id: order.customer_id, kind: 'address', hash: traits.address, created_at: at });
      if (traits.payment)
        traitRows.push({ customer_id: order.customer_id, kind: 'payment', hash: traits.payment, created_at: at });
    }
    await flush();
  }

  private async recordReferral(
    order: ReferralsOrder,
    traits: { address: string | null; payment: string | null },
    trx: Tx,
  ): Promise<void> {
    const [code] = await store.codesByValue(trx, [...new Set(order.coupons.map(normaliseReferralCode))]);
    if (!code) return;
    const programme = await store.programme(trx);
    // A paused programme earns nothing (the retailer pauses the friend's discount on its promotion).
    if (!programme?.active) return;
    const referrer = await this.person(code.customer_id, trx);
    if (!referrer) return; // the referrer was erased: nobody to reward or to protect
    const friend = order.customer_id ? await this.person(order.customer_id, trx) : undefined;
    const verdict = judgeSelfReferral({
      referrerIds: referrer.ids,
      friendIds: friend?.ids ?? [],
      referrerDevices: referrer.devices,
      friendDevices: friend?.devices ?? [],
      addressSeen: traits.address ? await store.traitSeen(trx, referrer.ids, 'address', traits.address) : false,
      paymentSeen: traits.payment ? await store.traitSeen(trx, referrer.ids, 'payment', traits.payment) : false,
    });
    const now = this.deps.clock.now();
    const row: ReferralRow = {
      id: newId('rfr', now.getTime()),
      code: code.code,
      referrer_id: referrer.ids[0]!,
      friend_id: friend?.ids[0] ?? order.customer_id,
      order_id: order.id,
      status: verdict.ok ? 'pending' : 'refused',
      reason: verdict.ok ? null : verdict.reason,
      detail: verdict.ok ? null : verdict.detail,
      reward_minor: Number(programme.reward_minor),
      currency: programme.currency,
      order_units: order.lines.reduce((n, l) => n + l.quantity, 0),
      returned_units: 0,
      credit_account_id: null,
      reversed_minor: null,
      unrecovered_minor: null,
      created_at: now,
      updated_at: now,
      credited_at: null,
      reversed_at: null,
    };
    if (await store.insertReferral(trx, row))
      await this.emitFor(trx, verdict.ok ? 'referral.recorded' : 'referral.refused', row);
  }

  /** `fulfillment.delivered` / `fulfillment.handed_over`: the friend has the goods, the referrer earns. */
  async onDelivered(orderId: string, trx: Tx): Promise<void> {
    const row = await store.lockByOrder(trx, orderId);
    if (!row) return;
    const decision = onDelivered({ ...row, status: row.status as ReferralStatus });
    const now = this.deps.clock.now();
    if (decision.do === 'void') {
      const voided = await store.updateReferral(trx, row.id, { status: 'void', reason: 'returned', updated_at: now });
      return this.emitFor(trx, 'referral.voided', voided);
    }
    if (decision.do !== 'credit') return;
    const root = await this.deps.customers.resolve(row.referrer_id, { trx });
    if (!root) {
      const voided = await store.updateReferral(trx, row.id, {
        status: 'void',
        reason: 'referrer_gone',
        updated_at: now,
      });
      return this.emitFor(trx, 'referral.voided', voided);
    }
    // Once per referral: the status guard under the row lock, and the ledger's unique (reason, reference).
    const issued = await this.deps.credit.issue(
      {
        to: { customer_id: root },
        currency: row.currency,
        amount: Number(row.reward_minor),
        reason: 'referral',
        reference: row.id,
      },
      { trx },
    );
    const credited = await store.updateReferral(trx, row.id, {
      status: 'credited',
      credit_account_id: issued.account.id,
      credited_at: now,
      updated_at: now,
    });
    await this.emitFor(trx, 'referral.credited', credited);
  }

  /**
   * `return.received`: counts the units the return takes back (exchanges excepted) once per return;
   * a fully returned order takes the reward back.
   */
  async onReturnReceived(orderId: string, returnId: string, trx: Tx): Promise<void> {
    const row = await store.lockByOrder(trx, orderId);
    if (!row) return;
    const units = unitsTakenBack(await this.deps.returns.get(returnId, { trx }));
    if (units <= 0) return;
    if (!(await store.countReturn(trx, row.id, returnId, units))) return;
    const now = this.deps.clock.now();
    const counted = await store.updateReferral(trx, row.id, {
      returned_units: row.returned_units + units,
      updated_at: now,
    });
    const balance =
      counted.status === 'credited' && counted.credit_account_id
        ? (await this.deps.credit.get(counted.credit_account_id, { trx })).balance.amount
        : 0;
    const decision = onReturned(
      { ...counted, status: counted.status as ReferralStatus, reward: Number(counted.reward_minor) },
      balance,
    );
    if (decision.do === 'void') {
      const voided = await store.updateReferral(trx, row.id, { status: 'void', reason: 'returned', updated_at: now });
      return this.emitFor(trx, 'referral.voided', voided);
    }
    if (decision.do !== 'reverse') return;
    // The spend is one conditional decrement: a checkout spending the credit meanwhile makes it fail,
    // and the event is delivered again (the return above is then already counted, the status still credited).
    if (decision.debit > 0)
      await this.deps.credit.spend(counted.credit_account_id!, decision.debit, `referral_reversal:${row.id}`, { trx });
    const reversed = await store.updateReferral(trx, row.id, {
      status: 'reversed',
      reversed_minor: decision.debit,
      unrecovered_minor: decision.unrecovered,
      reversed_at: now,
      updated_at: now,
    });
    await this.emitFor(trx, 'referral.reversed', reversed);
  }

  /** `order.cancelled`: a pending referral will never earn. */
  async onOrderCancelled(orderId: string, trx: Tx): Promise<void> {
    const row = await store.lockByOrder(trx, orderId);
    if (!row || row.status !== 'pending') return;
    const now = this.deps.clock.now();
    const voided = await store.updateReferral(trx, row.id, {
      status: 'void',
      reason: 'order_cancelled',
      updated_at: now,
    });
    await this.emitFor(trx, 'referral.voided', voided);
  }

  /** `customer.erased`: the hashed addresses and cards of the erased rows go with them. */
  async onCustomerErased(customerIds: string[], trx: Tx): Promise<void> {
    await store.eraseTraits(trx, customerIds);
  }
}
