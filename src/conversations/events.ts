import { Type } from '@sinclair/typebox';
import { defineEvents, type PayloadsOf } from '../platform/events/types.js';

const Str = Type.String();
const Nullable = Type.Union([Str, Type.Null()]);
// No message text in events: the outbox and webhooks outlive an erasure, transcripts must not.
const base = { conversation_id: Str, channel: Type.String({ description: 'channel id' }), customer_id: Nullable };

/** The events conversations emit (see docs/events.md). */
export const conversationEvents = defineEvents({
  'conversation.opened': Type.Object(base, {
    description: 'A shopper opened a webchat conversation; it waits for an agent.',
  }),
  'conversation.assigned': Type.Object(
    { ...base, agent: Str },
    { description: 'An agent took a waiting conversation (or answered it, which takes it).' },
  ),
  'conversation.cart_handed_over': Type.Object(
    { ...base, agent: Str, cart_id: Str },
    { description: 'An agent handed a cart to the shopper in the chat (a hand-off code the shopper’s page claims).' },
  ),
  'conversation.closed': Type.Object(
    { ...base, by: Str },
    { description: 'The shopper or the agent closed the conversation.' },
  ),
});

declare module '../platform/events/types.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the members
  interface EventMap extends PayloadsOf<typeof conversationEvents> {}
}
