/**
 * The abandoned-cart reminder (issue 16): a logged-in shopper whose cart has stood still for N hours
 * is reminded once — only with marketing consent (the notifications log checks it when sending) and
 * only while every item can still be bought in full. The cart's one reminder is claimed in a row
 * first (committed), then the mail is sent, then the outcome recorded; a claim left pending by a
 * crash is retried by the same job and the log's key keeps the mail single.
 */
import type { Db } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import * as store from './store.js';
import { allInStock, capWindowStart, DEFAULT_CAP } from './rules.js';
import type { CampaignsDeps } from './ports.js';
import type { CampaignsService } from './service.js';

const PAGE = 100;

export class CartReminders {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deps: CampaignsDeps,
    private readonly campaigns: CampaignsService,
  ) {}

  /** One pass: returns how many carts it settled (> 0 runs it again at once). */
  async run(): Promise<number> {
    const now = this.clock.now();
    const idleSince = new Date(now.getTime() - this.deps.cartReminderAfterHours * 3_600_000);
    const carts = await this.deps.carts.idleCarts(idleSince, PAGE * 5);
    const done = new Set(
      (
        await store.remindedCarts(
          this.db,
          carts.map((c) => c.id),
        )
      ).map((r) => r.cart_id),
    );
    let n = 0;
    for (const cart of carts.filter((c) => !done.has(c.id)).slice(0, PAGE)) {
      const available = await this.deps.stock.available(
        cart.lines.map((l) => l.sku),
        cart.channel_id,
      );
      // Sold out: no reminder now; the cart is looked at again on a later pass (stock may come back).
      if (!allInStock(cart.lines, available)) continue;
      if (
        !(await store.claimReminder(this.db, {
          cart_id: cart.id,
          customer_id: cart.customer_id,
          status: 'pending',
          reason: null,
          at: now,
        }))
      )
        continue;
      await this.remind(cart.id, cart.customer_id, cart.lines);
      n++;
    }
    // Claims a crash left behind (older than a minute) are sent now: the log key makes it once.
    for (const r of await store.pendingReminders(this.db, new Date(now.getTime() - 60_000), PAGE)) {
      await this.remind(r.cart_id, r.customer_id, []);
      n++;
    }
    return n > 0 && carts.length >= PAGE * 5 ? n : 0;
  }

  private async remind(cartId: string, customerId: string, lines: { sku: string; quantity: number }[]): Promise<void> {
    const contact = await this.deps.customers.contact(customerId).catch(() => null);
    // A reminder is marketing: it counts toward, and is held back by, the per-person cap.
    const rows = await this.deps.customers.memberIds(customerId).catch(() => [customerId]);
    const since = capWindowStart(this.clock.now(), DEFAULT_CAP);
    const capped = (await this.deps.messages.marketingSentSince(rows, since)) >= DEFAULT_CAP.max;
    const out = await this.deps.messages.send({
      eventId: `cart-reminder:${cartId}`,
      template: 'cart_reminder',
      customerId,
      email: contact?.email ?? null,
      skipReason: capped ? 'frequency cap' : undefined,
      data: {
        locale: contact?.locale,
        lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, total: 0 })),
        unsubscribe_url: this.campaigns.unsubscribeUrl(customerId),
      },
    });
    await store.settleReminder(
      this.db,
      cartId,
      out.status === 'skipped' ? 'skipped' : 'sent',
      out.status === 'skipped' ? (out.reason ?? null) : null,
      this.clock.now(),
    );
  }
}
