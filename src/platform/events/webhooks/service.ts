import { randomBytes } from 'node:crypto';
import type { Db, Tx } from '../../db/schema.js';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import { idFloor, newId, ID_PREFIX } from '../../ids.js';
import { AppError, problems } from '../../http/problems.js';
import type { Principal } from '../../http/auth-model.js';
import { authorizeResource, listScope } from '../../auth/policy.js';
import { checkTarget, OutboundRefused, postPinned, type OutboundPolicy } from '../../http/outbound.js';
import { pageOf, decodeCursor } from '../../http/pagination.js';
import type { PublishedEvent } from '../outbox.js';
import type { SinkContext } from '../dispatcher.js';
import { retentionCutoff, RETENTION_CHUNK, type Chunk } from '../retention.js';
import * as store from './store.js';
import { channelOf, isSuccess, matchesEventType, nextDelayMs, signPayload } from './rules.js';

export interface WebhookView {
  id: string;
  /** The channel whose events it receives; null for a global webhook (every event, admin only). */
  channel_id: string | null;
  url: string;
  event_types: string[];
  active: boolean;
  description: string | null;
  created_at: string;
}

const view = (r: store.WebhookRow): WebhookView => ({
  id: r.id,
  channel_id: r.channel_id,
  url: r.url,
  event_types: r.event_types,
  active: r.active,
  description: r.description,
  created_at: r.created_at.toISOString(),
});

const CLAIM_BATCH = 20;
const LEASE_MS = 30_000;
const TIMEOUT_MS = 10_000;

/**
 * Webhooks: the outbox dispatcher hands each batch of events to `sink`, which records one delivery
 * per matching subscription in the same transaction (so none is lost); `deliverDue` (a job) sends
 * them after commit, signed, and retries with back-off. The delivery log is kept per webhook.
 *
 * A webhook belongs to a channel (it receives that channel's events only, and that channel's secret
 * keys manage it) or is global (every event; staff with webhooks:manage, i.e. admins). Who may touch
 * which webhook is decided by the one policy (platform/auth/policy.ts), called from `authorize` here.
 * Its URL must resolve to public addresses, at registration and at every delivery (http/outbound.ts).
 */
export class WebhookService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly outbound: OutboundPolicy = { allowPrivate: false },
  ) {}

  private async checkUrl(url: string): Promise<void> {
    try {
      await checkTarget(url, this.outbound);
    } catch (err) {
      if (err instanceof OutboundRefused) throw problems.field(err.field, err.message);
      throw err;
    }
  }

  /** Loads a webhook the principal may act on (the policy's 404 for another channel's). */
  private async authorized(id: string, principal: Principal | undefined, action: 'read' | 'write') {
    const r = await store.findWebhook(this.db, id);
    if (!r) throw problems.notFound('webhook', id);
    if (principal) authorizeResource(principal, action, { kind: 'webhook', id, channelId: r.channel_id });
    return r;
  }

  async create(
    input: {
      url: string;
      event_types: string[];
      description?: string | undefined;
      secret?: string | undefined;
      channel_id?: string | null | undefined;
    },
    principal?: Principal,
  ): Promise<WebhookView & { secret: string }> {
    // A key's webhook is its channel's unless it says otherwise; staff name a channel or make it global.
    const channelId =
      input.channel_id !== undefined ? input.channel_id : principal?.kind === 'api_key' ? principal.channelId : null;
    if (principal) authorizeResource(principal, 'write', { kind: 'webhook', channelId });
    await this.checkUrl(input.url);
    const id = newId(ID_PREFIX.webhook);
    const secret = input.secret ?? `whsec_${randomBytes(24).toString('base64url')}`;
    await store.insertWebhook(this.db, {
      id,
      channel_id: channelId,
      url: input.url,
      secret,
      event_types: [...new Set(input.event_types)],
      description: input.description ?? null,
      created_at: this.clock.now(),
    });
    return { ...view((await store.findWebhook(this.db, id))!), secret };
  }

  async list(principal?: Principal): Promise<WebhookView[]> {
    let channelId: string | undefined;
    if (principal?.kind === 'api_key') {
      // A key lists its own channel's webhooks (the policy's list probe has no channel to decide on).
      authorizeResource(principal, 'read', { kind: 'webhook', channelId: principal.channelId });
      channelId = principal.channelId;
    } else if (principal) channelId = listScope(principal, 'webhook').channelId;
    return (await store.listWebhooks(this.db, channelId)).map(view);
  }

  async get(id: string, principal?: Principal): Promise<WebhookView> {
    return view(await this.authorized(id, principal, 'read'));
  }

  async update(
    id: string,
    patch: { url?: string; event_types?: string[]; active?: boolean; description?: string },
    principal?: Principal,
  ): Promise<WebhookView> {
    await this.authorized(id, principal, 'write');
    if (patch.url) await this.checkUrl(patch.url);
    const r = await store.updateWebhook(this.db, id, {
      ...patch,
      ...(patch.event_types ? { event_types: [...new Set(patch.event_types)] } : {}),
    });
    if (!r) throw problems.notFound('webhook', id);
    return view(r);
  }

  async remove(id: string, principal?: Principal): Promise<void> {
    await this.authorized(id, principal, 'write');
    if (!(await store.deleteWebhook(this.db, id))) throw problems.notFound('webhook', id);
  }

  async deliveries(webhookId: string, limit: number, cursor?: string, principal?: Principal) {
    await this.authorized(webhookId, principal, 'read');
    const rows = await store.listDeliveries(this.db, webhookId, limit, decodeCursor<string>(cursor));
    const page = pageOf(rows, limit, (r) => r.id);
    return {
      next_cursor: page.next_cursor,
      items: page.items.map((d) => ({
        id: d.id,
        event_id: d.event_id,
        event_type: d.event_type,
        status: d.status,
        attempts: d.attempts,
        next_attempt_at: d.status === 'pending' ? d.next_attempt_at.toISOString() : null,
        last_status_code: d.last_status_code,
        last_error: d.last_error,
        delivered_at: d.delivered_at?.toISOString() ?? null,
        created_at: d.created_at.toISOString(),
      })),
    };
  }

  /**
   * The delivery log's retention: up to a chunk of settled deliveries older than `keepDays`, from the
   * id after `after` on (the `webhooks.retention` job runs it through retention.ts `chunkedPurge`).
   * 0 days keeps everything.
   */
  purgeSettled(keepDays: number, after = ''): Promise<Chunk> {
    const before = retentionCutoff(this.clock.now(), keepDays);
    if (!before) return Promise.resolve({ removed: 0, last: null });
    const floor = idFloor(ID_PREFIX.delivery, before.getTime());
    return store.purgeSettled(this.db, before, floor, RETENTION_CHUNK, after);
  }

  async redeliver(webhookId: string, deliveryId: string, principal?: Principal): Promise<void> {
    await this.authorized(webhookId, principal, 'write');
    if (!(await store.redeliver(this.db, webhookId, deliveryId, this.clock.now()))) {
      throw new AppError('not_found', `delivery ${deliveryId} of webhook ${webhookId} does not exist`);
    }
  }

  /**
   * The active webhooks as of the batch's claim, cached per process by their version (migration 9450).
   * Read once per batch they were one statement per batch, most of them returning the same rows; now
   * the version comes with the claim (no statement of its own) and the rows are read only when it moved.
   *
   * Why a version row and not a TTL with the LISTEN/NOTIFY nudge (platform/db/pg-nudge.ts): a notice
   * arrives after the commit, asynchronously, so an event committed right after a new subscription
   * could be fanned out by a process that has not heard yet, and a lost notice (a reconnect) would
   * leave only the TTL as the bound. The version is read in the very snapshot that sees the batch's
   * events: an event committed after a subscription change's commit is claimed only by a snapshot that
   * sees the change, so it is always matched against the subscriptions including it — no bound to
   * accept, for the price of a primary-key read inside a statement the dispatcher sends anyway.
   *
   * The cached rows come from the dispatcher's transaction, which writes no webhook: they are committed
   * rows, read in one statement with their version, so another transaction may use them. No load is
   * shared while pending: a batch that finds the cache at another version reads for itself.
   */
  private subscriptions: { version: string; hooks: store.WebhookRow[] } | null = null;

  private async activeAt(trx: Tx, version: string | undefined): Promise<store.WebhookRow[]> {
    const cached = this.subscriptions;
    if (cached && version !== undefined && cached.version === version) return cached.hooks;
    const loaded = await store.activeWebhooksAtVersion(trx);
    this.subscriptions = loaded;
    return loaded.hooks;
  }

  /**
   * The dispatcher's sink: one delivery row per (matching webhook, event), in the batch's transaction.
   * `seen.webhooksVersion` is the subscriptions' version read with the batch's events (the claim);
   * without it the subscriptions are read.
   */
  sink = async (events: PublishedEvent[], trx: Tx, seen?: SinkContext): Promise<void> => {
    const hooks = await this.activeAt(trx, seen?.webhooksVersion);
    if (hooks.length === 0) return;
    const now = this.clock.now();
    const rows = [];
    for (const event of events) {
      for (const hook of hooks) {
        if (!matchesEventType(hook.event_types, event.type)) continue;
        // A channel's webhook hears only its own channel's events; events of no channel go to global ones.
        if (hook.channel_id !== null && channelOf(event) !== hook.channel_id) continue;
        rows.push({
          id: newId(ID_PREFIX.delivery, now.getTime()),
          webhook_id: hook.id,
          event_id: event.id,
          event_type: event.type,
          payload: JSON.stringify(event),
          next_attempt_at: now,
          last_status_code: null,
          last_error: null,
          delivered_at: null,
        });
      }
    }
    await store.insertDeliveries(trx, rows);
  };

  /** The delivery job: sends what is due; returns how many it attempted. */
  async deliverDue(): Promise<number> {
    const now = this.clock.now();
    const due = await store.claimDue(this.db, now, new Date(now.getTime() + LEASE_MS), CLAIM_BATCH);
    await Promise.all(due.map((d) => this.attempt(d)));
    return due.length;
  }

  private async attempt(d: store.DeliveryRow & { url: string; secret: string }): Promise<void> {
    const body = typeof d.payload === 'string' ? d.payload : JSON.stringify(d.payload);
    const sentAt = this.clock.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      // Checked again at every delivery, and the connection goes to the address checked (no rebinding).
      const target = await checkTarget(d.url, this.outbound);
      statusCode = await postPinned(target, {
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Omnia-Webhooks/1',
          'omnia-event-id': d.event_id,
          'omnia-event-type': d.event_type,
          'omnia-delivery-id': d.id,
          'omnia-signature': signPayload(d.secret, body, Math.floor(sentAt.getTime() / 1000)),
        },
        body,
        timeoutMs: TIMEOUT_MS,
      });
      if (!isSuccess(statusCode)) error = `HTTP ${statusCode}`;
    } catch (err) {
      error = String((err as Error)?.message ?? err).slice(0, 500);
    }
    const attempts = d.attempts + 1;
    const now = this.clock.now();
    if (!error) {
      await store.recordAttempt(this.db, d.id, {
        status: 'delivered',
        statusCode,
        error: null,
        nextAttemptAt: now,
        deliveredAt: now,
      });
      return;
    }
    const delay = nextDelayMs(attempts);
    this.log.warn({ delivery: d.id, webhook: d.webhook_id, attempts, error }, 'webhook delivery failed');
    await store.recordAttempt(this.db, d.id, {
      status: delay === undefined ? 'failed' : 'pending',
      statusCode,
      error,
      nextAttemptAt: new Date(now.getTime() + (delay ?? 0)),
      deliveredAt: null,
    });
  }
}
