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
  /** Download everything held about a customer (GDPR access); not implied by customers:read. */
  'customers:export',
  /** Erase a customer (GDPR erasure); not implied by customers:write. */
  'customers:erase',
  /** Register and log in customers (storefronts); reads no PII. */
  'customers:authenticate',
  'events:write',
  'promotions:read',
  'promotions:write',
  /** List a promotion's single-use coupon codes (each one is money). */
  'coupons:read',
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
  /** Min/max runs, their results and proposals (planning). */
  'planning:read',
  /** Start min/max runs and decide proposals; applying levels or accepting a transfer also needs the policy's stock rights. */
  'planning:write',
  /** Run the invariant checks (GET /v1/doctor); among staff roles only admins hold it. */
  'system:doctor',
  /** Webchat (issue 19): read conversations; the policy limits shoppers to the one whose token they hold. */
  'conversations:read',
  /** Webchat: open conversations and post to them; agents take, hand over carts and close. */
  'conversations:write',
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
    'coupons:read',
    'pricing:read',
    'orders:read',
    'analytics:read',
    'planning:read',
    'planning:write',
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
    'customers:export',
    'events:write',
    'promotions:read',
    'pricing:read',
    'carts:read',
    'carts:write',
    'checkout:write',
    'orders:read',
    'orders:write',
    'returns:write',
    'conversations:read',
    'conversations:write',
  ],
};

/**
 * What a customer token may reach, and only on shopper routes (`customer: true`); the policy
 * (platform/auth/policy.ts) then limits it to its own profile, carts, orders and returns.
 */
export const CUSTOMER_SCOPES: readonly Scope[] = [
  'network:read',
  'catalog:read',
  'inventory:read',
  'pricing:read',
  'customers:read',
  'customers:write',
  'customers:export',
  'customers:erase',
  'carts:read',
  'carts:write',
  'checkout:write',
  'orders:read',
  'returns:write',
  'events:write',
  'conversations:read',
  'conversations:write',
];

export const API_KEY_KINDS = ['publishable', 'secret'] as const;
export type ApiKeyKind = (typeof API_KEY_KINDS)[number];

/**
 * The fixed rights of a publishable key. It ships inside every web page and app, so assume every
 * shopper holds it: catalog and availability reads, prices, carts, checkout, behaviour events, and
 * customer register/login — nothing that reads or changes a known customer, an order or stock.
 * It is admitted only on shopper routes (`customer: true`), so `inventory:read` here reaches
 * availability, never the per-location stock levels or the ledger.
 */
export const PUBLISHABLE_SCOPES: readonly Scope[] = [
  'network:read',
  'catalog:read',
  'inventory:read',
  'pricing:read',
  'carts:read',
  'carts:write',
  'checkout:write',
  'events:write',
  'customers:authenticate',
  'conversations:read',
  'conversations:write',
];

export type Principal =
  | {
      kind: 'api_key';
      id: string;
      keyKind: ApiKeyKind;
      channelId: string;
      channelCode: string;
      locationId: string | null;
      scopes: ReadonlySet<Scope>;
    }
  | {
      kind: 'staff';
      id: string;
      email: string;
      role: Role;
      locationId: string | null;
      scopes: ReadonlySet<Scope>;
      session?: TokenSession;
    }
  | {
      kind: 'customer';
      id: string;
      customerId: string;
      channelId: string;
      scopes: ReadonlySet<Scope>;
      session?: TokenSession;
    };

/** The session a staff or customer token belongs to: what `POST /v1/auth/logout` ends. */
export interface TokenSession {
  id: string;
  expiresAt: Date;
}

/**
 * What a route needs. `public` routes need nothing; otherwise one scope. `customer: true` marks a
 * shopper route: only there are shopper credentials (customer tokens and publishable keys) admitted.
 * Which resource a caller may touch is decided afterwards by `authorizeResource` (platform/auth/policy.ts).
 */
export type AuthRule = 'public' | { scope: Scope; customer?: boolean };

export function authorize(rule: AuthRule, principal: Principal | undefined): void {
  if (rule === 'public') return;
  if (!principal)
    throw new AppError('unauthorized', 'send Authorization: Bearer <api key | staff token | customer token>');
  if (principal.kind === 'customer' && !rule.customer) {
    throw new AppError('forbidden', 'a customer token cannot use this endpoint');
  }
  if (principal.kind === 'api_key' && principal.keyKind === 'publishable' && !rule.customer) {
    throw new AppError('forbidden', 'a publishable key cannot use this endpoint; use a secret key from a server');
  }
  if (!principal.scopes.has(rule.scope)) {
    throw new AppError('forbidden', `this credential lacks the scope ${rule.scope}`, { required_scope: rule.scope });
  }
}
