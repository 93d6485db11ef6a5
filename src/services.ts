import type { Ctx } from './context.js';
import type { Executor } from './platform/db/schema.js';
import { AuthService } from './platform/auth/service.js';
import { NetworkService } from './network/index.js';
import { CatalogService } from './catalog/index.js';
import { InventoryService } from './inventory/index.js';
import { WebhookService } from './platform/events/webhooks/service.js';
import { chunkedPurge, RETENTION_INTERVAL_MS } from './platform/events/retention.js';
import { CustomerDesk, CustomersService, erasedCustomerIds } from './customers/index.js';
import { PromotionsService, customerFactsFrom } from './promotions/index.js';
import {
  PaymentsService,
  StoreCreditService,
  StoreCreditSpending,
  manualProvider,
  testCardProvider,
  StripeProvider,
  StripeLinkProvider,
  StripeWebhooks,
} from './payments/index.js';
import { OrdersService } from './orders/index.js';
import { CartsService, CheckoutService, DeliveryService } from './carts/index.js';
import { NotificationsService, smtpMailer } from './notifications/index.js';
import { vatRate } from './catalog/index.js';
import { FulfillmentService, StoreQueue } from './fulfillment/index.js';
import { composeAccounts, composeCampaigns } from './messaging.js';
import type { AccountService } from './customers/index.js';
import type { CampaignsService, CartReminders } from './campaigns/index.js';
import { DEFAULT_RETURNS_CONFIG, ReturnsService } from './returns/index.js';
import { PlanningService } from './planning/index.js';
import { AnalyticsService } from './analytics/index.js';
import { composeMarketplaces, type MarketplacesService } from './marketplaces/index.js';
import { composeFeeds, type FeedsService, type ShareLinks } from './feeds/index.js';
import { composeConversations, type ConversationsService } from './conversations/index.js';
import { composeCarriers, type CarrierService } from './carriers/index.js';
import { composeReviews, type ReviewsService } from './reviews/index.js';
import { composeReferrals, type ReferralsService } from './referrals/index.js';

/**
 * The composition root of the modules' services: each is built from the context and the services
 * it depends on (passed in, never imported from another module's internals). Add a module here,
 * after the modules it needs. Subscriptions to other modules' events and jobs are wired here too.
 */
export interface Services {
  ctx: Ctx;
  auth: AuthService;
  network: NetworkService;
  catalog: CatalogService;
  inventory: InventoryService;
  webhooks: WebhookService;
  customers: CustomersService;
  customerDesk: CustomerDesk;
  promotions: PromotionsService;
  payments: PaymentsService;
  orders: OrdersService;
  carts: CartsService;
  delivery: DeliveryService;
  checkout: CheckoutService;
  notifications: NotificationsService;
  fulfillment: FulfillmentService;
  storeQueue: StoreQueue;
  returns: ReturnsService;
  accounts: AccountService;
  campaigns: CampaignsService;
  cartReminders: CartReminders;
  planning: PlanningService;
  analytics: AnalyticsService;
  storeCredit: StoreCreditService;
  /** Issue 18: marketplace connections (Amazon, AliExpress): offers, stock feeds, order import, shipments. */
  marketplaces: MarketplacesService;
  /** Issue 18: carrier quotes, labels and tracking (DHL Express when configured). */
  carriers: CarrierService;
  /** Issue 19: social channel catalog feeds (Meta CSV, Google RSS), regenerated per changed SKU. */
  feeds: FeedsService;
  /** Issue 19: share links with attribution parameters; visits recorded as behaviour events. */
  shareLinks: ShareLinks;
  /** Stripe's webhook endpoint (answers 404 when Stripe is not configured). */
  stripeWebhooks: StripeWebhooks;
  /** Issue 19: reviews from every channel, their moderation and the review request after delivery. */
  reviews: ReviewsService;
  /** Issue 19: referral codes, the friend's first-order promotion, the referrer's store credit. */
  referrals: ReferralsService;
  /** Issue 19: webchat conversations between shoppers and the contact center. */
  conversations: ConversationsService;
}

export async function composeServices(ctx: Ctx): Promise<Services> {
  const network = new NetworkService(ctx.db, ctx.clock);
  const auth = new AuthService(
    ctx.db,
    ctx.clock,
    { channel: (x) => network.channel(x), location: (x) => network.location(x) },
    ctx.config.secret,
    ctx.config.secretPrevious,
  );
  await auth.init();
  ctx.jobs.add({ name: 'auth.sessions.purge', intervalMs: 3_600_000, run: () => auth.purgeSessions() });
  const catalog = new CatalogService(ctx.db, ctx.clock, network);
  // OMNIA_INVENTORY_COALESCE=0 turns hot-SKU coalescing off, to measure the naive path (bench/inventory.ts).
  const inventory = new InventoryService(
    { db: ctx.db, clock: ctx.clock, network, catalog, bus: ctx.bus },
    { coalesce: ctx.config.inventoryCoalesce },
  );
  ctx.jobs.add({ name: 'inventory.expire', intervalMs: 1000, run: () => inventory.expireDue() });
  const webhooks = new WebhookService(ctx.db, ctx.clock, ctx.log, { allowPrivate: ctx.config.allowPrivateWebhooks });
  ctx.jobs.add({ name: 'webhooks.deliver', intervalMs: 1000, run: () => webhooks.deliverDue() });
  const purgeDeliveries = chunkedPurge((after) => webhooks.purgeSettled(ctx.config.eventsKeepDays, after));
  ctx.jobs.add({ name: 'webhooks.retention', intervalMs: RETENTION_INTERVAL_MS, run: purgeDeliveries });
  // Issue 16: the export includes what campaigns and notifications hold (wired once they exist).
  let exportExtras: (rowIds: string[]) => Promise<Record<string, unknown>> = async () => ({});
  const customers = new CustomersService(ctx.db, ctx.clock, {
    exportExtras: (rowIds) => exportExtras(rowIds),
    channel: (x) => network.channel(x),
    issueCustomerToken: (id, channelId) => auth.issueCustomerToken(id, channelId),
    revokeSessions: (ids, trx) => auth.revokeCustomerSessions(ids, trx),
    nudge: () => ctx.bus.nudge(),
    catalog: { variants: async (skus, trx) => [...(await catalog.getVariants(skus, { trx })).values()] },
    availability: {
      // One list for every channel: without a channel in the request, stock is judged for the web shop.
      async available(skus, channel) {
        const code = channel ?? (await network.listChannels()).find((c) => c.type === 'web' && c.active)?.code;
        if (!code) return new Map(skus.map((s) => [s, 1]));
        const rows = await inventory.availability({ channel: code, skus });
        return new Map(rows.map((r) => [r.sku, r.available]));
      },
    },
  });
  const customerDesk = new CustomerDesk(ctx.db, ctx.clock, customers, (x) => network.channel(x));
  ctx.bus.subscribeBatch('order.placed', (es, trx) => customers.orders.onOrdersPlaced(es, trx));
  ctx.bus.subscribe('order.cancelled', (e, trx) => customers.orders.onOrderCancelled(e, trx));
  ctx.bus.subscribe('return.created', (e, trx) => customers.orders.onReturn(e, trx));
  ctx.bus.subscribe('refund.issued', (e, trx) => customers.orders.onReturn(e, trx));
  ctx.jobs.add({
    name: 'customers.partitions',
    intervalMs: 6 * 3600_000,
    run: async () => (await customers.ensurePartitions(), 0),
  });
  const promotions = new PromotionsService({
    db: ctx.db,
    clock: ctx.clock,
    network,
    catalog,
    vatRate: (c, country) => vatRate(c as Parameters<typeof vatRate>[0], country),
    customers: customerFactsFrom(customers),
  });
  // Issue 7: payments, orders, carts and checkout, notifications.
  const payments = new PaymentsService(
    ctx.db,
    ctx.clock,
    [manualProvider, testCardProvider({ db: ctx.db, ...ctx.config.testPayments })],
    ctx.config.paymentTimeoutMs,
  );
  // Issue 18: Stripe card payments, when configured (docs/connectors/payments.md).
  const stripe = ctx.config.stripe;
  if (stripe) {
    const cards = new StripeProvider({
      ...stripe,
      db: ctx.db,
      clock: ctx.clock,
      timeoutMs: ctx.config.paymentTimeoutMs,
    });
    payments.register(cards);
    // Issue 14 point 8: payment by link (a Checkout Session) for orders an agent places.
    payments.register(new StripeLinkProvider({ cards, db: ctx.db, clock: ctx.clock, returnUrl: stripe.returnUrl }));
  }
  // Issue 11: provider calls run outside transactions; these settle what a crash or a timeout left pending.
  ctx.jobs.add({ name: 'payments.operations', intervalMs: 2000, run: () => payments.runOperations() });
  const orders = new OrdersService(ctx.db, ctx.clock, ctx.bus, payments, inventory);
  const cartDeps = { db: ctx.db, clock: ctx.clock, network, promotions, inventory, catalog };
  const carts = new CartsService(cartDeps);
  // Issue 18: a carrier's quote (price, transit days) for home delivery; the rate table when it cannot answer.
  // eslint-disable-next-line prefer-const -- assigned below, once fulfillment (which it needs) exists
  let carriers: CarrierService | undefined;
  const delivery = new DeliveryService(ctx.db, ctx.clock, network, orders, inventory, catalog, (q) =>
    carriers ? carriers.quoteHome(q) : Promise.resolve(null),
  );
  const emailOf = async (id: string, opts?: { trx?: Executor }) => {
    const c = await customers.get(id, opts);
    return { email: c.identifiers.find((i) => i.kind === 'email')?.value ?? null, first_name: c.first_name };
  };
  // Issue 16 point 7: store credit and gift cards spent at checkout (the accounts are stateless over the DB).
  const creditSpending = new StoreCreditSpending(ctx.db, ctx.clock, new StoreCreditService(ctx.db, ctx.clock));
  const checkout = new CheckoutService(
    {
      ...cartDeps,
      bus: ctx.bus,
      carts,
      delivery,
      orders,
      payments,
      customers: { get: emailOf },
      credit: creditSpending,
      // Open checkout transactions take at most half the pool; the other half serves every other read.
      maxConcurrent: Math.max(1, Math.floor(ctx.config.dbPoolSize / 2)),
    },
    { batch: ctx.config.checkoutBatch },
  );
  // Any cancellation (declined card, reconciliation, staff) gives back the order's credit, like its stock.
  ctx.bus.subscribe(
    'order.cancelled',
    async (e, trx) => void (await creditSpending.restore(String(e.data.order_id), { trx })),
    {
      name: 'store-credit.restore',
    },
  );
  ctx.jobs.add({ name: 'checkout.reconcile', intervalMs: 5000, run: () => checkout.reconcile() });
  const stripeWebhooks = new StripeWebhooks({
    db: ctx.db,
    clock: ctx.clock,
    payments,
    secret: stripe?.webhookSecret,
    settle: () => checkout.reconcile(),
  });
  const accounts = composeAccounts(ctx, { auth, network, customers, orders, carts });
  const { smtpUrl, from: mailFrom } = ctx.config.mail;
  const notifications = new NotificationsService(
    ctx.db,
    ctx.clock,
    ctx.log,
    orders,
    smtpUrl ? smtpMailer(smtpUrl, mailFrom) : null,
    {
      hasConsent: (id, purpose, o) => customers.hasConsent(id, purpose as 'marketing_email', o),
      get: emailOf,
      locale: (id, o) => accounts.localeOf(id, o),
    },
    {
      productNames: async (skus, o) =>
        new Map([...(await catalog.getVariants(skus, { trx: o?.trx })).values()].map((v) => [v.sku, v.product_name])),
    },
  );
  const messaging = composeCampaigns(ctx, {
    auth,
    customers,
    accounts,
    promotions,
    notifications,
    carts,
    inventory,
    network,
  });
  exportExtras = messaging.exportExtras;
  // One lock, update, history and outbox statement per delivery batch (orders/confirm-batch.ts); same name as before.
  ctx.bus.subscribeBatch('order.placed', async (es, trx) => {
    await orders.confirmPlaced(
      es.map((e) => String(e.data.order_id)),
      trx,
    );
  });
  ctx.bus.subscribe('customer.erased', async (e, trx) => {
    const ids = erasedCustomerIds(e.data);
    for (const id of ids) await orders.anonymiseCustomer(id, { trx });
  });
  for (const type of [
    'order.placed',
    'fulfillment.ready_for_pickup',
    'fulfillment.shipped',
    'return.received',
    'order.refunded',
    'payment.link_sent',
  ] as const) {
    // Mail leaves after commit, from the event's own delivery row: one rejected mail blocks no other.
    ctx.bus.subscribeAfterCommit(type, 'notifications', async (e) => void (await notifications.onEvent(e)));
  }
  // Issue 8: fulfillment (sourcing, store tasks, click & collect, pickup points) and returns.
  const fulfillment = new FulfillmentService(ctx.db, ctx.clock, ctx.bus, network, inventory, orders);
  orders.setFulfillment({ cancelUnits: (o, l, q, opts) => fulfillment.cancelUnits(o, l, q, opts) });
  // Issue 14: the store associate app's queue, work sheet, scan check and pickup-notification resend.
  const storeQueue = new StoreQueue(
    ctx.db,
    ctx.clock,
    ctx.bus,
    network,
    catalog,
    orders,
    fulfillment.config.promiseDays,
  );
  // Issue 16: store credit as balances (customer accounts and gift cards) that returns credit.
  const storeCredit = new StoreCreditService(ctx.db, ctx.clock);
  const returns = new ReturnsService(
    ctx.db,
    ctx.clock,
    ctx.bus,
    network,
    inventory,
    orders,
    catalog,
    fulfillment,
    DEFAULT_RETURNS_CONFIG,
    storeCredit,
  );
  // Recorded in fulfillment's inbox inside the dispatcher's transaction, acted on by the inbox job.
  ctx.bus.subscribeBatch('order.placed', (es, trx) => fulfillment.enqueue('order_placed', es, trx));
  ctx.bus.subscribeBatch('order.cancelled', (es, trx) => fulfillment.enqueue('order_cancelled', es, trx));
  // Issue 14: the agent's 360 shows orders and returns of every profile row of the person.
  customerDesk.setActivity({
    orders: async (ids, limit) => (await Promise.all(ids.map((id) => orders.list({ customer_id: id, limit })))).flat(),
    returns: async (ids, limit) =>
      (await Promise.all(ids.map((id) => returns.list({ customer_id: id, limit })))).flat(),
  });
  ctx.bus.subscribe('transfer.received', (e, trx) => fulfillment.enqueue('transfer_received', e, trx));
  ctx.jobs.add({ name: 'fulfillment.inbox', intervalMs: 500, run: () => fulfillment.processInbox() });
  ctx.jobs.add({ name: 'fulfillment.sla', intervalMs: 30_000, run: () => fulfillment.timeoutDue() });
  ctx.jobs.add({ name: 'fulfillment.uncollected', intervalMs: 3_600_000, run: () => fulfillment.expireUncollected() });
  // Issue 18: carriers (docs/connectors/carriers.md): labels settled and tracking polled by jobs, outside transactions.
  const carrierService = composeCarriers(ctx, { fulfillment, network, orders });
  carriers = carrierService;
  // Issue 15: min/max runs (large ones computed by this job) and proposals → inventory transfers.
  const planning = new PlanningService({
    db: ctx.db,
    clock: ctx.clock,
    network: {
      listLocations: (f) => network.listLocations(f),
      requireLocation: (x) => network.requireLocation(x),
    },
    inventory: {
      createTransfer: (t, o) => inventory.createTransfer(t, o),
      setLevelPolicy: (sku, loc, patch) => inventory.setLevelPolicy(sku, loc, patch),
    },
    kick: () => ctx.jobs.kick('planning.runs'),
    workers: ctx.config.planningWorkers,
    compute: ctx.config.planningCompute,
    keepRuns: ctx.config.planningKeepRuns,
  });
  ctx.jobs.add({ name: 'planning.runs', intervalMs: 10_000, run: () => planning.runDue() });
  // Issue 15: the reports (channel mix, shipping, lost sales) read what the modules above recorded.
  const analytics = new AnalyticsService(ctx.db, ctx.clock, {
    freeStock: async (skus) =>
      (await Promise.all(skus.map((s) => inventory.stock(s).catch(() => ({ sku: s, levels: [] }))))).flatMap((st) =>
        st.levels.map((l) => ({ sku: st.sku, location_id: l.location_id, free: l.available })),
      ),
    prices: async (skus, currency, channelId) =>
      new Map(
        [...(await catalog.prices(skus, { currency, channelId, at: ctx.clock.now() }))].map(([k, v]) => [k, v.amount]),
      ),
  });
  ctx.jobs.add({ name: 'analytics.lost-demand', intervalMs: 5000, run: () => analytics.lostDemand!.flush() });
  // Issue 18: marketplaces sell the one stock; their orders go through the same checkout.
  const marketplaces = composeMarketplaces(ctx, { network, inventory, catalog, carts, checkout, orders, returns });
  // Issue 19: referrals (docs/referrals.md): the code is a coupon of the one engine; credit follows the order's events.
  const referrals = composeReferrals(ctx, { customers, promotions, orders, storeCredit, returns });
  // A shopper's own referral code is refused by the one pricing engine, before any order (docs/referrals.md).
  promotions.setCouponGuard({ ownCodes: (codes, id, o) => referrals.ownCodes(codes, id, o) });
  // Issue 19: social shops' catalog feeds and share links.
  const { feeds, shareLinks } = composeFeeds(ctx, { network, inventory, catalog, customers });
  // Issue 19: webchat; transcripts belong to the person: exported and erased with them.
  const conversations = composeConversations(ctx, { carts, customers });
  const exportBeforeChats = exportExtras;
  exportExtras = async (rowIds) => ({
    ...(await exportBeforeChats(rowIds)),
    conversations: await conversations.exportOf(rowIds),
  });
  // Issue 19: reviews (docs/reviews.md): verified from any channel's orders; exported and erased with the author.
  const { reviews, exportOf: reviewsOf } = composeReviews(ctx, {
    customers,
    accounts,
    orders,
    catalog,
    notifications,
    unsubscribeUrl: (id) => messaging.campaigns.unsubscribeUrl(id),
  });
  catalog.useRatings({ summary: (productId) => reviews.summary(productId) });
  const exportBeforeReviews = exportExtras;
  exportExtras = async (rowIds) => ({ ...(await exportBeforeReviews(rowIds)), ...(await reviewsOf(rowIds)) });
  // Issue 17 point 6: lag-tolerant reads go to DATABASE_READ_URL when set (docs/scaling.md, "A read replica").
  if (ctx.reads) for (const s of [inventory, catalog, carts, customerDesk]) s.useReads(ctx.reads);
  return {
    ctx,
    auth,
    network,
    catalog,
    inventory,
    webhooks,
    customers,
    customerDesk,
    promotions,
    payments,
    orders,
    carts,
    delivery,
    checkout,
    notifications,
    fulfillment,
    storeQueue,
    returns,
    accounts,
    campaigns: messaging.campaigns,
    cartReminders: messaging.cartReminders,
    storeCredit,
    marketplaces,
    feeds,
    shareLinks,
    planning,
    analytics,
    carriers: carrierService,
    stripeWebhooks,
    reviews,
    referrals,
    conversations,
  };
}
