import type { Db, Executor } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import type { PublishedEvent } from '../platform/events/outbox.js';
import { newId } from '../platform/ids.js';
import type { OrderWithoutPayment } from '../orders/index.js';
import { problems } from '../platform/http/problems.js';
import * as store from './store.js';
import type { TemplateName } from './templates.js';
import { MESSAGE_KIND, type MessageInput, type MessageTemplate } from './messages.js';
import { renderMessage } from './message-render.js';
import type { Mailer } from './mailer.js';
import type { ConsentPort, NotificationsCatalogPort, NotificationsOrdersPort } from './ports.js';

/** Which event sends which template. Other modules' payloads carry `order_id` and the fields named. */
export const EVENT_TEMPLATES: Record<string, TemplateName> = {
  'order.placed': 'order_confirmation',
  'fulfillment.ready_for_pickup': 'ready_for_pickup',
  'fulfillment.shipped': 'shipped',
  'return.received': 'return_received',
  'order.refunded': 'refund_issued',
  'payment.link_sent': 'payment_link',
};

/**
 * An event's second message, to another address than the order's: a gift's recipient is told what is
 * coming (no prices) on `order.placed`. Its own log row (event id, template) keeps it once, and a retry
 * after it failed finds the first message logged and sends only this one.
 */
export const EVENT_SECOND_MESSAGES: Record<
  string,
  { template: TemplateName; to: (order: OrderWithoutPayment) => string | null }
> = {
  'order.placed': { template: 'gift_notice', to: (o) => (o.gift ? (o.gift_recipient?.email ?? null) : null) },
};

export interface NotificationOutcome {
  status: 'sent' | 'skipped' | 'duplicate';
  reason?: string;
}

/**
 * Sends notifications from outbox events. It runs after commit from the event's own `notifications`
 * delivery row (src/platform/events/deliveries.ts), never inside a transaction: a mail that fails is
 * retried alone, with back-off, and neither blocks nor repeats any other. The log row per (event id,
 * template) is written once the message is accepted by the mail server, so a redelivered event finds it
 * and sends nothing (a crash between sending and logging sends once more: at least once). Transactional
 * messages always go; marketing ones only with consent.
 */
export class NotificationsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly orders: NotificationsOrdersPort,
    private mailer: Mailer | null,
    private readonly customers?: ConsentPort | undefined,
    private readonly catalog?: NotificationsCatalogPort | undefined,
  ) {}

  /** SMS and push providers (issue 16: log-only until one is contracted), by their channel name. */
  private readonly channels = new Map<string, Mailer>();
  useChannel(provider: Mailer): void {
    this.channels.set(provider.channel, provider);
  }

  useMailer(mailer: Mailer | null): void {
    this.mailer = mailer;
  }

  async onEvent(event: PublishedEvent, trx: Executor = this.db): Promise<NotificationOutcome> {
    const template = EVENT_TEMPLATES[event.type];
    if (!template) return { status: 'skipped', reason: 'no template for this event' };
    const orderId = typeof event.data.order_id === 'string' ? event.data.order_id : null;
    const order = orderId ? await this.orders.getWithoutPayment(orderId, { trx }).catch(() => null) : null;
    const data = this.dataFor(order, event.data);
    const customerId = order?.customer_id ?? (event.data.customer_id as string | undefined) ?? null;
    // In the shopper's language: the event's, else the profile's (set from the shopper or the channel).
    if (!data.locale && customerId) data.locale = await this.customers?.locale?.(customerId, { trx });
    const outcome = await this.send(
      {
        eventId: event.id,
        template,
        customerId,
        email: order?.email ?? null,
        orderId,
        data,
        // A gift's recipient returned it (store credit on their own gift card): the buyer is not told.
        skipReason: event.data.gift === true ? 'returned by the gift’s recipient' : undefined,
      },
      trx,
    );
    const second = EVENT_SECOND_MESSAGES[event.type];
    const to = second && order ? second.to(order) : null;
    if (!second || !order || !to) return outcome;
    // Logged against the buyer: the recipient's address is data the buyer gave, erased with the buyer.
    await this.send(
      {
        eventId: event.id,
        template: second.template,
        customerId,
        email: to,
        orderId,
        data: await this.giftData(order, data.locale, customerId, trx),
      },
      trx,
    );
    return outcome;
  }

  /** The recipient's mail data: names and quantities, delivery, the receipt code — no line amount, no total. */
  private async giftData(
    order: OrderWithoutPayment,
    locale: string | undefined,
    customerId: string | null,
    trx: Executor,
  ) {
    const skus = [...new Set(order.lines.map((l) => l.sku))];
    const names = (await this.catalog?.productNames(skus, { trx }).catch(() => null)) ?? new Map<string, string>();
    const giver = customerId ? await this.customers?.get?.(customerId, { trx }).catch(() => null) : null;
    const d = order.delivery;
    const data: MessageInput = {
      locale,
      items: order.lines.map((l) => ({ name: names.get(l.sku) ?? l.sku, quantity: l.quantity })),
      giver_name: giver?.first_name ?? undefined,
      recipient_name: order.gift_recipient?.name ?? undefined,
      gift_message: order.gift_message ?? undefined,
      gift_receipt_code: order.gift_receipt_code ?? undefined,
      delivery_method: d.method,
      promised_date: d.promised_date ?? null,
      ready_by: d.ready_by ?? null,
      collect_until: d.collect_until ?? null,
      location_timezone: d.location_timezone,
      location_name: d.location_name ?? undefined,
    };
    return data;
  }

  private dataFor(order: OrderWithoutPayment | null, d: Record<string, unknown>): MessageInput {
    // Names come from the order (recorded at checkout), never from a lookup.
    const locationName = (d.location_name as string | undefined) ?? order?.delivery.location_name ?? undefined;
    const tracking =
      typeof d.tracking === 'string'
        ? d.tracking
        : d.tracking && typeof d.tracking === 'object'
          ? String((d.tracking as { number?: unknown }).number ?? '')
          : undefined;
    const amount =
      d.amount && typeof d.amount === 'object' ? (d.amount as { amount: number; currency: string }) : undefined;
    return {
      order_id: order?.id ?? (d.order_id as string | undefined),
      total: order?.total,
      lines: order?.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, total: l.total })),
      delivery_method: order?.delivery.method,
      promised_date: order?.delivery.promised_date ?? null,
      pickup_code: typeof d.pickup_code === 'string' ? d.pickup_code : undefined,
      collect_until: order?.delivery.collect_until ?? null,
      location_timezone: order?.delivery.location_timezone,
      location_name: locationName,
      tracking: tracking || undefined,
      amount,
      return_id: typeof d.return_id === 'string' ? d.return_id : undefined,
      payment_url: typeof d.payment_url === 'string' ? d.payment_url : undefined,
      pay_by: typeof d.pay_by === 'string' ? d.pay_by : undefined,
      // amounts in the shopper's locale when the event names one (nothing records it yet: the default then)
      locale: typeof d.locale === 'string' ? d.locale : undefined,
    };
  }

  /**
   * Checks the log, consent and recipient, renders, sends and logs. Never call it inside a transaction
   * that sends: `ex` is for reads and the log row only.
   */
  async send(
    n: {
      eventId: string;
      template: MessageTemplate;
      customerId: string | null;
      email: string | null;
      orderId: string | null;
      data: MessageInput;
      /** Log this message as skipped for this reason (e.g. a campaign's frequency cap) instead of sending it. */
      skipReason?: string | undefined;
      /** email (default), or sms / push through their provider; `email` then holds that channel's address. */
      channel?: 'email' | 'sms' | 'push' | undefined;
    },
    ex: Executor = this.db,
  ): Promise<NotificationOutcome> {
    const kind = MESSAGE_KIND[n.template];
    let reason: string | null = n.skipReason ?? null;
    const channel = n.channel ?? 'email';
    const provider = channel === 'email' ? this.mailer : (this.channels.get(channel) ?? null);
    if (kind === 'marketing' && !reason) {
      const consented =
        n.customerId && this.customers
          ? await this.customers.hasConsent(n.customerId, `marketing_${channel}`, { trx: ex })
          : false;
      if (!consented) reason = 'no marketing consent';
    }
    const to = n.email;
    if (!reason && !to) reason = channel === 'email' ? 'no email address' : `no ${channel} address`;
    if (!reason && !provider)
      reason = channel === 'email' ? 'no mail transport configured (OMNIA_SMTP_URL)' : `no ${channel} provider`;
    const msg = renderMessage(n.template, n.data);
    // A failure throws before anything is logged: the delivery row records it and retries this mail only.
    // The log is checked first only when something is sent: a skipped message's log row is its own
    // check (the claim below finds a redelivery's row), one statement instead of two.
    if (!reason) {
      if (await store.exists(ex, n.eventId, n.template)) return { status: 'duplicate' };
      await provider!.send({ to: to!, ...msg });
    }
    const fresh = await store.claim(ex, {
      id: newId('ntf', this.clock.now().getTime()),
      event_id: n.eventId,
      template: n.template,
      kind,
      channel,
      recipient: to,
      subject: msg.subject,
      status: reason ? 'skipped' : 'sent',
      reason,
      order_id: n.orderId,
      customer_id: n.customerId,
      created_at: this.clock.now(),
    });
    if (reason) {
      if (!fresh) return { status: 'duplicate' };
      this.log.info({ template: n.template, order_id: n.orderId, reason }, 'notification skipped');
      return { status: 'skipped', reason };
    }
    return { status: 'sent' };
  }

  /** A marketing message (e.g. a cart reminder), sent only to customers who consented; `key` makes it once-only. */
  async sendMarketing(input: {
    key: string;
    customer_id: string;
    template: MessageTemplate;
    data: MessageInput;
  }): Promise<NotificationOutcome> {
    const email = this.customers?.get
      ? ((await this.customers.get(input.customer_id).catch(() => null))?.email ?? null)
      : null;
    // No transaction: the mail goes out between the log check and the log row (see send).
    return this.send({
      eventId: input.key,
      template: input.template,
      customerId: input.customer_id,
      email,
      orderId: null,
      data: input.data,
    });
  }

  /** Every message sent or skipped for these profile rows (one person), newest first. */
  async forCustomer(customerIds: string[], limit = 200) {
    return (await store.forCustomers(this.db, customerIds, limit)).map((r) => ({
      ...r,
      created_at: r.created_at.toISOString(),
    }));
  }

  /** Marketing messages sent to these profile rows since `since` (the per-person frequency cap). */
  marketingSentSince(customerIds: string[], since: Date): Promise<number> {
    return store.marketingSentSince(this.db, customerIds, since);
  }

  /** `customer.erased`: their message log keeps no address, subject or link to them. */
  async eraseCustomers(customerIds: string[], trx: Executor): Promise<void> {
    await store.eraseCustomers(trx, customerIds);
  }

  /**
   * Sends one logged e-mail of an order again, now, to the address it went to: the original event
   * (kept in the outbox) rendered afresh, logged as a new row whose event id is
   * `resend:<ms>:<original event id>` (so the log shows it was a resend, and each resend is its own row).
   * Outside any transaction: the mail leaves, then the row is written.
   */
  async resend(orderId: string, logId: string) {
    const row = (await store.forOrder(this.db, orderId)).find((r) => r.id === logId);
    if (!row) throw problems.notFound('notification', logId);
    if (row.channel !== 'email' || !row.recipient)
      throw problems.conflict('only an e-mail that had a recipient can be sent again');
    const original = row.event_id.startsWith('resend:') ? row.event_id.split(':').slice(2).join(':') : row.event_id;
    const event = await this.db
      .selectFrom('outbox')
      .select(['type', 'payload'])
      .where('id', '=', original)
      .executeTakeFirst();
    if (!event) throw problems.conflict('the event this message was written from is no longer kept');
    const payload = (typeof event.payload === 'string' ? JSON.parse(event.payload) : event.payload) as Record<
      string,
      unknown
    >;
    const order = await this.orders.getWithoutPayment(orderId);
    const data = this.dataFor(order, payload);
    if (!data.locale && order.customer_id) data.locale = await this.customers?.locale?.(order.customer_id, {});
    const eventId = `resend:${this.clock.now().getTime()}:${original}`;
    const template = row.template as MessageTemplate;
    const outcome = await this.send({
      eventId,
      template,
      customerId: row.customer_id,
      email: row.recipient,
      orderId,
      data: template === 'gift_notice' ? await this.giftData(order, data.locale, order.customer_id, this.db) : data,
    });
    const fresh = (await store.forOrder(this.db, orderId)).find((r) => r.event_id === eventId);
    return { outcome, notification: fresh ? { ...fresh, created_at: fresh.created_at.toISOString() } : null };
  }

  async forOrder(orderId: string) {
    return (await store.forOrder(this.db, orderId)).map((r) => ({ ...r, created_at: r.created_at.toISOString() }));
  }
}
