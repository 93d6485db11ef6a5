/**
 * HTTP of the contact-center desk: search, the one-call 360, notes. Scopes here; which people a
 * caller may find or open is the policy's (listScope for the search, authorizeResource per person).
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http/app.js';
import { errorResponses } from '../platform/http/schemas.js';
import { listScope } from '../platform/auth/policy.js';
import type { Principal } from '../platform/http/auth-model.js';
import type { CustomersService } from './service.js';
import type { CustomerDesk } from './desk.js';
import { IdParam } from './schemas.js';
import { Desk360Schema, NoteBody, NoteCreated, NoteSchema, SearchQuery, SearchResponse } from './desk-schemas.js';

const actor = (p: Principal | undefined) => (p ? `${p.kind}:${p.id}` : 'anonymous');

export async function customerDeskRoutes(
  app: App,
  { customers, customerDesk }: { customers: CustomersService; customerDesk: CustomerDesk },
): Promise<void> {
  const tags = ['customers'];

  app.get(
    '/v1/customers',
    {
      config: { auth: { scope: 'customers:read' } },
      schema: {
        tags,
        summary: 'Find a customer by e-mail, phone (any format), loyalty card, order number or name',
        querystring: SearchQuery,
        response: { 200: SearchResponse, ...errorResponses(400, 403) },
      },
    },
    async (req) => {
      const scope = listScope(req.principal, 'customer');
      const res = await customerDesk.search(req.query.query, req.query.limit ?? 20, scope);
      return { items: res.items, next_cursor: null, read_as: res.read_as };
    },
  );

  app.get(
    '/v1/customers/:id/360',
    {
      config: { auth: { scope: 'customers:read' } },
      schema: {
        tags,
        summary:
          'The agent’s 360 in one answer: profile, orders and returns of every channel, merges with evidence, notes, recommendations',
        params: IdParam,
        response: { 200: Desk360Schema, ...errorResponses(403, 404) },
      },
    },
    async (req) => {
      await customers.assertAccess(req.principal, req.params.id);
      return customerDesk.view(req.params.id);
    },
  );

  app.get(
    '/v1/customers/:id/notes',
    {
      config: { auth: { scope: 'customers:read' } },
      schema: {
        tags,
        summary: 'Notes agents wrote on the profile, newest first',
        params: IdParam,
        response: { 200: Type.Object({ items: Type.Array(NoteSchema) }), ...errorResponses(403, 404) },
      },
    },
    async (req) => {
      await customers.assertAccess(req.principal, req.params.id);
      return { items: await customerDesk.notes(req.params.id) };
    },
  );

  app.post(
    '/v1/customers/:id/notes',
    {
      config: { auth: { scope: 'customers:write' } },
      schema: {
        tags,
        summary: 'Add a note to the profile (exported and erased with the person)',
        params: IdParam,
        body: NoteBody,
        response: { 201: NoteCreated, ...errorResponses(400, 403, 404) },
      },
    },
    async (req, reply) => {
      await customers.assertAccess(req.principal, req.params.id, 'write');
      const note = await customerDesk.addNote(req.params.id, req.body.body, actor(req.principal));
      return reply.code(201).send({ id: note.id, customer_id: note.customer_id, created_at: note.created_at });
    },
  );
}
