/**
 * Who may do what. Pure data and checks; the hook that reads the Authorization header is in
 * auth-hook.ts, the key and user tables in platform/auth.
 */
import { AppError } from './problems.js';

export const SCOPES = [
  'network:read',
  'network:write',
  'catalog:read',
  'catalog:write',
  'inventory:read',
  'inventory:write',
  'reservations:write',
  'customers:read',
  'customers:write',
  'events:write',
  'promotions:read',
  'promotions:write',
  'pricing:read',
  'carts:read',
  'carts:write',
  'checkout:write',
  'orders:read',
  'orders:write',
  'fulfillment:read',
  'fulfillment:write',
  /** Unlock a handover locked by wrong pickup codes (not a store associate's: a second person decides). */
  'fulfillment:unlock',
  'returns:write',
  'webhooks:manage',
  'api_keys:manage',
  'staff:manage',
  'analytics:read',
  /** Run the invariant checks (GET /v1/doctor); among staff roles only admins hold it. */
  'system:doctor',
] as const;
export type Scope = (typeof SCOPES)[number];

export const ROLES = ['admin', 'merchandiser', 'store_associate', 'agent'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  admin: SCOPES,
  merchandiser: [
    'network:read',
    'catalog:read',
    'catalog:write',
    'inventory:read',
    'promotions:read',
    'promotions:write',
    'pricing:read',
    'orders:read',
    'analytics:read',
  ],
  store_associate: [
    'network:read',
    'catalog:read',
    'inventory:read',
    'inventory:write',
    'reservations:write',
    'customers:read',
    'pricing:read',
    'carts:read',
    'carts:write',
    'checkout:write',
    'orders:read',
    'orders:write',
    'fulfillment:read',
    'fulfillment:write',
    'returns:write',
  ],
  agent: [
    'network:read',
    'catalog:read',
    'inventory:read',
    'customers:read',
    'customers:write',
    'events:write',
    'promotions:read',
    'pricing:read',
    'carts:read',
    'carts:write',
    'checkout:write',
    'orders:read',
    'orders:write',
    'returns:write',
  ],
};

/** What a customer token may reach, and only on routes that opt in with `customer: true`. */
export const CUSTOMER_SCOPES: readonly Scope[] = [
  'network:read',
  'catalog:read',
  'inventory:read',
  'pricing:read',
  'customers:read',
  'customers:write',
  'carts:read',
  'carts:write',
  'checkout:write',
  'orders:read',
  'returns:write',
  'events:write',
];

export type Principal =
  | {
      kind: 'api_key';
      id: string;
      channelId: string;
      channelCode: string;
      locationId: string | null;
      scopes: ReadonlySet<Scope>;
    }
  | { kind: 'staff'; id: string; email: string; role: Role; locationId: string | null; scopes: ReadonlySet<Scope> }
  | { kind: 'customer'; id: string; customerId: string; channelId: string; scopes: ReadonlySet<Scope> };

/**
 * What a route needs. `public` routes need nothing; otherwise one scope, and a customer token is
 * admitted only where the route says `customer: true` (its handler must then check ownership).
 */
export type AuthRule = 'public' | { scope: Scope; customer?: boolean };

export function authorize(rule: AuthRule, principal: Principal | undefined): void {
  if (rule === 'public') return;
  if (!principal)
    throw new AppError('unauthorized', 'send Authorization: Bearer <api key | staff token | customer token>');
  if (principal.kind === 'customer' && !rule.customer) {
    throw new AppError('forbidden', 'a customer token cannot use this endpoint');
  }
  if (!principal.scopes.has(rule.scope)) {
    throw new AppError('forbidden', `this credential lacks the scope ${rule.scope}`, { required_scope: rule.scope });
  }
}

/** A store associate or a location-bound key acts only for its own location. */
export function assertLocationAccess(principal: Principal | undefined, locationId: string): void {
  if (!principal || principal.kind === 'customer') return;
  if (principal.locationId && principal.locationId !== locationId) {
    throw new AppError('forbidden', `this credential is bound to location ${principal.locationId}`, {
      location_id: locationId,
    });
  }
}

/** The channel a request acts for: the key's own channel; staff and customers name one. */
export function channelOf(principal: Principal | undefined): string | undefined {
  if (!principal) return undefined;
  if (principal.kind === 'api_key' || principal.kind === 'customer') return principal.channelId;
  return undefined;
}
