import { randomBytes } from 'node:crypto';
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

export function listApiKeys(db: Executor) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'channel_id', 'location_id', 'scopes', 'label', 'created_at', 'revoked_at'])
    .orderBy('id')
    .execute();
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
