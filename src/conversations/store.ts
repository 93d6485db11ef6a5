/** The SQL of conversations. Only this module reads or writes these tables. */
import { sql } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import type { ConversationsTable, ConversationMessagesTable } from './tables.js';
import type { ConversationStatus } from './types.js';

export type ConversationRow = ConversationsTable;
export type MessageRow = ConversationMessagesTable;

export async function insert(db: Executor, row: ConversationRow): Promise<void> {
  await db.insertInto('conversations').values(row).execute();
}

export async function get(db: Executor, id: string, lock = false): Promise<ConversationRow | undefined> {
  let q = db.selectFrom('conversations').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Appends a message under the conversation's row lock (the caller holds it): seq is last_seq + 1. */
export async function append(
  db: Executor,
  c: ConversationRow,
  m: Omit<MessageRow, 'conversation_id' | 'seq'>,
): Promise<MessageRow> {
  const row: MessageRow = { ...m, conversation_id: c.id, seq: c.last_seq + 1 };
  await db
    .insertInto('conversation_messages')
    .values({ ...row, cart: row.cart === null ? null : JSON.stringify(row.cart) })
    .execute();
  await db
    .updateTable('conversations')
    .set({ last_seq: row.seq, version: sql`version + 1`, updated_at: m.created_at })
    .where('id', '=', c.id)
    .execute();
  c.last_seq = row.seq;
  return row;
}

export async function update(
  db: Executor,
  id: string,
  patch: Partial<Omit<ConversationRow, 'id' | 'version' | 'last_seq'>>,
): Promise<void> {
  await db
    .updateTable('conversations')
    .set({ ...patch, version: sql`version + 1` })
    .where('id', '=', id)
    .execute();
}

export async function messagesAfter(db: Executor, id: string, after: number, limit: number): Promise<MessageRow[]> {
  return db
    .selectFrom('conversation_messages')
    .selectAll()
    .where('conversation_id', '=', id)
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function list(
  db: Executor,
  f: {
    status?: ConversationStatus;
    assignedTo?: string;
    channelId?: string;
    customerIds?: string[];
    verifiedOnly?: boolean;
    order: 'asc' | 'desc';
    after?: string;
    limit: number;
  },
): Promise<ConversationRow[]> {
  let q = db.selectFrom('conversations').selectAll();
  if (f.status) q = q.where('status', '=', f.status);
  if (f.assignedTo) q = q.where('assigned_to', '=', f.assignedTo);
  if (f.channelId) q = q.where('channel_id', '=', f.channelId);
  if (f.customerIds) q = q.where('customer_id', 'in', f.customerIds.length ? f.customerIds : ['']);
  if (f.verifiedOnly) q = q.where('customer_verified', '=', true);
  if (f.after) q = q.where('id', f.order === 'asc' ? '>' : '<', f.after);
  return q.orderBy('id', f.order).limit(f.limit).execute();
}

/** The versions of the conversations live readers of this process follow (one probe per poll). */
export async function versions(db: Executor, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('conversations').select(['id', 'version']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.version]));
}

/** Every conversation of these profile rows with its messages (GDPR access). */
export async function ofCustomers(db: Executor, customerIds: string[]): Promise<ConversationRow[]> {
  if (customerIds.length === 0) return [];
  return db.selectFrom('conversations').selectAll().where('customer_id', 'in', customerIds).orderBy('id').execute();
}

export async function messagesOf(db: Executor, ids: string[]): Promise<MessageRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('conversation_messages')
    .selectAll()
    .where('conversation_id', 'in', ids)
    .orderBy('conversation_id')
    .orderBy('seq')
    .execute();
}

/** Erasure: the transcripts go with the person (messages by cascade). */
export async function eraseCustomers(db: Executor, customerIds: string[]): Promise<number> {
  if (customerIds.length === 0) return 0;
  const res = await db.deleteFrom('conversations').where('customer_id', 'in', customerIds).executeTakeFirst();
  return Number(res.numDeletedRows);
}
