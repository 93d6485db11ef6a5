/** What each role sees in the console, and on which kind of screen. Pure. */

export type Area =
  | 'dashboard'
  | 'network'
  | 'catalog'
  | 'orders'
  | 'promotions'
  | 'operations'
  | 'store'
  | 'agent'
  | 'analytics'
  | 'planning'
  | 'messages'
  | 'marketplaces'
  | 'reviews';

export interface NavItem {
  area: Area;
  path: string;
  /** i18n key of the label */
  label: string;
}

const ITEMS: Record<Area, NavItem> = {
  dashboard: { area: 'dashboard', path: '/', label: 'nav.dashboard' },
  network: { area: 'network', path: '/network', label: 'nav.network' },
  catalog: { area: 'catalog', path: '/catalog', label: 'nav.catalog' },
  orders: { area: 'orders', path: '/orders', label: 'nav.orders' },
  promotions: { area: 'promotions', path: '/promotions', label: 'nav.promotions' },
  operations: { area: 'operations', path: '/operations', label: 'nav.operations' },
  store: { area: 'store', path: '/store', label: 'nav.store' },
  agent: { area: 'agent', path: '/agent', label: 'nav.agent' },
  analytics: { area: 'analytics', path: '/analytics', label: 'nav.analytics' },
  planning: { area: 'planning', path: '/planning', label: 'nav.planning' },
  messages: { area: 'messages', path: '/messages', label: 'nav.messages' },
  marketplaces: { area: 'marketplaces', path: '/marketplaces', label: 'nav.marketplaces' },
  reviews: { area: 'reviews', path: '/reviews', label: 'nav.reviews' },
};

const BY_ROLE: Record<string, Area[]> = {
  admin: [
    'dashboard',
    'analytics',
    'planning',
    'network',
    'catalog',
    'orders',
    'promotions',
    'messages',
    'operations',
    // Connections hold credentials: the policy lets only admins (and secret keys) list them.
    'marketplaces',
    // Issue 19: review moderation (merchandising's work; admins too).
    'reviews',
  ],
  merchandiser: ['dashboard', 'analytics', 'planning', 'catalog', 'promotions', 'messages', 'network', 'reviews'],
  store_associate: ['store', 'catalog', 'orders'],
  agent: ['agent', 'orders', 'catalog'],
};

export function navFor(role: string): NavItem[] {
  return (BY_ROLE[role] ?? []).map((a) => ITEMS[a]);
}

export function mayOpen(role: string, area: Area): boolean {
  return (BY_ROLE[role] ?? []).includes(area);
}

/** Store associates work on a phone on the shop floor; everyone else at a desk. */
export function layoutFor(role: string): 'phone' | 'desktop' {
  return role === 'store_associate' ? 'phone' : 'desktop';
}

/** Where a role lands after login. */
export function homeFor(role: string): string {
  return navFor(role)[0]?.path ?? '/';
}
