/**
 * A shopper's anonymous cart joining their account, split from service.ts (house rule: files under
 * ~400 lines): in one transaction the anonymous cart is assigned to the customer, or, when the
 * customer already has an open cart, its lines and coupons are merged into that one and the anonymous
 * cart is closed as `merged`. CartsService.merge re-prices the result after the commit.
 */
import type { Tx } from '../platform/db/schema.js';
import { newId } from '../platform/ids.js';
import { inTx } from '../platform/db/tx.js';
import { emit } from '../platform/events/outbox.js';
import { problems } from '../platform/http/problems.js';
import { authorizeResource } from '../platform/auth/policy.js';
import * as store from './store.js';
import { mergeCoupons, mergeLines } from './rules.js';
import { assertCartAccess, assertOpen } from './view.js';
import type { CartActor } from './types.js';
import type { HandoffDeps } from './handoff.js';

/** The cart the customer now owns (the anonymous one assigned, or their account's cart merged into). */
export async function mergeIntoAccount(
  deps: HandoffDeps,
  actor: CartActor,
  anonymousCartId: string,
  customerId: string,
): Promise<store.CartRow> {
  authorizeResource(actor, 'write', { kind: 'cart', id: anonymousCartId, customerId });
  const now = deps.clock.now();
  return inTx(deps.db, undefined, async (trx: Tx) => {
    const anon = await deps.load(anonymousCartId, trx, true);
    assertCartAccess(actor, anon);
    if (anon.customer_id === customerId && anon.status === 'open') return anon;
    if (anon.customer_id !== null) throw problems.forbidden(`cart ${anon.id} belongs to another customer`);
    assertOpen(anon);
    const account = await store.openCartOf(trx, customerId, true);
    if (!account) {
      await store.updateCart(trx, anon.id, { customer_id: customerId, updated_at: now });
      await emit(
        trx,
        { type: 'cart.assigned', aggregateId: anon.id, payload: { cart_id: anon.id, customer_id: customerId } },
        now,
      );
      return deps.load(anon.id, trx);
    }
    const merged = mergeLines(await store.linesOf(trx, account.id), await store.linesOf(trx, anon.id));
    if (!merged.ok) throw problems.field('quantity', `merging would exceed 2147483647 units of ${merged.sku}`);
    for (const l of merged.lines)
      await store.upsertLineQuantity(trx, {
        id: newId('cln', now.getTime()),
        cart_id: account.id,
        sku: l.sku,
        quantity: l.quantity,
        added_at: now,
      });
    const coupons = mergeCoupons(account.coupons, anon.coupons);
    await store.updateCart(trx, account.id, { coupons, updated_at: now });
    await store.updateCart(trx, anon.id, { status: 'merged', merged_into: account.id, updated_at: now });
    await emit(
      trx,
      {
        type: 'cart.merged',
        aggregateId: account.id,
        payload: { cart_id: account.id, from_cart_id: anon.id, customer_id: customerId },
      },
      now,
    );
    return deps.load(account.id, trx);
  });
}
