export const CONVERSATION_STATUSES = ['waiting', 'open', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
export const MESSAGE_AUTHORS = ['shopper', 'agent', 'system'] as const;
export type MessageAuthor = (typeof MESSAGE_AUTHORS)[number];
export const MESSAGE_KINDS = ['text', 'cart', 'event'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
/** The agents' queue views: unassigned ones, the caller's own open ones, closed ones. */
export const QUEUE_VIEWS = ['waiting', 'mine', 'closed'] as const;
export type QueueView = (typeof QUEUE_VIEWS)[number];

/** A cart an agent built and handed over: the shopper's page claims it with the hand-off code. */
export interface HandedCart {
  cart_id: string;
  code: string;
  expires_at: string;
}

export interface ConversationMessage {
  seq: number;
  author: MessageAuthor;
  staff_id: string | null;
  kind: MessageKind;
  body: string;
  cart: HandedCart | null;
  created_at: string;
}

export interface Conversation {
  id: string;
  channel_id: string;
  customer_id: string | null;
  /** True when the person is known from the shopper's own login or an agent's check, not only a typed e-mail. */
  customer_verified: boolean;
  shopper_name: string | null;
  shopper_email: string | null;
  status: ConversationStatus;
  assigned_to: string | null;
  assigned_at: string | null;
  closed_at: string | null;
  version: number;
  last_seq: number;
  created_at: string;
  updated_at: string;
}
