/**
 * Webchat's wiring, kept out of services.ts (issue 19): conversations over the carts' hand-off and
 * the identity graph; transcripts belong to the person, so they are erased with them (a named
 * consumer of `customer.erased`) and exported with them (`exportOf`). Called by composeServices.
 */
import type { Ctx } from '../context.js';
import { erasedCustomerIds, type CustomersService } from '../customers/index.js';
import type { ConversationsCartsPort } from './ports.js';
import { ConversationsService } from './service.js';

export function composeConversations(
  ctx: Ctx,
  deps: {
    carts: ConversationsCartsPort;
    customers: Pick<CustomersService, 'resolve' | 'get' | 'personIdsByIdentifier'>;
  },
): ConversationsService {
  const { customers } = deps;
  const conversations = new ConversationsService(ctx.db, ctx.clock, {
    carts: { handoff: (actor, cartId) => deps.carts.handoff(actor, cartId) },
    customers: {
      resolve: (id, o) => customers.resolve(id, o),
      personRows: async (id) => {
        const person = await customers.get(id);
        return [person.id, ...person.merged_ids];
      },
      personByEmail: async (email) => {
        const [row] = await customers.personIdsByIdentifier('email', email);
        return row ? customers.resolve(row) : undefined;
      },
    },
    nudge: () => ctx.bus.nudge(),
  });
  // Named: its delivery rows keep their consumer whatever is wired before it.
  ctx.bus.subscribe(
    'customer.erased',
    async (e, trx) => {
      const ids = erasedCustomerIds(e.data);
      await conversations.erase(ids, trx);
    },
    { name: 'conversations.erase' },
  );
  return conversations;
}
