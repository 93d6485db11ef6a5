import type { Db, Tx } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { inTx } from '../platform/db/tx.js';
import { outboxInsert } from '../platform/events/outbox.js';
import { AppError, isUniqueViolation, problems } from '../platform/http/problems.js';
import type {
  CartsCatalogPort,
  CartsInventoryPort,
  CartsNetworkPort,
  CartsPromotionsPort,
  QuoteView,
} from './ports.js';
import { basisOf, inputsOf, quoteRequest } from './quote-reuse.js';
import * as store from './store.js';
import { claimHandoffCode, issueHandoff, type HandoffDeps } from './handoff.js';
import { mergeIntoAccount } from './merge.js';
import { authorizeResource } from '../platform/auth/policy.js';
import { actorOf, assertCartAccess, assertOpen, deliveryOf, toCart } from './view.js';
import type { Cart, CartActor, CartDeliveryChoice, Handoff } from './types.js';
import type { ReadRouter } from '../platform/db/replica.js';

export { actorOf };

export interface CartDeps {
  db: Db;
  clock: Clock;
  network: CartsNetworkPort;
  promotions?: CartsPromotionsPort | undefined;
  inventory?: CartsInventoryPort | undefined;
  catalog?: CartsCatalogPort | undefined;
}

/**
 * Carts for anonymous and logged-in shoppers in every channel. Each change runs in one transaction
 * that locks the cart row and counts the change (one statement), then applies it; after the commit
 * the whole cart is re-priced with the promotions engine and that quote stored for the version it
 * priced (what the shopper saw; checkout compares against it). Bad input — an unknown SKU, a
 * rejected coupon — throws before or inside the transaction, so nothing changes.
 */
export class CartsService {
  /** Lag-tolerant reads (DATABASE_READ_URL): told of each cart write, for read-your-writes. */
  private reads: ReadRouter | undefined;
  constructor(private readonly deps: CartDeps) {}

  useReads(reads: ReadRouter): void {
    this.reads = reads;
  }

  private get db(): Db {
    return this.deps.db;
  }

  /** The promotions engine's quote of these lines, or null while no promotions module is wired. */
  async quote(
    row: store.CartRow,
    lines: { id: string; sku: string; quantity: number }[],
    trx?: Tx,
    shipping?: { method: string; amount: number },
  ): Promise<QuoteView | null> {
    if (!this.deps.promotions || lines.length === 0) return null;
    return this.deps.promotions.quote(
      quoteRequest(row, lines, shipping),
      trx ? { trx, at: this.deps.clock.now() } : { at: this.deps.clock.now() },
    );
  }

  /** `given`: the row's lines when the caller read them (a re-price did), so not read again. */
  private async view(row: store.CartRow, ex = this.db as Db | Tx, given?: store.CartLineRow[]): Promise<Cart> {
    const lines = given ?? (await store.linesOf(ex, row.id));
    let availability = null;
    if (this.deps.inventory && lines.length && row.status === 'open') {
      availability = await this.deps.inventory
        .availability(
          { channel: row.channel_id, skus: [...new Set(lines.map((l) => l.sku))] },
          // The replica may answer, not before it has what this cart's writes saw (db/replica.ts).
          { lagOk: { key: row.id, writtenAt: row.updated_at } },
        )
        .catch(() => null);
    }
    return toCart(row, lines, availability);
  }

  async load(id: string, trx?: Tx, lock = false): Promise<store.CartRow> {
    const row = await store.getCart(trx ?? this.db, id, lock);
    if (!row) throw problems.notFound('cart', id);
    return row;
  }

  async create(
    actor: CartActor,
    input: { channel?: string | undefined; customer_id?: string | undefined; location_id?: string | undefined },
  ): Promise<{ cart: Cart; created: boolean }> {
    const channelRef = actor.kind === 'staff' ? input.channel : actor.channelId;
    if (!channelRef) throw problems.field('channel', 'staff must name the channel the cart is for');
    const channel = await this.deps.network.channel(channelRef);
    if (!channel) throw problems.field('channel', `channel ${channelRef} does not exist`);
    const customerId = actor.kind === 'customer' ? actor.customerId : (input.customer_id ?? null);
    const locRef = input.location_id ?? (actor.kind !== 'customer' ? actor.locationId : null);
    const location = locRef ? await this.deps.network.location(locRef) : undefined;
    if (locRef && !location) throw problems.field('location_id', `location ${locRef} does not exist`);
    // The cart it would make, judged before it exists: a publishable key may not open a customer's cart.
    authorizeResource(actor, 'write', {
      kind: 'cart',
      channelId: channel.id,
      locationId: location?.id ?? null,
      customerId,
    });
    if (customerId) {
      // One open cart per customer, on every device and channel.
      const existing = await store.openCartOf(this.db, customerId);
      if (existing) return { cart: await this.view(existing), created: false };
    }
    const now = this.deps.clock.now();
    const id = newId('crt', now.getTime());
    let row: store.CartRow;
    try {
      const created = outboxInsert(
        [
          {
            type: 'cart.created',
            aggregateId: id,
            payload: { cart_id: id, channel: channel.id, customer_id: customerId },
          },
        ],
        now,
      )!;
      row = await store.insertCartWithEvents(
        this.db,
        {
          id,
          channel_id: channel.id,
          customer_id: customerId,
          location_id: location?.id ?? null,
          status: 'open',
          currency: channel.currency,
          coupons: [],
          delivery: null,
          priced: null,
          version: 1,
          merged_into: null,
          order_id: null,
          created_at: now,
          updated_at: now,
        },
        created,
      );
    } catch (err) {
      if (customerId && isUniqueViolation(err)) {
        const existing = await store.openCartOf(this.db, customerId);
        if (existing) return { cart: await this.view(existing), created: false };
      }
      throw err;
    }
    return { cart: await this.view(row, this.db, []), created: true }; // a new cart has no lines
  }

  /** `availability: false`: the lines without their availability (a caller that reads its own). */
  async get(actor: CartActor, id: string, opts: { availability?: boolean } = {}): Promise<Cart> {
    const found = await store.getCartWithLines(this.db, id);
    if (!found) throw problems.notFound('cart', id);
    assertCartAccess(actor, found.row);
    return opts.availability === false
      ? toCart(found.row, found.lines, null)
      : this.view(found.row, this.db, found.lines);
  }

  /** The open cart of a customer, if any (the same on every device). */
  async openCartOf(customerId: string): Promise<Cart | null> {
    const row = await store.openCartOf(this.db, customerId);
    return row ? this.view(row) : null;
  }

  /**
   * Logged-in shoppers' open carts with items that have not changed since `idleSince`, oldest first
   * (the cart reminder job, issue 16): ids, owner, channel and lines only.
   */
  async idleCarts(
    idleSince: Date,
    limit: number,
  ): Promise<
    {
      id: string;
      customer_id: string;
      channel_id: string;
      updated_at: Date;
      lines: { sku: string; quantity: number }[];
    }[]
  > {
    return store.idleCustomerCarts(this.db, idleSince, limit);
  }

  /**
   * Locks the open cart and applies `change` in one transaction, then prices the new version with
   * the promotions engine and stores that quote. Pricing runs after the commit, never inside the
   * cart transaction: the engine reads its own caches through the pool, which on the embedded
   * database (one connection) would wait forever on our open transaction.
   */
  private async mutate(
    actor: CartActor,
    id: string,
    change: (trx: Tx, row: store.CartRow) => Promise<Partial<store.CartRow> | void>,
  ): Promise<Cart> {
    await inTx(this.db, undefined, async (trx) => {
      // Locked and counted as changed in one statement; a refusal below rolls the count back with the rest.
      const before = await store.touchCart(trx, id, this.deps.clock.now());
      if (!before) throw problems.notFound('cart', id);
      assertCartAccess(actor, before);
      assertOpen(before);
      const patch = (await change(trx, before)) ?? {};
      if (Object.keys(patch).length) await store.patchCart(trx, id, patch);
    });
    this.reads?.wrote(id); // read-your-writes: this cart's availability waits for the replica
    return this.repricedView(id);
  }

  /** The cart re-priced, as the shopper sees it: with the lines the re-price read. */
  private async repricedView(id: string): Promise<Cart> {
    const { row, lines } = await this.repriceWithLines(id);
    return this.view(row, this.db, lines);
  }

  /**
   * Prices the cart's current version and stores the quote (what the shopper is shown) with its basis:
   * what it was made from, so checkout can use it instead of pricing again (quote-reuse.ts). The
   * versions and the price windows come with the cart's read, so the basis costs no statement.
   * With the lines it priced, those of the version its quote was stored for (`setPriced` checks it).
   */
  private async repriceWithLines(id: string): Promise<{ row: store.CartRow; lines?: store.CartLineRow[] }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const at = this.deps.clock.now();
      const found = await store.getCartForPricing(this.db, id, at);
      if (!found) throw problems.notFound('cart', id);
      const { row, lines } = found;
      const { priced, basis } = await this.quoteWithBasis(row, lines, at, found);
      if (await store.setPriced(this.db, id, row.version, priced ? JSON.stringify(priced) : null, basis))
        return { row: { ...row, priced, priced_basis: basis }, lines };
    }
    return { row: await this.load(id) }; // changed five times while pricing: the latest change prices itself
  }

  /** The cart's own quote (no shipping) and its basis as JSON, or a null basis when it cannot be reused. */
  private async quoteWithBasis(
    row: store.CartRow,
    lines: store.CartLineRow[],
    at: Date,
    read: { pricingVersion: string; pricesValidUntil: Date | null },
  ): Promise<{ priced: QuoteView | null; basis: string | null }> {
    const p = this.deps.promotions;
    if (!p?.quoteWithBasis || lines.length === 0) return { priced: await this.quote(row, lines), basis: null };
    const { quote, basis } = await p.quoteWithBasis(quoteRequest(row, lines), { at });
    const b = basisOf(
      inputsOf(row, {
        db_version: read.pricingVersion,
        snapshot_version: basis.snapshot_version,
        country: basis.country,
        shipping: null,
      }),
      { prices: read.pricesValidUntil, promotionsMs: basis.valid_until_ms, pricedAt: at },
    );
    return { priced: quote, basis: b ? JSON.stringify(b) : null };
  }

  async addItem(actor: CartActor, id: string, item: { sku: string; quantity: number }): Promise<Cart> {
    if (this.deps.catalog) await this.deps.catalog.requireKnown([item.sku], { field: 'sku' });
    return this.mutate(actor, id, async (trx) => {
      try {
        await store.addToLine(trx, {
          id: newId('cln', this.deps.clock.now().getTime()),
          cart_id: id,
          sku: item.sku,
          quantity: item.quantity,
          added_at: this.deps.clock.now(),
        });
      } catch (err) {
        if ((err as { code?: string }).code === '22003')
          throw problems.field('quantity', 'the line would exceed 2147483647 units');
        throw err;
      }
    });
  }

  async setQuantity(actor: CartActor, id: string, lineId: string, quantity: number): Promise<Cart> {
    return this.mutate(actor, id, async (trx) => {
      if (!(await store.setLineQuantity(trx, id, lineId, quantity))) throw problems.notFound('cart line', lineId);
    });
  }

  async removeItem(actor: CartActor, id: string, lineId: string): Promise<Cart> {
    return this.mutate(actor, id, async (trx) => {
      if (!(await store.deleteLine(trx, id, lineId))) throw problems.notFound('cart line', lineId);
    });
  }

  async addCoupon(actor: CartActor, id: string, code: string): Promise<Cart> {
    // Try the coupon on the cart as it is; a rejected one is refused and nothing changes.
    const current = await this.load(id);
    assertCartAccess(actor, current);
    if (!current.coupons.includes(code)) {
      const q = await this.quote({ ...current, coupons: [...current.coupons, code] }, await store.linesOf(this.db, id));
      const result = q?.coupons.find((c) => c.code === code);
      if (q && result?.status !== 'applied') {
        throw new AppError('coupon_invalid', `coupon ${code} cannot be used: ${result?.reason ?? 'unknown coupon'}`, {
          coupon: code,
          reason: result?.reason ?? null,
        });
      }
    }
    return this.mutate(actor, id, async (_trx, row) =>
      row.coupons.includes(code) ? undefined : { coupons: [...row.coupons, code] },
    );
  }

  async removeCoupon(actor: CartActor, id: string, code: string): Promise<Cart> {
    return this.mutate(actor, id, async (_trx, row) => {
      if (!row.coupons.includes(code)) throw problems.notFound('coupon on this cart', code);
      return { coupons: row.coupons.filter((c) => c !== code) };
    });
  }

  /** The shopper's chosen delivery, so each line shows availability for it. */
  async setDelivery(actor: CartActor, id: string, choice: CartDeliveryChoice | null): Promise<Cart> {
    if (choice && (choice.method === 'click_collect' || choice.method === 'pickup_point')) {
      if (!choice.location_id) throw problems.field('delivery/location_id', `${choice.method} needs a location`);
      const loc = await this.deps.network.location(choice.location_id);
      if (!loc) throw problems.field('delivery/location_id', `location ${choice.location_id} does not exist`);
      if (!loc.capabilities.includes('pickup'))
        throw problems.field('delivery/location_id', `${loc.code} does not offer pickup`);
      choice = { ...choice, location_id: loc.id };
    }
    return this.mutate(actor, id, async () => ({ delivery: choice ? JSON.stringify(choice) : null }));
  }

  /**
   * At login: the anonymous cart joins the customer's account cart (same SKU adds up, coupons
   * union) and is marked merged; with no account cart, the anonymous cart simply becomes theirs.
   */
  async merge(actor: CartActor, anonymousCartId: string, customerId: string): Promise<Cart> {
    const row = await mergeIntoAccount(this.handoffDeps, actor, anonymousCartId, customerId);
    // Prices (and customer promotions) now apply to the customer: re-price after the commit.
    return this.repricedView(row.id);
  }

  /** A short code (and QR payload) that opens this cart on another device or at a till, once. */
  async handoff(actor: CartActor, id: string): Promise<Handoff> {
    return issueHandoff(this.handoffDeps, actor, id);
  }

  /**
   * Claims a hand-off code: the same cart (lines, coupons, history) now serves the claimer. A till
   * or contact-center key moves it to its channel (and the till's store); a logged-in customer
   * takes an anonymous cart over. The original device sees the change on its next read.
   */
  async claim(actor: CartActor, rawCode: string): Promise<Cart> {
    const claimed = await claimHandoffCode(this.handoffDeps, actor, rawCode);
    if (actor.kind === 'customer' && claimed.customer_id === null)
      return this.merge(actor, claimed.id, actor.customerId);
    if (actor.kind === 'customer') assertCartAccess(actor, claimed);
    // Re-price in the (possibly new) channel: prices and promotions may differ there.
    return this.repricedView(claimed.id);
  }

  /** What handoff.ts needs of this service. */
  private get handoffDeps(): HandoffDeps {
    return { db: this.db, clock: this.deps.clock, load: (id, trx, lock) => this.load(id, trx, lock) };
  }

  deliveryChoice(row: store.CartRow): CartDeliveryChoice | null {
    return deliveryOf(row);
  }
}
