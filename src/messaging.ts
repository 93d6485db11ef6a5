/**
 * Issue 16's wiring, kept out of services.ts so that file stays a list: customer accounts (codes,
 * claims, device merge at login), messages in the shopper's language, campaigns and the
 * abandoned-cart reminder. Called by composeServices once the modules they use exist.
 */
import type { Ctx } from './context.js';
import type { AuthService } from './platform/auth/service.js';
import type { NetworkService } from './network/index.js';
import type { InventoryService } from './inventory/index.js';
import { AccountService, erasedCustomerIds, type CustomersService } from './customers/index.js';
import type { PromotionsService } from './promotions/index.js';
import type { OrdersService } from './orders/index.js';
import type { CartsService } from './carts/index.js';
import { logOnlyChannel, mailAccountCode, type NotificationsService } from './notifications/index.js';
import { CampaignsService, CartReminders, type CampaignsDeps } from './campaigns/index.js';

/** How long a logged-in shopper's cart stands still before its one reminder (`OMNIA_CART_REMINDER_HOURS`). */
const reminderHours = (env: NodeJS.ProcessEnv) => {
  const n = Number(env.OMNIA_CART_REMINDER_HOURS ?? '4');
  return Number.isFinite(n) && n > 0 ? n : 4;
};

export function composeAccounts(
  ctx: Ctx,
  s: {
    auth: AuthService;
    network: NetworkService;
    customers: CustomersService;
    orders: OrdersService;
    carts: CartsService;
  },
): AccountService {
  const accounts = new AccountService(ctx.db, ctx.clock, {
    channel: (x, o) => s.network.channel(x, o),
    keys: s.auth.keys,
    issueCustomerToken: (id, channelId) => s.auth.issueCustomerToken(id, channelId),
    login: (email, password, channelId) => s.customers.login(email, password, channelId),
    revokeSessions: (ids, trx) => s.auth.revokeCustomerSessions(ids, trx),
    attachGuestOrders: (email, customerId, trx) => s.orders.attachGuestOrders(email, customerId, { trx }),
    // The attached order enters the 360 as if it had been placed by the person (idempotent on its id).
    feedOrder: (payload, trx) =>
      s.customers.orders.onOrderPlaced(
        {
          id: `attach:${String(payload.order_id)}`,
          type: 'order.placed',
          aggregate_id: String(payload.order_id),
          occurred_at: ctx.clock.now().toISOString(),
          data: payload,
        },
        trx,
      ),
    // The person, on the channel they just logged in through, takes the device's anonymous cart
    // (its id is the bearer secret the device holds); carts refuses another customer's or channel's.
    mergeCart: (cartId, customerId, channelId) =>
      s.carts.merge({ kind: 'customer', id: customerId, customerId, channelId }, cartId, customerId),
    nudge: () => ctx.bus.nudge(),
  });
  ctx.jobs.add({ name: 'customers.account_codes.purge', intervalMs: 3_600_000, run: () => accounts.purgeCodes() });
  return accounts;
}

export function composeCampaigns(
  ctx: Ctx,
  s: {
    auth: AuthService;
    customers: CustomersService;
    accounts: AccountService;
    promotions: PromotionsService;
    notifications: NotificationsService;
    carts: CartsService;
    inventory: InventoryService;
    network: NetworkService;
  },
): {
  campaigns: CampaignsService;
  cartReminders: CartReminders;
  exportExtras: (rowIds: string[]) => Promise<Record<string, unknown>>;
} {
  const { customers, accounts, notifications } = s;
  const deps: CampaignsDeps = {
    customers: {
      async segmentMembers(segmentId) {
        const ids: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await customers.segments.evaluate(segmentId, { limit: 500, cursor });
          ids.push(...page.items);
          cursor = page.next_cursor ?? undefined;
        } while (cursor);
        return ids;
      },
      hasConsent: (id, purpose) => customers.hasConsent(id, purpose as 'marketing_email'),
      async contact(id) {
        const p = await customers.get(id);
        return {
          email: p.identifiers.find((i) => i.kind === 'email')?.value ?? null,
          phone: p.identifiers.find((i) => i.kind === 'phone')?.value ?? null,
          first_name: p.first_name ?? null,
          locale: await accounts.localeOf(id),
        };
      },
      memberIds: (id) => accounts.memberIds(id),
      withdrawConsent: async (id, purpose, source) =>
        void (await customers.setConsents(id, [{ purpose: purpose as 'marketing_email', granted: false }], source)),
    },
    promotions: {
      getPromotion: (id) => s.promotions.getPromotion(id),
      createCoupons: (promotionId, input, opts) => s.promotions.createCoupons(promotionId, input, opts),
    },
    messages: {
      send: (m) => notifications.send({ ...m, orderId: null }),
      marketingSentSince: (ids, since) => notifications.marketingSentSince(ids, since),
    },
    carts: { idleCarts: (since, limit) => s.carts.idleCarts(since, limit) },
    stock: {
      async available(skus, channelId) {
        const channel = await s.network.channel(channelId);
        if (!channel) return new Map();
        const rows = await s.inventory.availability({ channel: channel.code, skus });
        return new Map(rows.map((r) => [r.sku, r.available]));
      },
    },
    secrets: () => [s.auth.keys.current.secret, ...ctx.config.secretPrevious],
    publicUrl: (process.env.OMNIA_PUBLIC_URL ?? '').replace(/\/$/, ''),
    cartReminderAfterHours: reminderHours(process.env),
    nudge: () => ctx.bus.nudge(),
  };
  const campaigns = new CampaignsService(ctx.db, ctx.clock, deps);
  // SMS and push stand behind the channel interface; log-only until a provider is contracted.
  notifications.useChannel(logOnlyChannel('sms', ctx.log));
  notifications.useChannel(logOnlyChannel('push', ctx.log));
  const cartReminders = new CartReminders(ctx.db, ctx.clock, deps, campaigns);
  ctx.jobs.add({ name: 'campaigns.deliver', intervalMs: 30_000, run: () => campaigns.deliverDue() });
  ctx.jobs.add({ name: 'campaigns.cart_reminders', intervalMs: 15 * 60_000, run: () => cartReminders.run() });
  // Account codes leave after commit, from the event's own delivery row (retried alone on failure).
  ctx.bus.subscribeAfterCommit(
    'customer.account_code_requested',
    'notifications',
    async (e) => void (await mailAccountCode(notifications, accounts, e)),
  );
  ctx.bus.subscribe('customer.erased', async (e, trx) => {
    const ids = erasedCustomerIds(e.data);
    await accounts.onErased(ids, trx);
    await notifications.eraseCustomers(ids, trx);
    await campaigns.erase(ids, trx);
  });
  return {
    campaigns,
    cartReminders,
    exportExtras: async (rowIds) => ({
      messages: await notifications.forCustomer(rowIds, 10_000),
      ...(await campaigns.dataOf(rowIds)),
    }),
  };
}
