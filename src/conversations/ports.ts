import type { CartActor, Handoff } from '../carts/index.js';
import type { Executor } from '../platform/db/schema.js';

/** The carts module's hand-off: the agent's cart becomes a code the shopper's page claims. */
export interface ConversationsCartsPort {
  handoff(actor: CartActor, cartId: string): Promise<Handoff>;
}

/** Who a conversation belongs to (the customers module). */
export interface ConversationsCustomersPort {
  /** The surviving id of a (possibly merged) customer; undefined when unknown or erased. */
  resolve(id: string, opts?: { trx?: Executor }): Promise<string | undefined>;
  /** Every profile row of the person (the surviving id and the ones merged into it), for their transcripts. */
  personRows(id: string): Promise<string[]>;
  /** The person who owns this e-mail, if any; never creates or merges anyone. */
  personByEmail(email: string): Promise<string | undefined>;
}

export interface ConversationsDeps {
  carts: ConversationsCartsPort;
  customers: ConversationsCustomersPort;
  nudge?: () => void;
}
