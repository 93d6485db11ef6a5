export interface ConversationsTable {
  id: string;
  channel_id: string;
  customer_id: string | null;
  customer_verified: boolean;
  token_hash: string;
  shopper_name: string | null;
  shopper_email: string | null;
  status: string;
  assigned_to: string | null;
  assigned_at: Date | null;
  closed_at: Date | null;
  version: number;
  last_seq: number;
  created_at: Date;
  updated_at: Date;
}
export interface ConversationMessagesTable {
  conversation_id: string;
  seq: number;
  author: string;
  staff_id: string | null;
  kind: string;
  body: string;
  cart: unknown;
  created_at: Date;
}

declare module '../platform/db/schema.js' {
  interface DB {
    conversations: ConversationsTable;
    conversation_messages: ConversationMessagesTable;
  }
}
