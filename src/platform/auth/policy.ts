/**
 * The one authorization policy: may this principal do this action on this resource? Pure (no I/O):
 * the caller loads the resource and passes what the decision needs — its channel, location and
 * customer. Routes check only the scope (auth-model.ts `authorize`); everything that depends on
 * *which* cart, order, reservation, return, customer, fulfillment task or webhook is decided here.
 *
 * Refusals, decided once for every resource kind:
 * - `not_found` when the caller must not learn that the resource exists: another customer's cart,
 *   order, return or profile (customer tokens) and anything of another channel (API keys). Ids are
 *   guessable in bulk, so a 403 would confirm each one.
 * - `forbidden` when the caller is allowed to know it exists but not to act: a store-bound key or
 *   store associate on another store's work, a publishable key or a role on a kind it never reaches.
 */
import { AppError, problems } from '../http/problems.js';
import type { ApiKeyKind, Role } from '../http/auth-model.js';

export const RESOURCE_KINDS = [
  'cart',
  'order',
  'reservation',
  'return',
  'customer',
  'fulfillment',
  'webhook',
  /** Stock held at a location: movements, levels, transfers, in-store sales. */
  'stock',
  /** An API key (listing and revoking keys): its channel's keys are that channel's managers' business. */
  'api_key',
  /** A chain-wide plan (min/max runs, proposals): no channel, every store; merchandisers' work. */
  'plan',
  /** A chain-wide report (channel mix, shipping, lost sales): every channel and store, read only. */
  'analytics',
  /**
   * A product review (issue 19). With `customerId`: a review as its author holds it (pending, rejected,
   * the link to them); without: the published reviews of a product, which anyone may read.
   */
  'review',
  /** A webchat conversation (issue 19): its shopper holds its token; agents work every one. */
  'conversation',
  /**
   * A social channel's catalog feed (issue 19): Meta and Google fetch it holding the feed's own token
   * (`secretHeld`), not an Omnia credential; staff and the channel's secret keys manage it.
   */
  'feed',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/**
 * `lookup`: find a resource to serve it at a counter — reading it like `read`, except that a store
 * associate may look up an order of any channel or store (a web order comes back to any shop).
 * `receive`: attest that returned goods are in hand (they are restocked and refunded at once): staff
 * and secret keys; a customer's own return is only a request until a store receives it.
 */
export const ACTIONS = ['read', 'lookup', 'write', 'export', 'erase', 'receive'] as const;
/** `moderate` (issue 19): approve or reject what others wrote (reviews); merchandising's and admins' work. */
export const MODERATE = 'moderate' as const;
export const ALL_ACTIONS = [...ACTIONS, MODERATE] as const;
export type Action = (typeof ALL_ACTIONS)[number];

export interface Resource {
  kind: ResourceKind;
  id?: string | undefined;
  /** The channel the resource belongs to; undefined for retailer-wide resources (customers, webhooks). */
  channelId?: string | null | undefined;
  /** The store it belongs to (a till sale, a store's task, a return taken at a store); null when none. */
  locationId?: string | null | undefined;
  /** A second store it concerns, acting for it as well (a task's destination store in click & collect). */
  destinationLocationId?: string | null | undefined;
  /** The customer it belongs to (a customer profile: its own resolved id); null when anonymous. */
  customerId?: string | null | undefined;
  /** The caller showed the resource's own secret (a conversation's token), which makes it theirs. */
  secretHeld?: boolean | undefined;
}

/** The parts of a principal the policy reads; `Principal` and the carts' actor both fit. */
export type Subject =
  | { kind: 'api_key'; keyKind: ApiKeyKind; channelId: string; channelCode?: string; locationId: string | null }
  | { kind: 'staff'; role: Role; locationId: string | null }
  | { kind: 'customer'; customerId: string; channelId: string };

export type Decision =
  { allow: true } | { allow: false; problem: 'unauthorized' | 'forbidden' | 'not_found'; reason: string };

const ALLOW: Decision = { allow: true };
const deny = (problem: 'unauthorized' | 'forbidden' | 'not_found', reason: string): Decision => ({
  allow: false,
  problem,
  reason,
});

/** Kinds a customer token may own. */
const CUSTOMER_OWNED: ReadonlySet<ResourceKind> = new Set(['cart', 'order', 'return', 'customer']);
/** What a contact-center agent works on, in every channel; never settings or store work (stock: read only). */
const AGENT_KINDS: ReadonlySet<ResourceKind> = new Set(['cart', 'order', 'return', 'customer', 'conversation']);
/** What a merchandiser may look at beyond the catalog (read only). */
const MERCHANDISER_KINDS: ReadonlySet<ResourceKind> = new Set(['order', 'stock', 'analytics']);
/** A store associate's work, always at their own location. */
const STORE_KINDS: ReadonlySet<ResourceKind> = new Set(['order', 'fulfillment', 'return', 'reservation', 'stock']);

export function decide(subject: Subject | undefined, action: Action, resource: Resource): Decision {
  // The feed token opens its feed for reading and nothing else (it is a URL the platforms store).
  if (resource.kind === 'feed' && resource.secretHeld)
    return action === 'read' ? ALLOW : deny('forbidden', 'a feed token only reads its feed');
  if (!subject) return deny('unauthorized', 'a credential is needed');
  const what = resource.id ? `${resource.kind} ${resource.id}` : resource.kind;
  if (resource.kind === 'review') return decideReview(subject, action, resource, what);
  if (resource.kind === 'feed') return decideFeed(subject, action, resource, what);
  switch (subject.kind) {
    case 'customer':
      if (action === 'receive')
        return deny('forbidden', 'a customer cannot attest returned goods: start the return with a drop-off');
      return decideCustomer(subject, resource, what);
    case 'api_key':
      return decideKey(subject, action, resource, what);
    case 'staff':
      return decideStaff(subject, action, resource, what);
  }
}

const atLocation = (resource: Resource, locationId: string): boolean =>
  resource.locationId === locationId || resource.destinationLocationId === locationId;

function decideCustomer(subject: Extract<Subject, { kind: 'customer' }>, resource: Resource, what: string): Decision {
  // A conversation is its token holder's (opened anonymously, then logged in), or the customer's own.
  if (resource.kind === 'conversation')
    return resource.secretHeld || !resource.id || resource.customerId === subject.customerId
      ? ALLOW
      : deny('not_found', `${what} does not exist`);
  if (!CUSTOMER_OWNED.has(resource.kind)) return deny('forbidden', `a customer token cannot reach a ${resource.kind}`);
  if (resource.customerId === subject.customerId) return ALLOW;
  // An anonymous cart's id is the shopper's own secret (it lives in their browser): it may be
  // claimed by logging in. Nothing else anonymous belongs to a customer.
  if (resource.kind === 'cart' && resource.customerId === null) return ALLOW;
  return deny('not_found', `${what} does not exist`);
}

function decideKey(
  subject: Extract<Subject, { kind: 'api_key' }>,
  action: Action,
  resource: Resource,
  what: string,
): Decision {
  // A channel's webhooks are its keys' to manage (the channel check below); global ones are an admin's.
  if (resource.kind === 'webhook' && resource.channelId == null)
    return deny('forbidden', 'a global webhook is a retailer-wide setting; a key manages its channel webhooks only');
  if (resource.channelId != null && resource.channelId !== subject.channelId)
    return deny('not_found', `${what} does not exist`);
  if (subject.keyKind === 'publishable') {
    // A shopper opens a conversation, then reaches it only with its token (the key is every shopper's).
    if (resource.kind === 'conversation')
      return (action === 'write' && !resource.id) || resource.secretHeld
        ? ALLOW
        : resource.id
          ? deny('not_found', `${what} does not exist`)
          : deny('forbidden', 'a publishable key opens conversations but lists none');
    // Public by nature: anonymous carts of its own channel only. A known customer's cart, order or
    // profile is reached with that customer's token, never with a key every shopper can read.
    if (resource.kind !== 'cart') return deny('forbidden', `a publishable key cannot reach a ${resource.kind}`);
    if (resource.customerId != null)
      return deny('forbidden', `${what} belongs to a customer: use that customer's token`);
    return ALLOW;
  }
  if ((action === 'export' || action === 'erase') && resource.kind !== 'customer')
    return deny('forbidden', `${action} applies to customers only`);
  if (subject.locationId && resource.locationId != null && !atLocation(resource, subject.locationId))
    return deny('forbidden', `this key is bound to location ${subject.locationId}`);
  // A plan spans every store: a key bound to one store sees and decides only that store's stock.
  if (subject.locationId && resource.kind === 'plan')
    return deny('forbidden', `a plan spans the chain; this key is bound to location ${subject.locationId}`);
  // Reports mix every store's figures (and customers' across channels): not for a store-bound key.
  if (subject.locationId && resource.kind === 'analytics')
    return deny('forbidden', `a report spans the chain; this key is bound to location ${subject.locationId}`);
  return ALLOW;
}

function decideStaff(
  subject: Extract<Subject, { kind: 'staff' }>,
  action: Action,
  resource: Resource,
  what: string,
): Decision {
  switch (subject.role) {
    case 'admin':
      return ALLOW;
    case 'agent':
      if (resource.kind === 'stock' && action === 'read') return ALLOW;
      if (!AGENT_KINDS.has(resource.kind)) return deny('forbidden', `an agent cannot reach a ${resource.kind}`);
      if (action === 'erase') return deny('forbidden', 'erasure is for an admin');
      return ALLOW;
    case 'merchandiser':
      if (resource.kind === 'plan') return ALLOW;
      if (!MERCHANDISER_KINDS.has(resource.kind) || (action !== 'read' && action !== 'lookup'))
        return deny('forbidden', `a merchandiser cannot ${action} a ${resource.kind}`);
      return ALLOW;
    case 'store_associate': {
      // A till serves whoever walks in: carts (hand-off, in-store sale) and a customer lookup.
      if (resource.kind === 'customer')
        return action === 'read' || action === 'write'
          ? ALLOW
          : deny('forbidden', `a store associate cannot ${action} a customer`);
      if (resource.kind === 'cart')
        return resource.locationId == null || resource.locationId === subject.locationId
          ? ALLOW
          : deny('forbidden', `${what} is at another location`);
      if (!STORE_KINDS.has(resource.kind))
        return deny('forbidden', `a store associate cannot reach a ${resource.kind}`);
      // Returns at the counter: any order may be found, whatever channel or store sold it.
      if (resource.kind === 'order' && action === 'lookup') return ALLOW;
      if (!subject.locationId || !atLocation(resource, subject.locationId))
        return deny('forbidden', `a store associate acts only at their location ${subject.locationId ?? '(none)'}`);
      return ALLOW;
    }
  }
}

/**
 * Reviews (issue 19). Published reviews (no `customerId`) are public: every credential reads them. A
 * review with its author is the author's own (another customer's does not exist for a token); keys of
 * another channel see none. Writing one is the author's, through their own token only; moderating is
 * for admins, merchandisers and secret keys; an agent only reads them.
 */
function decideReview(subject: Subject, action: Action, resource: Resource, what: string): Decision {
  if (subject.kind === 'api_key' && resource.channelId != null && resource.channelId !== subject.channelId)
    return deny('not_found', `${what} does not exist`);
  const published = resource.customerId == null;
  if (action === 'read' && published) return ALLOW;
  // A review speaks for its author: only their own token writes it (no one writes in a customer's name).
  if (action === 'write' && subject.kind !== 'customer')
    return deny('forbidden', "a review is written with its author's customer token");
  switch (subject.kind) {
    case 'customer':
      if (!published && resource.customerId !== subject.customerId) return deny('not_found', `${what} does not exist`);
      return action === 'read' || action === 'write'
        ? ALLOW
        : deny('forbidden', `a customer cannot ${action} a review`);
    case 'api_key':
      if (subject.keyKind === 'publishable')
        return deny('forbidden', "a publishable key reads published reviews only: write with the customer's token");
      return action === 'read' || action === MODERATE
        ? ALLOW
        : deny('forbidden', `${action} applies to customers only`);
    case 'staff':
      if (subject.role === 'admin') return ALLOW;
      if (subject.role === 'merchandiser' && (action === 'read' || action === MODERATE)) return ALLOW;
      if (subject.role === 'agent' && action === 'read') return ALLOW;
      return deny('forbidden', `a ${subject.role} cannot ${action} a review`);
  }
}

/**
 * Social catalog feeds (issue 19) without their token: an admin manages them, a merchandiser previews
 * them, a secret key of the feed's channel reads and configures its own; shoppers' credentials never.
 */
function decideFeed(subject: Subject, action: Action, resource: Resource, what: string): Decision {
  switch (subject.kind) {
    case 'customer':
      return deny('forbidden', 'a customer token cannot reach a feed');
    case 'api_key':
      if (resource.channelId != null && resource.channelId !== subject.channelId)
        return deny('not_found', `${what} does not exist`);
      if (subject.keyKind === 'publishable') return deny('forbidden', 'a publishable key cannot reach a feed');
      return action === 'read' || action === 'write' ? ALLOW : deny('forbidden', `${action} applies to customers only`);
    case 'staff':
      if (subject.role === 'admin') return ALLOW;
      if (subject.role === 'merchandiser' && action === 'read') return ALLOW;
      return deny('forbidden', `a ${subject.role} cannot ${action} a feed`);
  }
}

/** A list narrowed to what the subject may see; each field set is a filter the list must apply. */
export interface ListScope {
  channelId?: string;
  locationId?: string;
  customerId?: string;
}

/**
 * The filters a list of `kind` must apply for this subject — the list form of `decide`: an API key
 * sees its channel, a customer token its own, a store associate its store; other staff see all.
 * Throws when the subject may not list that kind at all.
 */
export function listScope(subject: Subject | undefined, kind: ResourceKind, action: Action = 'read'): ListScope {
  if (!subject) throw new AppError('unauthorized', 'a credential is needed');
  // Deciding on a resource of the subject's own channel, store and customer tells whether the kind is reachable at all.
  const probe = decide(subject, action, {
    kind,
    customerId: subject.kind === 'customer' ? subject.customerId : null,
    locationId: boundLocation(subject),
  });
  if (!probe.allow) throw new AppError(probe.problem === 'not_found' ? 'forbidden' : probe.problem, probe.reason);
  switch (subject.kind) {
    case 'customer':
      return { customerId: subject.customerId };
    case 'api_key':
      return { channelId: subject.channelId };
    case 'staff':
      if (subject.role !== 'store_associate' || !subject.locationId) return {};
      // An action the policy grants at any store (an order lookup) needs no store filter.
      return decide(subject, action, { kind, locationId: null }).allow ? {} : { locationId: subject.locationId };
  }
}

/** Throws the problem the policy decided (see the module comment for 403 vs 404). */
export function authorizeResource(subject: Subject | undefined, action: Action, resource: Resource): void {
  const d = decide(subject, action, resource);
  if (d.allow) return;
  if (d.problem === 'not_found')
    throw resource.id ? problems.notFound(resource.kind, resource.id) : new AppError('not_found', d.reason);
  throw new AppError(d.problem, d.reason);
}

/**
 * The channel a request acts for — the one function for it. An API key and a customer token act for
 * their own channel (naming another is refused); staff act for every channel and must name one.
 * `requested` is a channel id or code as the caller wrote it; `requestedId` its resolved id when the
 * caller looked it up (a customer token knows only its channel's id).
 */
export function actingChannel(
  subject: Subject | undefined,
  requested?: string | undefined,
  requestedId?: string | undefined,
): string {
  const channel = actingChannelIfAny(subject, requested, requestedId);
  if (!channel) throw problems.field('channel', 'is required: staff act for every channel, so name one');
  return channel;
}

/** As `actingChannel`, where staff may leave the channel open (a catalog read in no channel's prices). */
export function actingChannelIfAny(
  subject: Subject | undefined,
  requested?: string | undefined,
  requestedId?: string | undefined,
): string | undefined {
  if (!subject) throw new AppError('unauthorized', 'a credential is needed');
  if (subject.kind === 'staff') return requested ? (requestedId ?? requested) : undefined;
  if (requested) {
    const own = [subject.channelId, subject.kind === 'api_key' ? subject.channelCode : undefined];
    if (!own.includes(requested) && (requestedId === undefined || requestedId !== subject.channelId))
      throw problems.forbidden(`this credential acts for its own channel, not ${requested}`);
  }
  return subject.channelId;
}

/** The location a credential is bound to (a till key, a store associate), if any. */
export function boundLocation(subject: Subject | undefined): string | null {
  if (!subject || subject.kind === 'customer') return null;
  return subject.locationId;
}
