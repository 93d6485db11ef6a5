import type { Db, Executor } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { AppError, isUniqueViolation, problems } from '../platform/http/problems.js';
import { inTx } from '../platform/db/tx.js';
import { connectorFactory } from './registry.js';
import { SecretBox, SecretsKeyMissing } from './secrets.js';
import type { MarketplacesNetworkPort } from './ports.js';
import type { ConnectorDeps, MarketplaceConnector } from './types.js';
import type { OutboundPolicy } from '../platform/http/outbound.js';
import { checkConnectionUrls } from './outbound.js';
import * as store from './store.js';

/** A connection as the API shows it: never its credentials, only which credential names are set. */
export interface ConnectionView {
  id: string;
  channel_id: string;
  provider: string;
  base_url: string;
  settings: Record<string, string>;
  credential_names: string[];
  feed_interval_s: number;
  orders_interval_s: number;
  active: boolean;
  orders_since: string;
  last_error: string | null;
  /** When the order import last finished a run, and how many orders that run saw. */
  last_import_at: string | null;
  last_import_count: number | null;
  created_at: string;
  updated_at: string;
}

export interface ConnectionInput {
  channel: string;
  provider: string;
  base_url: string;
  credentials: Record<string, string>;
  settings?: Record<string, string> | undefined;
  feed_interval_s?: number | undefined;
  orders_interval_s?: number | undefined;
  /** Orders changed since this moment are imported first (default: the connection's creation). */
  orders_since?: string | undefined;
}

/**
 * Connections: one per marketplace channel, its credentials sealed under OMNIA_SECRETS_KEY. Connectors
 * are built here (credentials opened in memory only) and kept per connection version, so an access
 * token the connector cached (Amazon's LWA token lives an hour) is reused across job runs.
 */
export class Connections {
  private readonly cache = new Map<string, { version: number; connector: MarketplaceConnector }>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly network: MarketplacesNetworkPort,
    private readonly box: SecretBox | null,
    private readonly connectorDeps: ConnectorDeps = {},
    /** The SSRF rule for the connection's endpoints (the same as webhooks'). */
    private readonly outbound: OutboundPolicy = { allowPrivate: false },
  ) {}

  private requireBox(): SecretBox {
    if (!this.box) throw new AppError('unavailable', new SecretsKeyMissing().message);
    return this.box;
  }

  async create(input: ConnectionInput): Promise<ConnectionView> {
    const box = this.requireBox();
    if (!connectorFactory(input.provider))
      throw problems.field('provider', `unknown marketplace provider ${input.provider}`);
    const channel = await this.network.channel(input.channel);
    if (!channel) throw problems.field('channel', `channel ${input.channel} does not exist`);
    // A social shop (Instagram, Facebook) sells through its platform's order API like a marketplace (issue 19).
    if (channel.type !== 'marketplace' && channel.type !== 'social')
      throw problems.field('channel', `channel ${channel.code} is not a marketplace or social channel`);
    await checkConnectionUrls(input, this.outbound);
    const now = this.clock.now();
    const id = newId('mkc', now.getTime());
    const since = input.orders_since ? new Date(input.orders_since) : now;
    if (Number.isNaN(since.getTime())) throw problems.field('orders_since', 'is not a date-time');
    try {
      await store.insertConnection(this.db, {
        id,
        channel_id: channel.id,
        provider: input.provider,
        base_url: input.base_url,
        credentials: box.seal(input.credentials, id),
        settings: input.settings ?? {},
        feed_interval_s: input.feed_interval_s ?? 60,
        orders_interval_s: input.orders_interval_s ?? 120,
        active: true,
        orders_since: since,
        changes_since: since,
        orders_due_at: now,
        feed_due_at: now,
        last_error: null,
        last_import_at: null,
        last_import_count: null,
        created_at: now,
        updated_at: now,
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw problems.duplicate(`channel ${channel.code} already has a marketplace connection`);
      throw err;
    }
    return this.view((await store.getConnection(this.db, id))!);
  }

  async update(
    id: string,
    patch: {
      base_url?: string | undefined;
      credentials?: Record<string, string> | undefined;
      settings?: Record<string, string> | undefined;
      feed_interval_s?: number | undefined;
      orders_interval_s?: number | undefined;
      active?: boolean | undefined;
    },
  ): Promise<ConnectionView> {
    await this.require(id);
    await checkConnectionUrls(patch, this.outbound);
    const credentials = patch.credentials ? this.requireBox().seal(patch.credentials, id) : undefined;
    await inTx(this.db, undefined, async (trx) => {
      await store.updateConnection(trx, id, {
        ...(patch.base_url !== undefined ? { base_url: patch.base_url } : {}),
        ...(credentials !== undefined ? { credentials } : {}),
        ...(patch.settings !== undefined ? { settings: patch.settings } : {}),
        ...(patch.feed_interval_s !== undefined ? { feed_interval_s: patch.feed_interval_s } : {}),
        ...(patch.orders_interval_s !== undefined ? { orders_interval_s: patch.orders_interval_s } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        updated_at: this.clock.now(),
      });
    });
    this.cache.delete(id);
    return this.get(id);
  }

  async require(id: string, ex: Executor = this.db): Promise<store.ConnectionRow> {
    const row = await store.getConnection(ex, id);
    if (!row) throw problems.notFound('marketplace connection', id);
    return row;
  }

  async get(id: string): Promise<ConnectionView> {
    return this.view(await this.require(id));
  }

  async list(): Promise<ConnectionView[]> {
    return (await store.listConnections(this.db)).map((r) => this.view(r));
  }

  /** The connector of a connection; refuses (SecretsKeyMissing) without the key — never runs unauthenticated. */
  connector(row: store.ConnectionRow): MarketplaceConnector {
    if (!this.box) throw new SecretsKeyMissing();
    const version = row.updated_at.getTime();
    const hit = this.cache.get(row.id);
    if (hit && hit.version === version) return hit.connector;
    const factory = connectorFactory(row.provider);
    if (!factory) throw new Error(`connection ${row.id}: unknown provider ${row.provider}`);
    const connector = factory(
      {
        base_url: row.base_url,
        credentials: this.box.open(row.credentials, row.id),
        settings: (row.settings ?? {}) as Record<string, string>,
      },
      this.connectorDeps,
    );
    this.cache.set(row.id, { version, connector });
    return connector;
  }

  view(r: store.ConnectionRow): ConnectionView {
    let names: string[] = [];
    try {
      names = this.box ? Object.keys(this.box.open(r.credentials, r.id)).sort() : [];
    } catch {
      names = [];
    }
    return {
      id: r.id,
      channel_id: r.channel_id,
      provider: r.provider,
      base_url: r.base_url,
      settings: (r.settings ?? {}) as Record<string, string>,
      credential_names: names,
      feed_interval_s: r.feed_interval_s,
      orders_interval_s: r.orders_interval_s,
      active: r.active,
      orders_since: r.orders_since.toISOString(),
      last_error: r.last_error,
      last_import_at: r.last_import_at?.toISOString() ?? null,
      last_import_count: r.last_import_count,
      created_at: r.created_at.toISOString(),
      updated_at: r.updated_at.toISOString(),
    };
  }
}
