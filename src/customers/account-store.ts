/** SQL of customer accounts: one-time codes and the message locale (migrations/4200_customer_accounts.sql). */
import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';

export interface CustomerAccountCodesTable {
  id: string;
  purpose: string;
  email: string;
  channel_id: string;
  customer_id: string | null;
  code_hash: string;
  code_sealed: string | null;
  password_hash: string | null;
  first_name: string | null;
  last_name: string | null;
  locale: string | null;
  attempts: number;
  expires_at: Date;
  used_at: Date | null;
  created_at: Date;
}
export interface CustomerLocalesTable {
  customer_id: string;
  locale: string;
  source: string;
  updated_at: Date;
}

declare module '../platform/db/schema.js' {
  interface DB {
    customer_account_codes: CustomerAccountCodesTable;
    customer_locales: CustomerLocalesTable;
  }
}

export type CodeRow = Selectable<CustomerAccountCodesTable>;

export async function insertCode(db: Executor, row: Insertable<CustomerAccountCodesTable>): Promise<void> {
  await db.insertInto('customer_account_codes').values(row).execute();
}

/** The newest code of an address for these purposes, locked: two guesses at once count twice. */
export function latestCode(db: Executor, email: string, purposes: string[]): Promise<CodeRow | undefined> {
  return db
    .selectFrom('customer_account_codes')
    .selectAll()
    .where('email', '=', email)
    .where('purpose', 'in', purposes)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

export function getCode(db: Executor, id: string): Promise<CodeRow | undefined> {
  return db.selectFrom('customer_account_codes').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countAttempt(db: Executor, id: string): Promise<void> {
  await db
    .updateTable('customer_account_codes')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/** Used: the code opens nothing again, and the pending password leaves the row. */
export async function markUsed(db: Executor, id: string, at: Date): Promise<void> {
  await db
    .updateTable('customer_account_codes')
    .set({ used_at: at, password_hash: null, code_sealed: null })
    .where('id', '=', id)
    .execute();
}

/**
 * Older open codes of the address stop working when a new one is issued (one live code at a time).
 * Their sealed copy stays until purged, so a notice not mailed yet still goes (codeMail decides).
 */
export async function retireOpenCodes(db: Executor, email: string, at: Date): Promise<void> {
  await db
    .updateTable('customer_account_codes')
    .set({ used_at: at, password_hash: null })
    .where('email', '=', email)
    .where('used_at', 'is', null)
    .execute();
}

/** The mail has left: the readable copy of the code goes. */
export async function forgetSealed(db: Executor, id: string): Promise<void> {
  await db.updateTable('customer_account_codes').set({ code_sealed: null }).where('id', '=', id).execute();
}

/** Erasure: the person's codes (by address or id) go with them. */
export async function eraseCodes(db: Executor, emails: string[], customerIds: string[]): Promise<void> {
  if (emails.length) await db.deleteFrom('customer_account_codes').where('email', 'in', emails).execute();
  if (customerIds.length) {
    await db.deleteFrom('customer_account_codes').where('customer_id', 'in', customerIds).execute();
    await db.deleteFrom('customer_locales').where('customer_id', 'in', customerIds).execute();
  }
}

export function localeOf(db: Executor, customerId: string): Promise<{ locale: string; source: string } | undefined> {
  return db
    .selectFrom('customer_locales')
    .select(['locale', 'source'])
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
}

export async function setLocale(
  db: Executor,
  row: { customer_id: string; locale: string; source: string; updated_at: Date },
): Promise<void> {
  await db
    .insertInto('customer_locales')
    .values(row)
    .onConflict((oc) =>
      oc.column('customer_id').doUpdateSet({ locale: row.locale, source: row.source, updated_at: row.updated_at }),
    )
    .execute();
}

export async function purgeExpired(db: Executor, before: Date): Promise<void> {
  await db.deleteFrom('customer_account_codes').where('expires_at', '<', before).execute();
}
