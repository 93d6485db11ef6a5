import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../db/schema.js';
import './tables.js';

export async function getOrCreateTokenSecret(db: Executor): Promise<string> {
  await db
    .insertInto('platform_settings')
    .values({ key: 'token_secret', value: randomBytes(48).toString('base64url') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db
    .selectFrom('platform_settings')
    .select('value')
    .where('key', '=', 'token_secret')
    .executeTakeFirstOrThrow();
  return row.value;
}

export function findStaffByEmail(db: Executor, email: string) {
  return db.selectFrom('staff_users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export function findStaffById(db: Executor, id: string) {
  return db.selectFrom('staff_users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertStaff(
  db: Executor,
  row: { id: string; email: string; password_hash: string; role: string; location_id: string | null },
): Promise<void> {
  await db
    .insertInto('staff_users')
    .values({ ...row, email: row.email.toLowerCase() })
    .execute();
}

export function listStaff(db: Executor) {
  return db
    .selectFrom('staff_users')
    .select(['id', 'email', 'role', 'location_id', 'disabled', 'created_at'])
    .orderBy('id')
    .execute();
}

export async function insertApiKey(
  db: Executor,
  row: {
    id: string;
    kind: 'publishable' | 'secret';
    channel_id: string;
    location_id: string | null;
    scopes: string[];
    secret_hash: string;
    label: string | null;
  },
): Promise<void> {
  await db.insertInto('api_keys').values(row).execute();
}

export function findApiKey(db: Executor, id: string) {
  return db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listApiKeys(db: Executor, channelId?: string) {
  let q = db
    .selectFrom('api_keys')
    .select(['id', 'kind', 'channel_id', 'location_id', 'scopes', 'label', 'created_at', 'revoked_at']);
  if (channelId) q = q.where('channel_id', '=', channelId);
  return q.orderBy('id').execute();
}

export async function revokeApiKey(db: Executor, id: string, at: Date): Promise<boolean> {
  const res = await db
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** What may have revoked a token: its subject's not-before time and whether its own session was ended. */
export async function sessionState(
  db: Executor,
  subject: string,
  sid: string,
): Promise<{ notBefore: Date | null; sessionRevoked: boolean }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('auth_revocations').select('not_before').where('subject', '=', subject).as('not_before'),
      eb.exists(eb.selectFrom('auth_revoked_sessions').select('sid').where('sid', '=', sid)).as('revoked'),
    ])
    .executeTakeFirstOrThrow();
  return { notBefore: row.not_before ? new Date(row.not_before) : null, sessionRevoked: Boolean(row.revoked) };
}

export async function revokeSession(
  db: Executor,
  row: { sid: string; subject: string; expires_at: Date; revoked_at: Date },
): Promise<void> {
  await db
    .insertInto('auth_revoked_sessions')
    .values(row)
    .onConflict((oc) => oc.column('sid').doNothing())
    .execute();
}

/** Refuses every token of these subjects issued at or before `at` (never moves an existing mark back). */
export async function revokeSubjects(db: Executor, subjects: string[], at: Date): Promise<void> {
  if (subjects.length === 0) return;
  await db
    .insertInto('auth_revocations')
    .values(subjects.map((subject) => ({ subject, not_before: at })))
    .onConflict((oc) =>
      oc.column('subject').doUpdateSet({ not_before: sql`greatest(auth_revocations.not_before, excluded.not_before)` }),
    )
    .execute();
}

/** Drops what no live token can need any more: ended sessions past their expiry, marks older than any token. */
export async function purgeRevocations(db: Executor, now: Date, maxTokenAgeMs: number): Promise<number> {
  const a = await db.deleteFrom('auth_revoked_sessions').where('expires_at', '<', now).executeTakeFirst();
  const b = await db
    .deleteFrom('auth_revocations')
    .where('not_before', '<', new Date(now.getTime() - maxTokenAgeMs))
    .executeTakeFirst();
  return Number(a.numDeletedRows) + Number(b.numDeletedRows);
}

export async function updateStaff(
  db: Executor,
  id: string,
  patch: { role?: string; location_id?: string | null; disabled?: boolean },
): Promise<void> {
  await db.updateTable('staff_users').set(patch).where('id', '=', id).execute();
}
