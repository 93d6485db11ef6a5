/** Pure shaping for the marketplaces pages: a connection's health, the form's request bodies. */
import type { paths } from '../../api/schema';

export type Connection =
  paths['/v1/marketplaces/connections']['get']['responses']['200']['content']['application/json']['items'][number];
export type Provider =
  paths['/v1/marketplaces/providers']['get']['responses']['200']['content']['application/json']['items'][number];
export type MarketplaceOrder =
  paths['/v1/marketplaces/orders']['get']['responses']['200']['content']['application/json']['items'][number];
type CreateBody = NonNullable<
  paths['/v1/marketplaces/connections']['post']['requestBody']
>['content']['application/json'];
type PatchBody = NonNullable<
  paths['/v1/marketplaces/connections/{id}']['patch']['requestBody']
>['content']['application/json'];

export type Health = 'ok' | 'paused' | 'attention' | 'failing';

/**
 * One word for a connection's row: failing when its jobs last hit an error (or its last feed failed),
 * attention when orders wait for staff, paused when switched off, otherwise ok.
 */
export function healthOf(c: Pick<Connection, 'active' | 'last_error' | 'last_feed' | 'open_exceptions'>): Health {
  if (!c.active) return 'paused';
  if (c.last_error || c.last_feed?.state === 'failed') return 'failing';
  if (c.open_exceptions > 0) return 'attention';
  return 'ok';
}

/** The connection form as the user filled it. Credentials are write-only: blank means "keep what is stored". */
export interface ConnectionForm {
  channel: string;
  provider: string;
  base_url: string;
  credentials: Record<string, string>;
  settings: Record<string, string>;
  feed_interval_s: string;
  orders_interval_s: string;
  active: boolean;
}

export function emptyForm(provider?: Provider): ConnectionForm {
  return {
    channel: '',
    provider: provider?.provider ?? '',
    base_url: provider?.default_base_url ?? '',
    credentials: {},
    settings: {},
    feed_interval_s: '60',
    orders_interval_s: '120',
    active: true,
  };
}

/** The form of a stored connection: its settings and figures, never a credential value (the API has none). */
export function formOf(c: Connection): ConnectionForm {
  return {
    channel: c.channel_id,
    provider: c.provider,
    base_url: c.base_url,
    credentials: {},
    settings: { ...c.settings },
    feed_interval_s: String(c.feed_interval_s),
    orders_interval_s: String(c.orders_interval_s),
    active: c.active,
  };
}

const trimmed = (o: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(o)
      .map(([k, v]) => [k, v.trim()] as const)
      .filter(([, v]) => v !== ''),
  );

/** A number field as typed: sent as is when it is an integer, so the API (not the page) judges its range. */
function intOf(v: string): number | undefined {
  const t = v.trim();
  return /^-?\d+$/.test(t) ? Number(t) : undefined;
}

export function createBody(f: ConnectionForm): CreateBody {
  const feed = intOf(f.feed_interval_s);
  const orders = intOf(f.orders_interval_s);
  return {
    channel: f.channel,
    provider: f.provider,
    base_url: f.base_url.trim(),
    credentials: trimmed(f.credentials),
    settings: trimmed(f.settings),
    ...(feed !== undefined ? { feed_interval_s: feed } : {}),
    ...(orders !== undefined ? { orders_interval_s: orders } : {}),
  };
}

/**
 * The PATCH of an edit: credentials only when some were typed — and then whole (the API replaces the
 * set), so the names the provider reads must all be given again; otherwise the stored ones stay.
 */
export function patchBody(f: ConnectionForm, before: Connection): PatchBody {
  const creds = trimmed(f.credentials);
  const settings = trimmed(f.settings);
  const feed = intOf(f.feed_interval_s);
  const orders = intOf(f.orders_interval_s);
  const same = (a: Record<string, string>, b: Record<string, string>) =>
    Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
  return {
    ...(f.base_url.trim() !== before.base_url ? { base_url: f.base_url.trim() } : {}),
    ...(Object.keys(creds).length ? { credentials: creds } : {}),
    ...(same(settings, before.settings) ? {} : { settings }),
    ...(feed !== undefined && feed !== before.feed_interval_s ? { feed_interval_s: feed } : {}),
    ...(orders !== undefined && orders !== before.orders_interval_s ? { orders_interval_s: orders } : {}),
    ...(f.active !== before.active ? { active: f.active } : {}),
  };
}

/** Credential names an edit must give together (all the provider reads), or none. Pure check before sending. */
export function missingCredentials(f: ConnectionForm, provider: Provider | undefined, editing: boolean): string[] {
  const typed = Object.values(f.credentials).some((v) => v.trim() !== '');
  if (editing && !typed) return [];
  return (provider?.credentials ?? []).filter((n) => !(f.credentials[n] ?? '').trim());
}

/** Marketplace and social channels (Facebook/Instagram Shops) without a connection yet (one per channel). */
export function connectableChannels<C extends { id: string; type: string }>(
  channels: readonly C[],
  connections: readonly Pick<Connection, 'channel_id'>[],
): C[] {
  const taken = new Set(connections.map((c) => c.channel_id));
  return channels.filter((c) => (c.type === 'marketplace' || c.type === 'social') && !taken.has(c.id));
}

/** "2 × SKU-1, 1 × SKU-2": what the marketplace order wanted, in one line. */
export function linesSummary(lines: readonly { sku: string; quantity: number }[]): string {
  return lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ');
}
