import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http/app.js';
import { authorizeResource } from '../platform/auth/policy.js';
import { errorResponses, Strict, Timestamp } from '../platform/http/schemas.js';
import type { StoreCreditService } from './store-credit.js';

export const StoreCreditAccountSchema = Type.Object({
  id: Type.String(),
  customer_id: Type.Union([Type.String(), Type.Null()]),
  gift_card: Type.Boolean(),
  code_last4: Type.Union([Type.String(), Type.Null()]),
  balance: Type.Object({ amount: Type.Integer(), currency: Type.String() }),
  created_at: Timestamp,
});

/** Store credit balances: a till or the contact center checks a gift card by its code; a customer sees their own. */
export async function storeCreditRoutes(app: App, { storeCredit }: { storeCredit: StoreCreditService }): Promise<void> {
  app.post(
    '/v1/store-credit/lookup',
    {
      config: { auth: { scope: 'orders:read' } },
      schema: {
        tags: ['store-credit'],
        summary: 'A gift card’s balance by its code',
        body: Strict({ code: Type.String({ minLength: 4, maxLength: 40 }) }),
        response: { 200: StoreCreditAccountSchema, ...errorResponses(403, 404) },
      },
    },
    async (req) => {
      // A gift card belongs to whoever holds the code, like a customer anyone at a counter may serve.
      authorizeResource(req.principal, 'read', { kind: 'customer', customerId: null });
      return storeCredit.byCode(req.body.code);
    },
  );

  app.get(
    '/v1/store-credit/accounts',
    {
      config: { auth: { scope: 'customers:read', customer: true } },
      schema: {
        tags: ['store-credit'],
        summary: 'A customer’s store credit balances (one account per currency)',
        querystring: Type.Object({ customer_id: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: Type.Object({ items: Type.Array(StoreCreditAccountSchema) }), ...errorResponses(403, 404) },
      },
    },
    async (req) => {
      const id = req.query.customer_id;
      authorizeResource(req.principal, 'read', { kind: 'customer', id, customerId: id });
      return { items: await storeCredit.ofCustomer(id) };
    },
  );
}
