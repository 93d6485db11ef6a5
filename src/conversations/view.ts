/** Rows → API shapes, and the conversation as the policy and the carts module see it. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Resource } from '../platform/auth/policy.js';
import type { Principal } from '../platform/http/auth-model.js';
import { AppError } from '../platform/http/problems.js';
import type { CartActor } from '../carts/index.js';
import type { ConversationRow, MessageRow } from './store.js';
import type { Conversation, ConversationMessage, ConversationStatus, HandedCart, MessageAuthor } from './types.js';

export function toConversation(r: ConversationRow): Conversation {
  return {
    id: r.id,
    channel_id: r.channel_id,
    customer_id: r.customer_id,
    customer_verified: r.customer_verified,
    shopper_name: r.shopper_name,
    shopper_email: r.shopper_email,
    status: r.status as ConversationStatus,
    assigned_to: r.assigned_to,
    assigned_at: r.assigned_at?.toISOString() ?? null,
    closed_at: r.closed_at?.toISOString() ?? null,
    version: r.version,
    last_seq: r.last_seq,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}

export function toMessage(m: MessageRow): ConversationMessage {
  const cart = (typeof m.cart === 'string' ? JSON.parse(m.cart) : m.cart) as HandedCart | null;
  return {
    seq: m.seq,
    author: m.author as MessageAuthor,
    staff_id: m.staff_id,
    kind: m.kind as ConversationMessage['kind'],
    body: m.body,
    cart: cart ?? null,
    created_at: m.created_at.toISOString(),
  };
}

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Does the presented token open this conversation? Compared in constant time. */
export function tokenOpens(row: ConversationRow, token: string | undefined): boolean {
  if (!token || token.length > 200) return false;
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(row.token_hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The conversation as the policy sees it. Its customer counts only when verified (the shopper's own
 * login or an agent's check): a typed e-mail must not give that person's token someone else's chat.
 */
export const conversationResource = (row: ConversationRow, secretHeld: boolean, customerId?: string): Resource => ({
  kind: 'conversation',
  id: row.id,
  channelId: row.channel_id,
  customerId: row.customer_verified ? (customerId ?? row.customer_id) : null,
  secretHeld,
});

/** Which side writes: shoppers (publishable keys, customer tokens) or the shop (staff, secret keys). */
export function authorOf(p: Principal | undefined): MessageAuthor {
  if (!p) throw new AppError('unauthorized', 'a credential is needed');
  if (p.kind === 'customer' || (p.kind === 'api_key' && p.keyKind === 'publishable')) return 'shopper';
  return 'agent';
}

/** The agent acting for the carts module (the hand-off is authorized there, on the cart). */
export function cartActorOf(p: Principal): CartActor {
  if (p.kind === 'customer') return { kind: 'customer', id: p.id, customerId: p.customerId, channelId: p.channelId };
  if (p.kind === 'api_key')
    return { kind: 'api_key', id: p.id, keyKind: p.keyKind, channelId: p.channelId, locationId: p.locationId };
  return { kind: 'staff', id: p.id, role: p.role, locationId: p.locationId };
}
