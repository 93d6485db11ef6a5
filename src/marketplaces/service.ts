import type { Db, Tx } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import type { EventBus } from '../platform/events/bus.js';
import type { PublishedEvent } from '../platform/events/outbox.js';
import { decodeCursor, pageOf } from '../platform/http/pagination.js';
import { AppError, problems } from '../platform/http/problems.js';
import { Connections, type ConnectionInput, type ConnectionView } from './connections.js';
import { Feeds } from './feeds.js';
import { OrderImport, type StoredOrder } from './order-import.js';
import { Actions } from './actions.js';
import { ReturnsImport, type MarketplaceReturnsPort } from './returns.js';
import { SecretBox, SecretsKeyMissing, SecretsUnreadable } from './secrets.js';
import type { MarketplacesPorts } from './ports.js';
import type { OutboundPolicy } from '../platform/http/outbound.js';
import { guardedFetch } from './outbound.js';
import { providerInfo, type ProviderInfo } from './registry.js';
import { MarketplaceError, type ConnectorDeps, type OfferResult } from './types.js';
import * as store from './store.js';

export interface MarketplaceOrderView {
  id: string;
  connection_id: string;
  channel_id: string;
  external_id: string;
  status: store.MarketplaceOrderRow['status'];
  order_id: string | null;
  problem: { type: string; detail: string } | null;
  /** Staff's note when they resolved the exception by hand. */
  resolution: string | null;
  attempts: number;
  lines: {
    external_line_id: string;
    sku: string;
    quantity: number;
    unit_price: { amount: number; currency: string } | null;
  }[];
  /** What the marketplace said: its status word, the buyer's name, where it ships. */
  marketplace_status: string;
  buyer_name: string | null;
  ship_to: { city: string | null; postal_code: string | null; country: string | null } | null;
  placed_at: string;
  created_at: string;
  updated_at: string;
}

export interface OfferView {
  sku: string;
  status: store.OfferRow['status'];
  external_id: string | null;
  message: string | null;
  published_quantity: number | null;
  published_price: number | null;
  published_at: string | null;
  pending_update: boolean;
}

export interface MarketplacesDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  bus: EventBus;
  ports: MarketplacesPorts;
  /** OMNIA_SECRETS_KEY; without it no connection can be created or run. */
  secretsKey: string | undefined;
  connectorDeps?: ConnectorDeps | undefined;
  /** The SSRF rule for connection endpoints (webhooks' rule; OMNIA_ALLOW_PRIVATE_WEBHOOKS lifts it). */
  outbound?: OutboundPolicy | undefined;
  /** The returns module, for returns reported by marketplaces (none: returns are not imported). */
  returns?: MarketplaceReturnsPort | undefined;
}

/** A connection with how its jobs are doing: the last feed, exceptions waiting, updates waiting. */
export interface ConnectionStatusView extends ConnectionView {
  last_feed: {
    id: string;
    state: store.FeedRow['state'];
    items: number;
    error: string | null;
    created_at: string;
    finished_at: string | null;
  } | null;
  open_exceptions: number;
  pending_updates: number;
}

/**
 * The marketplaces module's operations (its public API): connections, offers and feeds, order import
 * with its exceptions, and the calls owed to marketplaces. The parts live in their own files; this
 * class composes them and shapes what the routes show.
 */
export class MarketplacesService {
  readonly connections: Connections;
  readonly feeds: Feeds;
  readonly imports: OrderImport;
  readonly actions: Actions;
  readonly returnsImport: ReturnsImport;

  constructor(private readonly deps: MarketplacesDeps) {
    const box = SecretBox.fromEnv(deps.secretsKey);
    const outbound = deps.outbound ?? { allowPrivate: false };
    // Every connector call is checked (and pinned) like a webhook delivery: see outbound.ts.
    const connectorDeps = { ...deps.connectorDeps, fetch: guardedFetch(outbound, deps.connectorDeps?.fetch) };
    this.connections = new Connections(deps.db, deps.clock, deps.ports.network, box, connectorDeps, outbound);
    this.feeds = new Feeds(deps.db, deps.clock, deps.log, deps.ports, this.connections);
    this.imports = new OrderImport(deps.db, deps.clock, deps.log, deps.bus, deps.ports, this.connections);
    this.actions = new Actions(deps.db, deps.clock, deps.log, deps.bus, this.connections, this.imports);
    this.returnsImport = new ReturnsImport(deps.db, deps.clock, deps.log, deps.bus, this.connections, deps.returns);
  }

  /** Whether connectors can run here (the key is set); jobs are wired only then. */
  get enabled(): boolean {
    return Boolean(this.deps.secretsKey);
  }

  /** The channel id a connection request names (for the policy, before anything is written). */
  async channelOf(idOrCode: string): Promise<string> {
    const c = await this.deps.ports.network.channel(idOrCode);
    if (!c) throw problems.field('channel', `channel ${idOrCode} does not exist`);
    return c.id;
  }

  async createConnection(input: ConnectionInput): Promise<ConnectionStatusView> {
    return (await this.withStatus([await this.connections.create(input)]))[0]!;
  }
  async updateConnection(id: string, patch: Parameters<Connections['update']>[1]): Promise<ConnectionStatusView> {
    return (await this.withStatus([await this.connections.update(id, patch)]))[0]!;
  }
  async getConnection(id: string): Promise<ConnectionStatusView> {
    return (await this.withStatus([await this.connections.get(id)]))[0]!;
  }
  async listConnections(): Promise<ConnectionStatusView[]> {
    return this.withStatus(await this.connections.list());
  }

  /** The providers a connection may name, with the credentials and settings each reads. */
  providers(): ProviderInfo[] {
    return providerInfo();
  }

  private async withStatus(views: ConnectionView[]): Promise<ConnectionStatusView[]> {
    const ids = views.map((v) => v.id);
    const [feeds, counts] = await Promise.all([
      store.lastFeeds(this.deps.db, ids),
      store.connectionCounts(this.deps.db, ids),
    ]);
    return views.map((v) => {
      const f = feeds.get(v.id);
      const c = counts.get(v.id) ?? { exceptions: 0, pending: 0 };
      return {
        ...v,
        last_feed: f
          ? {
              id: f.id,
              state: f.state,
              items: Array.isArray(f.items) ? f.items.length : 0,
              error: f.error,
              created_at: f.created_at.toISOString(),
              finished_at: f.finished_at?.toISOString() ?? null,
            }
          : null,
        open_exceptions: c.exceptions,
        pending_updates: c.pending,
      };
    });
  }

  publishOffers(connectionId: string, skus: string[]): Promise<OfferResult[]> {
    return asProblem(this.feeds.publish(connectionId, skus));
  }

  async listOffers(
    connectionId: string,
    q: { limit: number; cursor?: string | undefined },
  ): Promise<{ items: OfferView[]; next_cursor: string | null }> {
    await this.connections.require(connectionId);
    const rows = await store.listOffers(this.deps.db, connectionId, decodeCursor(q.cursor), q.limit + 1);
    const page = pageOf(rows, q.limit, (r) => r.sku);
    return {
      next_cursor: page.next_cursor,
      items: page.items.map((r) => ({
        sku: r.sku,
        status: r.status,
        external_id: r.external_id,
        message: r.message,
        published_quantity: r.published_quantity,
        published_price: r.published_price === null ? null : Number(r.published_price),
        published_at: r.published_at?.toISOString() ?? null,
        pending_update: r.dirty_mark !== null,
      })),
    };
  }

  async listOrders(q: {
    status?: store.MarketplaceOrderRow['status'] | undefined;
    connection_id?: string | undefined;
    channel_id?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<{ items: MarketplaceOrderView[]; next_cursor: string | null }> {
    const rows = await store.listOrders(
      this.deps.db,
      { status: q.status, connection_id: q.connection_id, channel_id: q.channel_id, after: decodeCursor(q.cursor) },
      q.limit + 1,
    );
    const page = pageOf(rows, q.limit, (r) => r.id);
    return { items: page.items.map(orderView), next_cursor: page.next_cursor };
  }

  async getOrder(id: string): Promise<MarketplaceOrderView> {
    const row = await store.getOrder(this.deps.db, id);
    if (!row) throw problems.notFound('marketplace order', id);
    return orderView(row);
  }

  async retryException(id: string): Promise<MarketplaceOrderView> {
    // A return's exception (returns.ts) is retried as a return, never placed as an order.
    const row = await store.getOrder(this.deps.db, id);
    if (row && isReturnException(row)) {
      if (row.status !== 'exception')
        throw new AppError(
          'invalid_transition',
          `marketplace order ${id} is ${row.status}; only an exception can be retried`,
        );
      await this.returnsImport.retry(id);
      return this.getOrder(id);
    }
    return orderView(await this.actions.retryException(id));
  }

  async cancelException(id: string, reason: string): Promise<MarketplaceOrderView> {
    const row = await store.getOrder(this.deps.db, id);
    // Cancelling would tell the marketplace to cancel the order the buyer returned: only retry or resolve fit.
    if (row && isReturnException(row))
      throw new AppError('invalid_transition', `marketplace order ${id} is a return; retry or resolve it instead`);
    return orderView(await this.actions.cancelException(id, reason));
  }

  /** Staff settled an exception by hand (nothing placed in Omnia, nothing sent to the marketplace). */
  async resolveException(id: string, note: string): Promise<MarketplaceOrderView> {
    return orderView(await this.actions.resolveException(id, note));
  }

  /** One full pass of a connection now (the CLI, the console's "sync now"): import, push, send. */
  async syncNow(connectionId: string): Promise<{ orders: number; feeds: number; actions: number }> {
    const connection = await this.connections.require(connectionId);
    const orders = await asProblem(this.imports.pull(connection));
    // Staff asked for it now: this connection's waiting changes go out without waiting for the debounce window.
    await store.updateConnection(this.deps.db, connectionId, { feed_due_at: this.deps.clock.now() });
    const feeds = await this.feeds.pushDue();
    const actions = await this.actions.runDue();
    return { orders, feeds, actions };
  }

  // ----- event consumers (in the dispatcher's transaction) and jobs -----

  /** inventory.changed, a delivery batch at once: the SKUs' offers wait for the next feed (one statement). */
  async onInventoryChanged(es: PublishedEvent[], trx: Tx): Promise<void> {
    const skus = es.map((e) => (e.data as { sku?: unknown }).sku).filter((s): s is string => typeof s === 'string');
    // sorted and distinct: concurrent batches lock the offers in one order
    await store.markDirty(trx, [...new Set(skus)].sort());
  }
  /** price.changed / product.updated: `skus` whose price may have moved wait for the next feed. */
  async onPriceChanged(e: PublishedEvent, trx: Tx): Promise<void> {
    const skus = (e.data as { skus?: unknown }).skus;
    if (Array.isArray(skus))
      await store.markDirty(
        trx,
        skus.filter((s): s is string => typeof s === 'string'),
      );
  }
  onShipped(e: PublishedEvent, trx: Tx): Promise<void> {
    return this.actions.onShipped(e, trx);
  }
  onOrderCancelled(e: PublishedEvent, trx: Tx): Promise<void> {
    return this.actions.onOrderCancelled(e, trx);
  }

  pushDue(): Promise<number> {
    return this.feeds.pushDue();
  }
  recheckPrices(): Promise<number> {
    return this.feeds.recheckPrices();
  }
  importDue(): Promise<number> {
    return this.imports.importDue();
  }
  actionsDue(): Promise<number> {
    return this.actions.runDue();
  }
  /** The returns job: one due connection's marketplace returns (returns.ts). */
  returnsDue(): Promise<number> {
    return this.returnsImport.syncDue();
  }
}

/** Exception rows the returns import made (returns.ts) carry the return's key as their external id. */
function isReturnException(r: store.MarketplaceOrderRow): boolean {
  return r.external_id.startsWith('return:') && r.order_id === null;
}

/** A provider failure or a missing key, as the closed set of problems the HTTP edge knows. */
async function asProblem<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof MarketplaceError)
      throw new AppError('unavailable', `the marketplace did not accept the call: ${err.message}`, {
        marketplace_error: err.kind,
      });
    if (err instanceof SecretsKeyMissing || err instanceof SecretsUnreadable)
      throw new AppError('unavailable', err.message);
    throw err;
  }
}

function orderView(r: store.MarketplaceOrderRow): MarketplaceOrderView {
  const o = r.payload as StoredOrder;
  return {
    id: r.id,
    connection_id: r.connection_id,
    channel_id: r.channel_id,
    external_id: r.external_id,
    status: r.status,
    order_id: r.order_id,
    problem: r.problem_type ? { type: r.problem_type, detail: r.problem_detail ?? '' } : null,
    resolution: r.resolution,
    attempts: r.attempts,
    lines: o.lines.map((l) => ({
      external_line_id: l.external_line_id,
      sku: l.sku,
      quantity: l.quantity,
      unit_price: l.unit_price ?? null,
    })),
    marketplace_status: o.raw_status ?? o.status,
    buyer_name: o.buyer?.name ?? null,
    ship_to: o.shipping_address
      ? {
          city: o.shipping_address.city,
          postal_code: o.shipping_address.postal_code,
          country: o.shipping_address.country,
        }
      : null,
    placed_at: o.placed_at,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}
