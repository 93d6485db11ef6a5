/**
 * What an API key may be minted with. Pure: the service resolves the channel and location first.
 * Refuse, never clamp: a publishable key asked for a scope beyond its fixed set, or a creator asking
 * for more than it holds, is a 400/403 naming the scopes, not a quietly smaller key.
 */
import { AppError, problems } from '../http/problems.js';
import {
  PUBLISHABLE_SCOPES,
  SCOPES,
  type ApiKeyKind,
  type Principal,
  type Role,
  type Scope,
  ROLE_SCOPES,
} from '../http/auth-model.js';

/** Who mints: a principal from a request, or the operator at the command line (holds everything). */
export type Creator = Principal | 'operator';

export function keyScopes(kind: ApiKeyKind, requested: readonly string[] | undefined, creator: Creator): Scope[] {
  const unknown = (requested ?? []).filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length) throw problems.field('scopes', `unknown scopes: ${unknown.join(', ')}`);
  let scopes: Scope[];
  if (kind === 'publishable') {
    // Its rights are fixed; naming a subset is allowed (and changes nothing), naming more is refused.
    const beyond = (requested ?? []).filter((s) => !PUBLISHABLE_SCOPES.includes(s as Scope));
    if (beyond.length)
      throw problems.field(
        'scopes',
        `a publishable key is public and has fixed rights (${PUBLISHABLE_SCOPES.join(', ')}); ` +
          `not allowed: ${beyond.join(', ')}. Use a secret key on a server for those`,
      );
    scopes = [...PUBLISHABLE_SCOPES];
  } else {
    if (!requested || requested.length === 0) throw problems.field('scopes', 'a secret key needs at least one scope');
    scopes = [...new Set(requested)] as Scope[];
  }
  assertHolds(creator, scopes);
  return scopes;
}

/** No escalation: a creator grants only scopes it holds itself (api_keys:manage or staff:manage give no more). */
export function assertHolds(creator: Creator, scopes: readonly Scope[]): void {
  if (creator === 'operator') return;
  const missing = scopes.filter((s) => !creator.scopes.has(s));
  if (missing.length)
    throw new AppError('forbidden', `you cannot grant scopes you do not hold: ${missing.join(', ')}`, {
      missing_scopes: missing,
    });
}

/** A key minted by a key stays in that key's channel (and store); staff and the operator choose freely. */
export function assertKeyPlacement(creator: Creator, channelId: string, locationId: string | null): void {
  if (creator === 'operator' || creator.kind !== 'api_key') return;
  if (creator.channelId !== channelId)
    throw new AppError('forbidden', 'an API key can mint keys for its own channel only');
  if (creator.locationId && creator.locationId !== locationId)
    throw new AppError('forbidden', `an API key bound to location ${creator.locationId} mints keys bound to it`);
}

/** Creating a staff user grants its role's scopes: the creator must hold them all. */
export function assertCanGrantRole(creator: Creator, role: Role): void {
  assertHolds(creator, ROLE_SCOPES[role]);
}
