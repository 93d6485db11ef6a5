/**
 * Identity rules: how identifiers are normalised and how an identification decides between
 * "same person" (link or merge) and "someone else" (a new profile, or a refused merge). Pure: the
 * service loads who owns what and passes it in; nothing here reads a clock or the database.
 */
import type { FieldError } from '../platform/http/problems.js';
import type { Identifier, IdentifierKind } from './types.js';

/**
 * Strong identifiers name one person; weak ones (a device, a browser cookie) may be shared and never
 * glue two known profiles together. The order is the priority in which an identification picks its
 * anchor: an email outranks a phone, since a family often shares a phone but rarely an inbox.
 */
export const STRONG_KINDS: readonly IdentifierKind[] = [
  'email',
  'loyalty_card',
  'pos_customer',
  'marketplace_buyer',
  'phone',
];
export const WEAK_KINDS: readonly IdentifierKind[] = ['device_id', 'anonymous_id'];
const PRIORITY: readonly IdentifierKind[] = [...STRONG_KINDS, ...WEAK_KINDS];

/** At most this many distinct identifiers of a kind on one person (all merged rows together). */
export const KIND_LIMITS: Record<IdentifierKind, number> = {
  email: 1,
  loyalty_card: 1,
  pos_customer: 1,
  marketplace_buyer: 5,
  phone: 2,
  device_id: 10,
  anonymous_id: 50,
};
/** A device linked to this many people is a shop's tablet or a family PC: no more links. */
export const MAX_PROFILES_PER_DEVICE = 3;

const EMAIL = /^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const CODE = /^[A-Za-z0-9][A-Za-z0-9:_.\-/]{0,63}$/;
const OPAQUE = /^[\x21-\x7e]{1,128}$/;

/** The canonical form of an identifier value, or an error message. */
export function normaliseIdentifier(kind: IdentifierKind, raw: string): { value: string } | { error: string } {
  const v = raw.trim();
  switch (kind) {
    case 'email': {
      const e = v.toLowerCase();
      return e.length <= 254 && EMAIL.test(e) ? { value: e } : { error: 'is not a valid email address' };
    }
    case 'phone': {
      let p = v.replace(/[\s().-]/g, '');
      if (p.startsWith('00')) p = `+${p.slice(2)}`;
      return E164.test(p) ? { value: p } : { error: 'is not an international phone number (E.164, e.g. +34600111222)' };
    }
    case 'loyalty_card':
    case 'pos_customer':
    case 'marketplace_buyer':
      return CODE.test(v) ? { value: v } : { error: 'must be 1–64 letters, digits or :_.-/' };
    case 'device_id':
    case 'anonymous_id':
      return OPAQUE.test(v) ? { value: v } : { error: 'must be 1–128 printable characters without spaces' };
  }
}

/** Normalises a map of identifiers (`{ email, phone, … }`), collecting field errors under `prefix`. */
export function normaliseIdentifiers(
  input: Partial<Record<IdentifierKind, string>>,
  prefix: string,
): { identifiers: Identifier[]; errors: FieldError[] } {
  const identifiers: Identifier[] = [];
  const errors: FieldError[] = [];
  for (const kind of PRIORITY) {
    const raw = input[kind];
    if (raw === undefined) continue;
    const n = normaliseIdentifier(kind, raw);
    if ('error' in n) errors.push({ field: `${prefix}/${kind}`, message: n.error });
    else identifiers.push({ kind, value: n.value });
  }
  return { identifiers, errors };
}

export const isStrong = (kind: IdentifierKind): boolean => STRONG_KINDS.includes(kind);
export const identifierKey = (i: { kind: string; value: string }): string => `${i.kind}\u0000${i.value}`;

/** What the service knows about an existing person (a root profile with all its merged rows). */
export interface ProfileSummary {
  rootId: string;
  identifiers: { kind: IdentifierKind; value: string; verified: boolean }[];
  hasAccount: boolean;
}

export type ConflictReason =
  | 'different_verified_emails'
  | 'conflicting_identifiers'
  | 'both_have_accounts'
  | 'identifier_limit'
  | 'anonymous_id_owned'
  | 'device_shared_too_widely';

export interface Conflict {
  /** The other person involved, when there is one. */
  other: string | null;
  reason: ConflictReason;
  detail: string;
  /** Blocking conflicts refuse a strict identification; others are notes (a shared device). */
  blocking: boolean;
}

export interface IdentifyDecision {
  /** The surviving person: an existing root, or null for "create a new profile". */
  anchor: string | null;
  /** Roots to merge into the anchor. */
  merge: string[];
  /** The identifier kind that brought each merged root in (the merge's recorded reason). */
  via: Record<string, IdentifierKind>;
  /** Identifiers to link to the anchor's root row. */
  attach: Identifier[];
  conflicts: Conflict[];
}

interface Group {
  identifiers: { kind: IdentifierKind; value: string; verified: boolean }[];
  hasAccount: boolean;
}

/** Why two people may not become one, or null when they may. */
export function mergeConflict(a: Group, b: Group): { reason: ConflictReason; detail: string } | null {
  if (a.hasAccount && b.hasAccount)
    return { reason: 'both_have_accounts', detail: 'both profiles have a login account' };
  const emailsA = a.identifiers.filter((i) => i.kind === 'email');
  const emailsB = b.identifiers.filter((i) => i.kind === 'email');
  const differentVerified = emailsA.some((x) => x.verified && emailsB.some((y) => y.verified && y.value !== x.value));
  if (differentVerified)
    return { reason: 'different_verified_emails', detail: 'the profiles have different verified email addresses' };
  for (const kind of PRIORITY) {
    const distinct = new Set([...a.identifiers, ...b.identifiers].filter((i) => i.kind === kind).map((i) => i.value));
    if (distinct.size > KIND_LIMITS[kind]) {
      return {
        reason: 'conflicting_identifiers',
        detail: `together they would hold ${distinct.size} ${kind} identifiers (at most ${KIND_LIMITS[kind]})`,
      };
    }
  }
  return null;
}

/**
 * Decides an identification. `given` are normalised identifiers; `owners` maps each identifier key to
 * the roots that own it today (several only for a shared device); `profiles` describes those roots.
 * Identifiers are taken in priority order: the first one names the anchor (its owner, or a new
 * profile when nobody owns it); each later one either is already the anchor's, gets linked, brings
 * its owner in as a merge when the two are compatible, or is refused with the reason.
 */
export function decideIdentify(input: {
  explicitRoot?: string | undefined;
  given: Identifier[];
  owners: ReadonlyMap<string, readonly string[]>;
  profiles: ReadonlyMap<string, ProfileSummary>;
}): IdentifyDecision {
  const given = [...input.given].sort((a, b) => PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind));
  let anchor: string | null | undefined = input.explicitRoot;
  const merge: string[] = [];
  const via: Record<string, IdentifierKind> = {};
  const attach: Identifier[] = [];
  const conflicts: Conflict[] = [];
  const members = new Set<string>(anchor ? [anchor] : []);
  const group: Group = anchor ? clone(input.profiles.get(anchor)) : { identifiers: [], hasAccount: false };

  const absorb = (root: string, kind: IdentifierKind) => {
    const p = input.profiles.get(root);
    members.add(root);
    group.identifiers.push(...(p?.identifiers ?? []));
    group.hasAccount ||= p?.hasAccount ?? false;
    if (anchor === undefined || anchor === null) {
      // a profile that exists outranks one still to be created: it survives, the new identifiers join it
      anchor = root;
    } else {
      merge.push(root);
      via[root] = kind;
    }
  };
  const holds = (i: Identifier) => group.identifiers.some((g) => g.kind === i.kind && g.value === i.value);
  const tryAttach = (i: Identifier): boolean => {
    if (holds(i)) return true;
    const count = new Set(group.identifiers.filter((g) => g.kind === i.kind).map((g) => g.value)).size;
    if (count >= KIND_LIMITS[i.kind]) {
      conflicts.push({
        other: null,
        reason: 'identifier_limit',
        detail: `the profile already holds ${count} ${i.kind} identifier(s) (at most ${KIND_LIMITS[i.kind]})`,
        blocking: isStrong(i.kind),
      });
      return false;
    }
    attach.push(i);
    group.identifiers.push({ kind: i.kind, value: i.value, verified: i.verified ?? false });
    return true;
  };

  for (const id of given) {
    const owners = [...new Set(input.owners.get(identifierKey(id)) ?? [])];
    if (isStrong(id.kind)) {
      const owner = owners[0];
      if (owner === undefined) {
        if (anchor === undefined) anchor = null;
        tryAttach(id);
      } else if (members.has(owner)) {
        continue;
      } else if (anchor === undefined) {
        absorb(owner, id.kind);
      } else {
        const why = mergeConflict(group, input.profiles.get(owner) ?? { identifiers: [], hasAccount: false });
        if (why) conflicts.push({ other: owner, ...why, blocking: true });
        else absorb(owner, id.kind);
      }
      continue;
    }
    // weak identifiers: link, never merge
    if (owners.some((o) => members.has(o))) continue;
    if (id.kind === 'anonymous_id' && owners.length > 0) {
      conflicts.push({
        other: owners[0]!,
        reason: 'anonymous_id_owned',
        detail: 'the anonymous id already belongs to another profile',
        blocking: false,
      });
      continue;
    }
    if (id.kind === 'device_id' && owners.length >= MAX_PROFILES_PER_DEVICE) {
      conflicts.push({
        other: null,
        reason: 'device_shared_too_widely',
        detail: `the device is linked to ${owners.length} profiles already`,
        blocking: false,
      });
      continue;
    }
    if (anchor === undefined) continue; // weak identifiers alone name nobody
    const before = conflicts.length;
    tryAttach(id);
    if (conflicts.length > before) conflicts[conflicts.length - 1]!.blocking = false;
  }

  if (anchor === undefined) anchor = null;
  return { anchor, merge, via, attach, conflicts };
}

function clone(p: ProfileSummary | undefined): Group {
  return { identifiers: [...(p?.identifiers ?? [])], hasAccount: p?.hasAccount ?? false };
}

/** Does the identification name anyone at all? Only strong identifiers or an explicit profile do. */
export function namesSomeone(explicit: boolean, given: Identifier[]): boolean {
  return explicit || given.some((i) => isStrong(i.kind));
}

/**
 * Whether a behaviour event must go through identification (the slow path) rather than be
 * attributed from what the batch's lookup already knows. It must when it tells us something new
 * about a named person: a strong identifier nobody owns, strong identifiers of two people or of
 * someone other than the explicit customer, or an anonymous or device id not yet linked to them.
 * An event that names nobody (no customer id, no strong identifier) never needs it.
 */
export function needsIdentification(e: {
  /** The root of the event's explicit customer id, or null when it gives none. */
  explicitRoot: string | null;
  /** Per strong identifier of the event: the root that owns it, or undefined when nobody does. */
  strongRoots: readonly (string | undefined)[];
  /** The event's anonymous id and whether someone owns it, or null when it has none. */
  anonymous: { owned: boolean } | null;
  /** The event's device id and the roots that own it, or null when it has none. */
  device: { roots: readonly string[] } | null;
}): boolean {
  const roots = new Set(e.strongRoots);
  const named = e.explicitRoot !== null || e.strongRoots.length > 0;
  const strongIsNews =
    e.strongRoots.length > 0 &&
    (roots.has(undefined) || roots.size > 1 || (e.explicitRoot !== null && !roots.has(e.explicitRoot)));
  const anonymousIsNews = named && e.anonymous !== null && !e.anonymous.owned;
  const person = e.explicitRoot ?? e.strongRoots[0];
  const deviceIsNews = named && e.device !== null && !e.device.roots.some((r) => r === person);
  return strongIsNews || anonymousIsNews || deviceIsNews;
}
