/** Pure shaping for the operations page: API keys grouped by channel, the scopes a secret key may carry. */
import type { paths } from '../../api/schema';

type ScopeList = NonNullable<
  NonNullable<paths['/v1/api-keys']['post']['requestBody']>['content']['application/json']['scopes']
>;
type ApiScope = ScopeList[number];

/** Every scope, in the API's order. `satisfies` plus the check below fail the build when the API adds or drops one. */
export const API_SCOPES = [
  'network:read',
  'network:write',
  'catalog:read',
  'catalog:write',
  'inventory:read',
  'inventory:write',
  'reservations:write',
  'customers:read',
  'customers:write',
  'customers:export',
  'customers:erase',
  'customers:authenticate',
  'events:write',
  'promotions:read',
  'promotions:write',
  'coupons:read',
  'pricing:read',
  'carts:read',
  'carts:write',
  'checkout:write',
  'orders:read',
  'orders:write',
  'fulfillment:read',
  'fulfillment:write',
  'fulfillment:unlock',
  'returns:write',
  'webhooks:manage',
  'api_keys:manage',
  'staff:manage',
  'analytics:read',
  'planning:read',
  'planning:write',
  'system:doctor',
  'conversations:read',
  'conversations:write',
] as const satisfies readonly ApiScope[];
// A scope the API has and this list lacks is a type error here.
const _allScopes: Exclude<ApiScope, (typeof API_SCOPES)[number]> extends never ? true : never = true;
void _allScopes;

export interface KeyRow {
  id: string;
  kind: string;
  channel_id: string;
  location_id: string | null;
  scopes: string[];
  label: string | null;
  created_at: string;
  revoked_at: string | null;
}

/** Keys per channel in the channels' order (unknown channels last); live keys first, newest first. */
export function keysByChannel<K extends KeyRow>(
  keys: K[],
  channels: { id: string }[],
): { channel_id: string; keys: K[] }[] {
  const order = new Map(channels.map((c, i) => [c.id, i]));
  const by = new Map<string, K[]>();
  for (const k of keys) by.set(k.channel_id, [...(by.get(k.channel_id) ?? []), k]);
  return [...by.entries()]
    .sort(([a], [b]) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || a.localeCompare(b))
    .map(([channel_id, ks]) => ({
      channel_id,
      keys: [...ks].sort(
        (a, b) =>
          Number(a.revoked_at !== null) - Number(b.revoked_at !== null) || b.created_at.localeCompare(a.created_at),
      ),
    }));
}
