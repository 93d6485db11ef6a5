/**
 * Reviews from every channel (issue 19 point 1). A customer token writes a review of a product; the
 * verified-purchase badge is read from the orders of every profile row of the person (a till sale
 * found by the identity graph counts as much as a web order). A product never bought is accepted
 * without the badge: the shopper who got it as a present, or bought it as a guest, still has a voice,
 * and the badge tells readers which reviews are proven. Every review waits for moderation.
 */
import type { Db, Executor, Tx } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { inTx } from '../platform/db/tx.js';
import { newId } from '../platform/ids.js';
import { emit } from '../platform/events/outbox.js';
import { AppError, isUniqueViolation, problems } from '../platform/http/problems.js';
import { authorizeResource, type Subject } from '../platform/auth/policy.js';
import { decodeCursor, pageOf } from '../platform/http/pagination.js';
import * as store from './store.js';
import { authorName, customerSizeProfile, provingOrder, summarize } from './rules.js';
import type { ReviewsDeps } from './ports.js';
import type { CustomerSizeProfile, PublicReview, RatingSummary, Review, ReviewStatus, SizeFeedback } from './types.js';

export interface ReviewInput {
  product_id: string;
  sku?: string | undefined;
  rating: number;
  title?: string | undefined;
  text: string;
  size_feedback?: SizeFeedback | undefined;
}

const publicView = (r: store.ReviewRow): PublicReview => ({
  id: r.id,
  product_id: r.product_id,
  sku: r.sku,
  author_name: r.author_name,
  rating: Number(r.rating),
  title: r.title,
  text: r.body,
  size_feedback: r.size_feedback as SizeFeedback | null,
  verified_purchase: r.verified,
  created_at: r.created_at.toISOString(),
});

const fullView = (r: store.ReviewRow): Review => ({
  ...publicView(r),
  customer_id: r.customer_id,
  channel_id: r.channel_id,
  verified_order_id: r.verified_order_id,
  verified_channel_type: r.verified_channel_type,
  status: r.status as ReviewStatus,
  reject_reason: r.reject_reason,
  moderated_by: r.moderated_by,
  moderated_at: r.moderated_at?.toISOString() ?? null,
  updated_at: r.updated_at.toISOString(),
});

export class ReviewsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deps: ReviewsDeps,
  ) {}

  /** A customer token's review: its own person only; pending until a moderator decides. */
  async submit(subject: Subject | undefined, input: ReviewInput): Promise<Review> {
    // The policy lets only the author's own token write (the resolved person, after any merge).
    const person = subject?.kind === 'customer' ? await this.deps.customers.resolve(subject.customerId) : undefined;
    const author = subject?.kind === 'customer' && person ? { ...subject, customerId: person } : subject;
    authorizeResource(author, 'write', { kind: 'review', customerId: person ?? null });
    if (subject?.kind !== 'customer' || !person)
      throw problems.notFound('customer', subject?.kind === 'customer' ? subject.customerId : 'unknown');
    const product = await this.deps.catalog.product(input.product_id);
    if (!product) throw problems.field('product_id', `product ${input.product_id} does not exist`);
    if (input.sku && !product.variants.some((v) => v.sku === input.sku))
      throw problems.field('sku', `${input.sku} is not a variant of product ${product.id}`);
    const text = input.text.trim();
    if (!text) throw problems.field('text', 'must not be blank');
    const members = await this.deps.customers.memberIds(person);
    // Read before the transaction (orders are another module's, read through its service on the pool).
    const proof = provingOrder(await this.deps.orders.ordersOf(members), product.id, input.sku);
    const names = await this.deps.customers.names(person);
    const at = this.clock.now();
    const row: store.ReviewRow = {
      id: newId('rev', at.getTime()),
      product_id: product.id,
      sku: input.sku ?? proof?.sku ?? null,
      customer_id: person,
      author_name: authorName(names.first_name, names.last_name),
      channel_id: subject.channelId,
      rating: input.rating,
      title: input.title?.trim() || null,
      body: text,
      size_feedback: input.size_feedback ?? null,
      verified: proof !== undefined,
      verified_order_id: proof?.order_id ?? null,
      verified_channel_type: proof?.channel_type ?? null,
      status: 'pending',
      reject_reason: null,
      moderated_by: null,
      moderated_at: null,
      erased_at: null,
      created_at: at,
      updated_at: at,
    };
    try {
      await inTx(this.db, undefined, async (trx) => {
        // One review per person and product, whichever of their rows wrote the first.
        if (await store.byPersonAndProduct(trx, members, product.id))
          throw problems.duplicate(`you have reviewed product ${product.id} already`, [
            { field: 'product_id', message: 'reviewed already' },
          ]);
        await store.insert(trx, row);
        await emit(
          trx,
          {
            type: 'review.submitted',
            aggregateId: row.id,
            payload: {
              review_id: row.id,
              product_id: row.product_id,
              customer_id: person,
              rating: row.rating,
              verified: row.verified,
            },
          },
          at,
        );
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw problems.duplicate(`you have reviewed product ${product.id} already`);
      throw err;
    }
    this.deps.nudge?.();
    return fullView(row);
  }

  /** A product's approved reviews, newest first, with the summary. Anyone may read them. */
  async forProduct(
    subject: Subject | undefined,
    idOrCode: string,
    q: { limit?: number | undefined; cursor?: string | undefined },
  ): Promise<{ items: PublicReview[]; next_cursor: string | null; summary: RatingSummary }> {
    authorizeResource(subject, 'read', { kind: 'review' });
    const product = await this.deps.catalog.product(idOrCode);
    if (!product) throw problems.notFound('product', idOrCode);
    const limit = q.limit ?? 20;
    const rows = await store.page(this.db, {
      productId: product.id,
      status: 'approved',
      after: decodeCursor<string>(q.cursor),
      limit: limit + 1,
      order: 'desc',
    });
    const page = pageOf(rows, limit, (r) => r.id);
    return {
      items: page.items.map(publicView),
      next_cursor: page.next_cursor,
      summary: await this.summary(product.id),
    };
  }

  /** The rating summary of a product's approved reviews (also in the product read). */
  async summary(productId: string, opts: { trx?: Executor } = {}): Promise<RatingSummary> {
    return summarize(await store.summaryGroups(opts.trx ?? this.db, productId));
  }

  /** The moderation queue (pending, oldest first) or the decided ones. */
  async queue(
    subject: Subject | undefined,
    q: { status?: ReviewStatus | undefined; limit?: number | undefined; cursor?: string | undefined },
  ): Promise<{ items: (Review & { product_name: string | null })[]; next_cursor: string | null }> {
    authorizeResource(subject, 'moderate', { kind: 'review' });
    const status = q.status ?? 'pending';
    const limit = q.limit ?? 50;
    const order = status === 'pending' ? 'asc' : 'desc';
    const rows = await store.page(this.db, { status, after: decodeCursor<string>(q.cursor), limit: limit + 1, order });
    const page = pageOf(rows, limit, (r) => r.id);
    const names = new Map<string, string | null>();
    for (const id of new Set(page.items.map((r) => r.product_id)))
      names.set(id, (await this.deps.catalog.product(id))?.name ?? null);
    return {
      items: page.items.map((r) => ({ ...fullView(r), product_name: names.get(r.product_id) ?? null })),
      next_cursor: page.next_cursor,
    };
  }

  approve(subject: Subject | undefined, id: string, by: string): Promise<Review> {
    return this.decide(subject, id, by, 'approved', null);
  }

  reject(subject: Subject | undefined, id: string, by: string, reason: string): Promise<Review> {
    const why = reason.trim();
    if (!why) throw problems.field('reason', 'say why the review is rejected');
    return this.decide(subject, id, by, 'rejected', why);
  }

  /** A decision on a pending review; deciding again is a 409 (two moderators, one review). */
  private async decide(
    subject: Subject | undefined,
    id: string,
    by: string,
    status: 'approved' | 'rejected',
    reason: string | null,
  ): Promise<Review> {
    authorizeResource(subject, 'moderate', { kind: 'review', id });
    const at = this.clock.now();
    const row = await inTx(this.db, undefined, async (trx: Tx) => {
      const r = await store.get(trx, id, true);
      if (!r) throw problems.notFound('review', id);
      if (r.status !== 'pending') throw new AppError('invalid_transition', `review ${id} is ${r.status} already`);
      await store.moderate(trx, id, { status, reject_reason: reason, moderated_by: by, at });
      await emit(
        trx,
        {
          type: 'review.moderated',
          aggregateId: id,
          payload: { review_id: id, product_id: r.product_id, status, reason },
        },
        at,
      );
      return (await store.get(trx, id))!;
    });
    // The product read carries the summary: its cached pages are stale now.
    this.deps.catalog.invalidate();
    this.deps.nudge?.();
    return fullView(row);
  }

  /** A person's own reviews (any status) and the size advice their answers give. */
  async ofCustomer(
    subject: Subject | undefined,
    customerId: string,
  ): Promise<{ customer_id: string; items: Review[]; size_profile: CustomerSizeProfile }> {
    const person = (await this.deps.customers.resolve(customerId)) ?? customerId;
    const me =
      subject?.kind === 'customer'
        ? { ...subject, customerId: (await this.deps.customers.resolve(subject.customerId)) ?? subject.customerId }
        : subject;
    authorizeResource(me, 'read', { kind: 'review', id: customerId, customerId: person });
    const members = await this.deps.customers.memberIds(person).catch(() => {
      throw problems.notFound('customer', customerId);
    });
    const rows = await store.ofCustomers(this.db, members);
    return { customer_id: person, items: rows.map(fullView), size_profile: await this.sizeProfile(rows) };
  }

  private async sizeProfile(rows: store.ReviewRow[]): Promise<CustomerSizeProfile> {
    const answered = rows.filter((r) => r.size_feedback);
    const sizes = await this.deps.catalog.sizes(answered.flatMap((r) => (r.sku ? [r.sku] : [])));
    return customerSizeProfile(
      answered.map((r) => ({
        size: r.sku ? (sizes.get(r.sku) ?? null) : null,
        feedback: r.size_feedback as SizeFeedback,
      })),
    );
  }

  /** What reviews hold about these profile rows (the customer export). */
  async exportOf(customerIds: string[]): Promise<{ reviews: Review[] }> {
    return { reviews: (await store.ofCustomers(this.db, customerIds)).map(fullView) };
  }

  /** `customer.erased`, in the dispatcher's transaction: text, title, name and the link to the person go. */
  async erase(customerIds: string[], trx: Executor): Promise<void> {
    const touched = await store.erase(trx, customerIds, this.clock.now());
    if (touched.length) this.deps.catalog.invalidate();
  }

  /**
   * After delivery or pickup (after commit, from the event's own delivery row): asks the buyer to
   * review what they received. A marketing message: the notifications outbox sends it only with
   * `marketing_email` consent, and its log key (`review-request:<order>`) makes it once per order,
   * however many parcels or pickups the order had.
   */
  async requestReview(orderId: string): Promise<{ status: string; reason?: string | undefined }> {
    const order = await this.deps.orders.order(orderId);
    if (!order?.customer_id) return { status: 'skipped', reason: 'a guest order has no one to ask' };
    const contact = await this.deps.customers.contact(order.customer_id);
    const skus = [...new Set(order.lines.filter((l) => l.quantity > 0).map((l) => l.sku))];
    const names = await this.deps.catalog.productNames(skus);
    const items = [...new Set(skus.map((s) => names.get(s) ?? s))].map((name) => ({ name, quantity: 1 }));
    return this.deps.messages.sendReviewRequest({
      key: `review-request:${order.id}`,
      customerId: order.customer_id,
      email: contact.email,
      orderId: order.id,
      data: { locale: contact.locale, first_name: contact.first_name ?? undefined, items },
    });
  }
}
