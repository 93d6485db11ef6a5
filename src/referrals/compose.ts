/**
 * The referrals module's wiring, kept out of services.ts so that file stays a list: its ports over the
 * other modules' services and its event consumers. Called by composeServices once customers,
 * promotions, orders, store credit, fulfillment and returns exist.
 */
import type { Ctx } from '../context.js';
import { erasedCustomerIds } from '../customers/index.js';
import { ReferralsService } from './service.js';
import type {
  ReferralsCreditPort,
  ReferralsCustomersPort,
  ReferralsOrdersPort,
  ReferralsPromotionsPort,
  ReferralsReturnsPort,
} from './ports.js';

export function composeReferrals(
  ctx: Ctx,
  s: {
    customers: ReferralsCustomersPort;
    promotions: ReferralsPromotionsPort;
    orders: ReferralsOrdersPort;
    storeCredit: ReferralsCreditPort;
    returns: ReferralsReturnsPort;
  },
): ReferralsService {
  const referrals = new ReferralsService({
    db: ctx.db,
    clock: ctx.clock,
    customers: s.customers,
    promotions: s.promotions,
    orders: s.orders,
    credit: s.storeCredit,
    returns: s.returns,
  });
  const r = referrals.rewards;
  // Named consumers: their delivery rows are keyed by name, stable whatever the wiring order.
  // A batch consumer (one read of the batch's orders, rewards.ts onOrdersPlaced); the name is unchanged.
  ctx.bus.subscribeBatch(
    'order.placed',
    (es, trx) =>
      r.onOrdersPlaced(
        es.map((e) => String(e.data.order_id)),
        trx,
      ),
    { name: 'referrals.order-placed' },
  );
  for (const type of ['fulfillment.delivered', 'fulfillment.handed_over'] as const)
    ctx.bus.subscribe(type, (e, trx) => r.onDelivered(String(e.data.order_id), trx), { name: `referrals.${type}` });
  ctx.bus.subscribe(
    'return.received',
    (e, trx) => r.onReturnReceived(String(e.data.order_id), String(e.data.return_id), trx),
    { name: 'referrals.return-received' },
  );
  ctx.bus.subscribe('order.cancelled', (e, trx) => r.onOrderCancelled(String(e.data.order_id), trx), {
    name: 'referrals.order-cancelled',
  });
  ctx.bus.subscribe(
    'customer.erased',
    (e, trx) => {
      const ids = erasedCustomerIds(e.data);
      return r.onCustomerErased(ids, trx);
    },
    { name: 'referrals.customer-erased' },
  );
  return referrals;
}
