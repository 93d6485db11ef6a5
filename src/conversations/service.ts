/**
 * Webchat conversations (issue 19 point 3): a shopper opens one from the web or the app, both sides
 * write, an agent takes it from the queue, hands over a cart, closes it. Every change is a row (the
 * transcript belongs to the person's 360) and bumps the conversation's version, which live readers of
 * any process follow (live.ts). Authorization is the policy's (kind `conversation`).
 */
import { randomBytes } from 'node:crypto';
import type { Db, Executor, Tx } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { inTx } from '../platform/db/tx.js';
import { emit } from '../platform/events/outbox.js';
import { newId } from '../platform/ids.js';
import { AppError, problems } from '../platform/http/problems.js';
import type { Principal } from '../platform/http/auth-model.js';
import { actingChannel, authorizeResource, listScope, type Action } from '../platform/auth/policy.js';
import { decodeCursor, pageOf } from '../platform/http/pagination.js';
import * as store from './store.js';
import * as rules from './rules.js';
import { LiveHub } from './live.js';
import type { ConversationsDeps } from './ports.js';
import type { Conversation, ConversationMessage, HandedCart, MessageAuthor, QueueView } from './types.js';
import {
  authorOf,
  cartActorOf,
  conversationResource,
  hashToken,
  toConversation,
  toMessage,
  tokenOpens,
} from './view.js';

export interface OpenInput {
  channel?: string | undefined;
  name?: string | undefined;
  email?: string | undefined;
  message?: string | undefined;
}
export interface Transcript {
  conversation: Conversation;
  messages: ConversationMessage[];
}

const PAGE = 500;

export class ConversationsService {
  readonly live: LiveHub;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deps: ConversationsDeps,
    opts: { pollMs?: number } = {},
  ) {
    this.live = new LiveHub((ids) => store.versions(this.db, ids), opts.pollMs ?? 1000);
  }

  /** Opens a conversation; the token (shown once) is what lets an anonymous shopper back in after a reload. */
  async open(p: Principal | undefined, input: OpenInput): Promise<Transcript & { token: string }> {
    const channelId = actingChannel(p, input.channel);
    authorizeResource(p, 'write', { kind: 'conversation', channelId, customerId: null });
    const first = input.message === undefined ? undefined : this.body(input.message, 'message');
    const email = input.email?.trim().toLowerCase() || null;
    // A logged-in shopper is known; a typed e-mail only points at a person (unverified) for the agent.
    const verified = p?.kind === 'customer';
    const customerId = verified
      ? ((await this.deps.customers.resolve(p.customerId)) ?? p.customerId)
      : email
        ? ((await this.deps.customers.personByEmail(email)) ?? null)
        : null;
    const token = randomBytes(24).toString('base64url');
    const now = this.clock.now();
    const id = newId('cnv', now.getTime());
    const row: store.ConversationRow = {
      id,
      channel_id: channelId,
      customer_id: customerId,
      customer_verified: verified,
      token_hash: hashToken(token),
      shopper_name: input.name?.trim() || null,
      shopper_email: email,
      status: 'waiting',
      assigned_to: null,
      assigned_at: null,
      closed_at: null,
      version: 0,
      last_seq: 0,
      created_at: now,
      updated_at: now,
    };
    await inTx(this.db, undefined, async (trx) => {
      await store.insert(trx, row);
      if (first) await store.append(trx, row, this.message('shopper', null, 'text', first, null, now));
      await emit(
        trx,
        {
          type: 'conversation.opened',
          aggregateId: id,
          payload: { conversation_id: id, channel: channelId, customer_id: customerId },
        },
        now,
      );
    });
    this.deps.nudge?.();
    return { ...(await this.read(p, id, token)), token };
  }

  /** The conversation and its messages after `after` (the reader's last seq), authorized for the caller. */
  async read(p: Principal | undefined, id: string, token: string | undefined, after = 0): Promise<Transcript> {
    await this.authorize(p, id, token, 'read');
    return this.changes(id, after);
  }

  /** Checks access once (a live stream does it when it opens); throws the policy's problem. */
  async authorize(
    p: Principal | undefined,
    id: string,
    token: string | undefined,
    action: Action,
    db: Executor = this.db,
  ) {
    const row = await store.get(db, id, db !== this.db);
    if (!row) throw problems.notFound('conversation', id);
    const resolved =
      p?.kind === 'customer' && row.customer_id
        ? await this.deps.customers.resolve(row.customer_id, { trx: db })
        : undefined;
    const subject =
      p?.kind === 'customer'
        ? { ...p, customerId: (await this.deps.customers.resolve(p.customerId, { trx: db })) ?? p.customerId }
        : p;
    authorizeResource(subject, action, conversationResource(row, tokenOpens(row, token), resolved));
    return row;
  }

  private async state(id: string): Promise<Conversation> {
    const row = await store.get(this.db, id);
    if (!row) throw problems.notFound('conversation', id);
    return toConversation(row);
  }

  /** What changed after `after`, without authorization: for a stream already authorized. */
  async changes(id: string, after: number): Promise<Transcript> {
    const row = await store.get(this.db, id);
    if (!row) throw problems.notFound('conversation', id);
    const messages = await store.messagesAfter(this.db, id, after, PAGE);
    return { conversation: toConversation(row), messages: messages.map(toMessage) };
  }

  async post(
    p: Principal | undefined,
    id: string,
    token: string | undefined,
    text: string,
  ): Promise<ConversationMessage> {
    const body = this.body(text, 'body');
    const author = authorOf(p);
    const agent = author === 'agent' ? p!.id : null;
    return this.change(
      p,
      id,
      token,
      (s) => rules.post(s, author, agent),
      async (trx, row, now) =>
        toMessage(await store.append(trx, row, this.message(author, agent, 'text', body, null, now))),
    );
  }

  /** An agent takes a waiting conversation from the queue. */
  async take(p: Principal | undefined, id: string): Promise<Conversation> {
    const agent = this.agentOf(p);
    await this.change(
      p,
      id,
      undefined,
      (s) => rules.take(s, agent),
      async () => undefined,
    );
    return await this.state(id);
  }

  async close(p: Principal | undefined, id: string, token: string | undefined): Promise<Conversation> {
    const by = authorOf(p) === 'agent' ? p!.id : 'shopper';
    await this.change(
      p,
      id,
      token,
      (s) => rules.close(s),
      async (trx, row, now, step) => {
        if (!step.changed) return;
        await store.update(trx, id, { closed_at: now });
        await store.append(trx, row, this.message('system', null, 'event', 'closed', null, now));
        await emit(trx, { type: 'conversation.closed', aggregateId: id, payload: { ...this.base(row), by } }, now);
      },
    );
    return await this.state(id);
  }

  /**
   * Hands the agent's cart to the shopper: the carts module makes a hand-off code (and checks the agent
   * may hand that cart over), then the code becomes a message the shopper's page claims. The code is
   * made first, outside this transaction: an unused code expires by itself.
   */
  async handOver(p: Principal | undefined, id: string, cartId: string): Promise<ConversationMessage> {
    const agent = this.agentOf(p);
    await this.authorize(p, id, undefined, 'write');
    const h = await this.deps.carts.handoff(cartActorOf(p!), cartId);
    const cart: HandedCart = { cart_id: h.cart_id, code: h.code, expires_at: h.expires_at };
    return this.change(
      p,
      id,
      undefined,
      (s) => rules.handOver(s, agent),
      async (trx, row, now) => {
        const m = await store.append(trx, row, this.message('agent', agent, 'cart', `cart:${h.cart_id}`, cart, now));
        await emit(
          trx,
          {
            type: 'conversation.cart_handed_over',
            aggregateId: id,
            payload: { ...this.base(row), agent, cart_id: h.cart_id },
          },
          now,
        );
        return toMessage(m);
      },
    );
  }

  /** An agent who asked and checked links the person: the transcript joins their 360. */
  async link(p: Principal | undefined, id: string, customerId: string): Promise<Conversation> {
    this.agentOf(p);
    const root = await this.deps.customers.resolve(customerId);
    if (!root) throw problems.notFound('customer', customerId);
    authorizeResource(p, 'write', { kind: 'customer', id: root, customerId: root });
    await this.change(
      p,
      id,
      undefined,
      (s) => ({ ok: true as const, status: s.status, assignedTo: s.assignedTo, changed: true }),
      async (trx) => store.update(trx, id, { customer_id: root, customer_verified: true }),
    );
    return await this.state(id);
  }

  /** The agents' queue (waiting, mine, closed), or a person's transcripts (their 360). */
  async list(
    p: Principal | undefined,
    q: {
      view?: QueueView | undefined;
      customer_id?: string | undefined;
      limit?: number | undefined;
      cursor?: string | undefined;
    },
  ): Promise<{ items: Conversation[]; next_cursor: string | null }> {
    const scope = listScope(p, 'conversation');
    const limit = q.limit ?? 50;
    let customerIds: string[] | undefined;
    if (q.customer_id) {
      const root = await this.deps.customers.resolve(q.customer_id);
      authorizeResource(p, 'read', { kind: 'customer', id: q.customer_id, customerId: root ?? q.customer_id });
      customerIds = root
        ? [...new Set([q.customer_id, ...(await this.deps.customers.personRows(root))])]
        : [q.customer_id];
    }
    if (scope.customerId) customerIds = [scope.customerId];
    const f = q.view ? rules.queueFilter(q.view, p!.id) : { order: 'desc' as const };
    const rows = await store.list(this.db, {
      ...f,
      ...(scope.channelId ? { channelId: scope.channelId } : {}),
      ...(customerIds ? { customerIds } : {}),
      verifiedOnly: !!scope.customerId,
      after: decodeCursor<string>(q.cursor),
      limit: limit + 1,
    });
    const page = pageOf(rows, limit, (r) => r.id);
    return { items: page.items.map(toConversation), next_cursor: page.next_cursor };
  }

  /** GDPR access: every conversation of these profile rows with its messages. */
  async exportOf(customerIds: string[]): Promise<Array<Transcript>> {
    const rows = await store.ofCustomers(this.db, customerIds);
    const messages = await store.messagesOf(
      this.db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({
      conversation: toConversation(r),
      messages: messages.filter((m) => m.conversation_id === r.id).map(toMessage),
    }));
  }

  /** Erasure (on `customer.erased`, in its delivery transaction): the transcripts go with the person. */
  async erase(customerIds: string[], trx: Executor): Promise<number> {
    return store.eraseCustomers(trx, customerIds);
  }

  stop(): void {
    this.live.stop();
  }

  /** Locks the row, applies the rule's step, runs `act`, bumps the version; wakes live readers after commit. */
  private async change<T>(
    p: Principal | undefined,
    id: string,
    token: string | undefined,
    step: (s: rules.State) => rules.Step,
    act: (trx: Tx, row: store.ConversationRow, now: Date, step: Extract<rules.Step, { ok: true }>) => Promise<T>,
  ): Promise<T> {
    const now = this.clock.now();
    const out = await inTx(this.db, undefined, async (trx) => {
      const row = await this.authorize(p, id, token, 'write', trx);
      const s = step({ status: row.status as rules.State['status'], assignedTo: row.assigned_to });
      if (!s.ok) throw new AppError(s.problem, s.detail, { status_now: row.status, assigned_to: row.assigned_to });
      if (s.status !== row.status || s.assignedTo !== row.assigned_to) {
        const assigned = s.assignedTo !== row.assigned_to;
        await store.update(trx, id, {
          status: s.status,
          assigned_to: s.assignedTo,
          ...(assigned ? { assigned_at: now } : {}),
          updated_at: now,
        });
        if (assigned && s.assignedTo)
          await emit(
            trx,
            {
              type: 'conversation.assigned',
              aggregateId: id,
              payload: { ...this.base(row), agent: s.assignedTo },
            },
            now,
          );
      }
      return act(trx, row, now, s);
    });
    this.live.touched(id);
    this.deps.nudge?.();
    return out;
  }

  private base(row: store.ConversationRow) {
    return { conversation_id: row.id, channel: row.channel_id, customer_id: row.customer_id };
  }

  private agentOf(p: Principal | undefined): string {
    if (authorOf(p) !== 'agent') throw problems.forbidden('only the shop’s side (staff, secret keys) does this');
    return p!.id;
  }

  private body(text: string, field: string): string {
    const b = rules.messageBody(text);
    if (!b.ok) throw problems.field(field, b.message);
    return b.body;
  }

  private message(
    author: MessageAuthor,
    staffId: string | null,
    kind: 'text' | 'cart' | 'event',
    body: string,
    cart: HandedCart | null,
    at: Date,
  ): Omit<store.MessageRow, 'conversation_id' | 'seq'> {
    return { author, staff_id: staffId, kind, body, cart, created_at: at };
  }
}
