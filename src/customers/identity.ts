/**
 * Identity operations inside a caller's transaction: identify (link, create, merge), staff merge and
 * unmerge. The decisions are rules.ts's; this file loads their inputs and applies them.
 */
import type { Tx } from '../platform/db/schema.js';
import { newId } from '../platform/ids.js';
import { emit } from '../platform/events/outbox.js';
import { AppError, problems } from '../platform/http/problems.js';
import * as ids from './identity-store.js';
import * as profiles from './profile-store.js';
import * as events from './events-store.js';
import { decideIdentify, identifierKey, mergeConflict, type Conflict, type ProfileSummary } from './rules.js';
import type { Identifier, IdentifierKind } from './types.js';

export const CUSTOMER_PREFIX = 'cus';

/**
 * Decisions are taken on unlocked reads, then the people involved are locked. If a concurrent
 * merge changed them in between, the decision is stale: this error carries SQLSTATE 40001 so
 * `inTx` rolls back and runs the whole identification again on fresh reads (at most 3 times).
 */
class StaleDecision extends Error {
  readonly code = '40001';
}
async function lockRoots(trx: Tx, roots: string[]): Promise<void> {
  const rows = await ids.lockCustomers(trx, roots);
  if (rows.length !== new Set(roots).size || rows.some((r) => r.status !== 'active' || r.root_id !== r.id))
    throw new StaleDecision('a profile changed during the merge');
}

export interface IdentifyResult {
  customer_id: string;
  created: boolean;
  merged: string[];
  linked: { kind: IdentifierKind; value: string }[];
  conflicts: Conflict[];
}

/** The people (roots) given, described for the rules: all their rows' identifiers and accounts. */
export async function loadProfiles(trx: Tx, roots: string[]): Promise<Map<string, ProfileSummary>> {
  const memberRows = await ids.membersOfRoots(trx, roots);
  const rows = memberRows.length
    ? await trx
        .selectFrom('customers')
        .select(['id', 'root_id', 'password_hash'])
        .where(
          'id',
          'in',
          memberRows.map((m) => m.id),
        )
        .execute()
    : [];
  const idents = await ids.identifiersOf(
    trx,
    rows.map((r) => r.id),
  );
  const rootOf = new Map(rows.map((r) => [r.id, r.root_id]));
  const out = new Map<string, ProfileSummary>(roots.map((r) => [r, { rootId: r, identifiers: [], hasAccount: false }]));
  for (const r of rows) if (r.password_hash) out.get(r.root_id)!.hasAccount = true;
  for (const i of idents)
    out
      .get(rootOf.get(i.customer_id)!)
      ?.identifiers.push({ kind: i.kind as IdentifierKind, value: i.value, verified: i.verified });
  return out;
}

/** The root's analytics flag follows the latest analytics consent among its rows. */
export async function refreshFlags(trx: Tx, root: string): Promise<void> {
  const memberIds = (await ids.members(trx, root)).map((m) => m.id);
  const latest = (await profiles.consents(trx, memberIds))
    .filter((c) => c.purpose === 'analytics')
    .sort((a, b) => b.updated_at.getTime() - a.updated_at.getTime())[0];
  await ids.updateCustomer(trx, root, { analytics_denied: latest ? !latest.granted : false });
}

/**
 * Decides and applies one identification. Strict mode (the identify endpoint, staff) refuses
 * with `merge_blocked` when a blocking conflict exists and changes nothing (the caller records the
 * conflict in its own transaction); lenient mode (events) applies what is safe and records the rest.
 */
export async function identifyInTx(
  trx: Tx,
  at: Date,
  input: {
    identifiers: Identifier[];
    explicitRoot?: string;
    strict: boolean;
    source: string;
    verifiedKinds?: IdentifierKind[];
    names?: { first_name?: string; last_name?: string };
    passwordHash?: string;
  },
): Promise<IdentifyResult> {
  const ownerRows = await ids.owners(trx, input.identifiers);
  const owners = new Map<string, string[]>();
  for (const o of ownerRows) owners.set(identifierKey(o), [...(owners.get(identifierKey(o)) ?? []), o.root_id]);
  const roots = [...new Set([...ownerRows.map((o) => o.root_id), ...(input.explicitRoot ? [input.explicitRoot] : [])])];
  const known = await loadProfiles(trx, roots);
  if (input.passwordHash) {
    // registering: the account holder's profile must not already have a login
    for (const p of known.values())
      if (p.hasAccount)
        throw problems.duplicate('an account with this email exists', [
          { field: 'email', message: 'already registered' },
        ]);
  }
  const verified = new Set(input.verifiedKinds ?? []);
  const given = input.identifiers.map((i) => ({ ...i, verified: i.verified ?? verified.has(i.kind) }));
  const decision = decideIdentify({ explicitRoot: input.explicitRoot, given, owners, profiles: known });
  const blocking = decision.conflicts.filter((c) => c.blocking);
  if (input.strict && blocking.length)
    throw new AppError('merge_blocked', blocking.map((c) => c.detail).join('; '), {
      conflicts: blocking.map(({ other, reason, detail }) => ({ other_customer_id: other, reason, detail })),
    });

  // Lock the people involved in id order so two concurrent merges cannot interleave.
  await lockRoots(trx, [...(decision.anchor ? [decision.anchor] : []), ...decision.merge]);
  let anchor = decision.anchor;
  const created = anchor === null;
  if (anchor === null) {
    anchor = newId(CUSTOMER_PREFIX, at.getTime());
    await ids.insertCustomer(trx, {
      id: anchor,
      first_name: input.names?.first_name ?? null,
      last_name: input.names?.last_name ?? null,
      password_hash: input.passwordHash ?? null,
      at,
    });
    await emit(
      trx,
      { type: 'customer.created', aggregateId: anchor, payload: { customer_id: anchor, source: input.source } },
      at,
    );
  } else if (input.passwordHash) {
    await ids.updateCustomer(trx, anchor, {
      password_hash: input.passwordHash,
      updated_at: at,
      ...(input.names?.first_name ? { first_name: input.names.first_name } : {}),
      ...(input.names?.last_name ? { last_name: input.names.last_name } : {}),
    });
  }
  await ids.insertIdentifiers(
    trx,
    decision.attach.map((i) => ({
      kind: i.kind,
      value: i.value,
      customer_id: anchor,
      verified: i.verified ?? false,
      created_at: at,
      source: input.source,
    })),
  );
  for (const i of given)
    if (i.verified && !decision.attach.some((a) => a.kind === i.kind && a.value === i.value)) {
      const row = ownerRows.find((o) => o.kind === i.kind && o.value === i.value && o.root_id === anchor);
      if (row) await ids.markVerified(trx, row.customer_id, i.kind, i.value);
    }
  for (const absorbed of decision.merge)
    await mergeInTx(trx, at, anchor, absorbed, `${decision.via[absorbed] ?? 'identifier'} matched (${input.source})`);

  const weak = decision.attach.filter((i) => i.kind === 'anonymous_id' || i.kind === 'device_id');
  if (weak.length) {
    await events.attachAnonymous(
      trx,
      anchor,
      weak.filter((i) => i.kind === 'anonymous_id').map((i) => i.value),
      weak.filter((i) => i.kind === 'device_id').map((i) => i.value),
    );
  }
  if (decision.merge.length) await refreshFlags(trx, anchor);
  const recorded = decision.conflicts.filter((c) => c.other !== null || c.blocking);
  await ids.insertConflicts(
    trx,
    recorded.map((c) => ({
      id: newId('cmc', at.getTime()),
      customer_a: anchor,
      customer_b: c.other ?? '',
      reason: c.reason,
      detail: c.detail,
      source: input.source,
      created_at: at,
    })),
  );
  if (decision.attach.length || decision.merge.length) {
    await emit(
      trx,
      {
        type: 'customer.identified',
        aggregateId: anchor,
        payload: { customer_id: anchor, merged: decision.merge, kinds: decision.attach.map((i) => i.kind) },
      },
      at,
    );
  }
  return {
    customer_id: anchor,
    created,
    merged: decision.merge,
    linked: decision.attach.map(({ kind, value }) => ({ kind, value })),
    conflicts: decision.conflicts,
  };
}

/** Merges person `absorbed` into person `survivor` (both roots, locked by the caller). */
export async function mergeInTx(trx: Tx, at: Date, survivor: string, absorbed: string, reason: string): Promise<void> {
  const moved = await ids.reroot(trx, absorbed, survivor, at);
  await ids.updateCustomer(trx, absorbed, { status: 'merged', merged_into: survivor, updated_at: at });
  const id = newId('mrg', at.getTime());
  await ids.insertMerge(trx, {
    id,
    survivor_id: survivor,
    absorbed_id: absorbed,
    reason,
    snapshot: { members: moved },
    created_at: at,
  });
  await emit(
    trx,
    {
      type: 'customer.merged',
      aggregateId: survivor,
      payload: { merge_id: id, survivor_id: survivor, absorbed_id: absorbed, member_ids: moved },
    },
    at,
  );
}

/** Staff merge of two named people, refused (with the reason) when the rules say they differ. */
export async function staffMergeInTx(
  trx: Tx,
  at: Date,
  survivorId: string,
  otherId: string,
  by: string,
): Promise<{ survivor: string; absorbed: string }> {
  const [a, b] = await Promise.all([ids.getCustomer(trx, survivorId), ids.getCustomer(trx, otherId)]);
  if (!a || a.status === 'erased') throw problems.notFound('customer', survivorId);
  if (!b || b.status === 'erased') throw problems.notFound('customer', otherId);
  if (a.root_id === b.root_id) throw problems.conflict(`${survivorId} and ${otherId} are already one customer`);
  const known = await loadProfiles(trx, [a.root_id, b.root_id]);
  const why = mergeConflict(known.get(a.root_id)!, known.get(b.root_id)!);
  if (why) throw new AppError('merge_blocked', why.detail, { conflicts: [{ other_customer_id: b.root_id, ...why }] });
  await lockRoots(trx, [a.root_id, b.root_id]);
  await mergeInTx(trx, at, a.root_id, b.root_id, `staff merge by ${by}`);
  await refreshFlags(trx, a.root_id);
  return { survivor: a.root_id, absorbed: b.root_id };
}

/** Undoes the merge that absorbed `id`: it and everything merged into it resolve to it again. */
export async function unmergeInTx(
  trx: Tx,
  at: Date,
  id: string,
  by: string,
): Promise<{ customer_id: string; survivor_id: string }> {
  const row = await ids.getCustomer(trx, id);
  if (!row || row.status === 'erased') throw problems.notFound('customer', id);
  const merge = await ids.activeMergeOf(trx, id);
  if (row.status !== 'merged' || !merge) throw problems.conflict(`customer ${id} is not merged into another`);
  const survivorRoot = row.root_id;
  const locked = await ids.lockCustomers(trx, [survivorRoot, id]);
  if (locked.find((r) => r.id === id)?.root_id !== survivorRoot)
    throw new StaleDecision('the profile changed during the unmerge');
  const sub = await ids.subtree(trx, id);
  await ids.setRoot(trx, sub, id, at);
  await ids.updateCustomer(trx, id, { status: 'active', merged_into: null, updated_at: at });
  await ids.markMergeUndone(trx, merge.id, at, by);
  await refreshFlags(trx, id);
  await refreshFlags(trx, survivorRoot);
  await emit(
    trx,
    {
      type: 'customer.unmerged',
      aggregateId: id,
      payload: { customer_id: id, survivor_id: survivorRoot, merge_id: merge.id, member_ids: sub },
    },
    at,
  );
  return { customer_id: id, survivor_id: survivorRoot };
}
