import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http/app.js';
import { PageQuery } from '../platform/http/pagination.js';
import { errorResponses } from '../platform/http/schemas.js';
import type { Principal } from '../platform/http/auth-model.js';
import { actingChannel } from '../platform/auth/policy.js';
import type { CustomersService } from './service.js';
import {
  ConsentSchema,
  ConsentsBody,
  Customer360Schema,
  EventsBody,
  EventsResponse,
  IdParam,
  IdentifyBody,
  IdentifyResponse,
  MergeBody,
  RecommendationsResponse,
  SegmentBody,
  SegmentSchema,
} from './schemas.js';

/** Who did it, for merge and erasure records. */
const actor = (p: Principal | undefined) => (p ? `${p.kind}:${p.id}` : 'anonymous');
/**
 * The channel events and recommendations default to: the credential's own (the one acting-channel
 * function decides it); staff name it per event or per query.
 */
const channelOf = (p: Principal | undefined) => (p && p.kind !== 'staff' ? actingChannel(p) : undefined);

export async function customerRoutes(app: App, { customers }: { customers: CustomersService }): Promise<void> {
  const tags = ['customers'];

  app.post(
    '/v1/events',
    {
      config: { auth: { scope: 'events:write', customer: true } },
      schema: {
        tags,
        summary: 'Ingest a batch of behaviour events; bad events are rejected one by one',
        body: EventsBody,
        response: { 200: EventsResponse, ...errorResponses(400, 413) },
      },
    },
    async (req) => {
      const p = req.principal;
      return customers.ingest(req.body.events, {
        defaultChannel: channelOf(p),
        source: actor(p),
        // A publishable key is every shopper's: anonymous events only. A customer token: its own.
        onlyCustomer:
          p?.kind === 'customer'
            ? p.customerId
            : p?.kind === 'api_key' && p.keyKind === 'publishable'
              ? null
              : undefined,
      });
    },
  );

  app.post(
    '/v1/identify',
    {
      config: { auth: { scope: 'customers:write' } },
      schema: {
        tags,
        summary: 'Link identifiers to one customer (creating or merging profiles)',
        body: IdentifyBody,
        response: { 200: IdentifyResponse, ...errorResponses(400, 404, 409) },
      },
    },
    async (req) => {
      const channel = channelOf(req.principal) ?? 'staff';
      const res = await customers.identify({ ...req.body, channel });
      return {
        customer_id: res.customer_id,
        created: res.created,
        merged: res.merged.length > 0,
        merged_ids: res.merged,
        linked: res.linked.map((l) => l.kind),
        conflicts: res.conflicts,
      };
    },
  );

  app.get(
    '/v1/customers/:id',
    {
      config: { auth: { scope: 'customers:read', customer: true } },
      schema: {
        tags,
        summary: 'The customer 360 (a merged id answers with the surviving profile)',
        params: IdParam,
        response: { 200: Customer360Schema, ...errorResponses(403, 404) },
      },
    },
    async (req) => {
      await customers.assertAccess(req.principal, req.params.id);
      return customers.get(req.params.id);
    },
  );

  app.get(
    '/v1/customers/:id/recommendations',
    {
      config: { auth: { scope: 'customers:read', customer: true } },
      schema: {
        tags,
        summary: 'Personal recommendations: bought together and viewed-not-bought, in size and in stock',
        params: IdParam,
        querystring: Type.Object({ channel: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) }),
        response: { 200: RecommendationsResponse, ...errorResponses(403, 404) },
      },
    },
    async (req) => {
      await customers.assertAccess(req.principal, req.params.id);
      return customers.recommendations(req.params.id, channelOf(req.principal) ?? req.query.channel);
    },
  );

  app.put(
    '/v1/customers/:id/consents',
    {
      config: { auth: { scope: 'customers:write', customer: true } },
      schema: {
        tags,
        summary: 'Grant or withdraw consent per purpose',
        params: IdParam,
        body: ConsentsBody,
        response: { 200: Type.Object({ consents: Type.Array(ConsentSchema) }), ...errorResponses(400, 403, 404) },
      },
    },
    async (req) => {
      await customers.assertAccess(req.principal, req.params.id, 'write');
      const source =
        req.body.source ??
        (req.principal?.kind === 'customer' ? `customer:${req.principal.channelId}` : actor(req.principal));
      return { consents: await customers.setConsents(req.params.id, req.body.consents, source) };
    },
  );

  app.get(
    '/v1/customers/:id/export',
    {
      config: { auth: { scope: 'customers:export', customer: true } },
      schema: {
        tags,
        summary: 'Everything held about the customer (GDPR access)',
        params: IdParam,
        response: { 200: Type.Object({}, { additionalProperties: true }), ...errorResponses(403, 404) },
      },
    },
    async (req) => {
      await customers.assertAccess(req.principal, req.params.id, 'export');
      return customers.export(req.params.id);
    },
  );

  app.delete(
    '/v1/customers/:id',
    {
      config: { auth: { scope: 'customers:erase', customer: true } },
      schema: {
        tags,
        summary: 'Erase the customer’s personal data (orders stay, anonymised)',
        params: IdParam,
        response: {
          200: Type.Object({ customer_id: Type.String(), erased_ids: Type.Array(Type.String()) }),
          ...errorResponses(403, 404),
        },
      },
    },
    async (req) => {
      await customers.assertAccess(req.principal, req.params.id, 'erase');
      return customers.erase(req.params.id, actor(req.principal));
    },
  );

  app.post(
    '/v1/customers/:id/merge',
    {
      config: { auth: { scope: 'customers:write' } },
      schema: {
        tags,
        summary: 'Staff: merge another profile into this one (refused when the rules say they differ)',
        params: IdParam,
        body: MergeBody,
        response: {
          200: Type.Object({ survivor: Type.String(), absorbed: Type.String() }),
          ...errorResponses(404, 409),
        },
      },
    },
    async (req) => customers.merge(req.params.id, req.body.customer_id, actor(req.principal)),
  );

  app.post(
    '/v1/customers/:id/unmerge',
    {
      config: { auth: { scope: 'customers:write' } },
      schema: {
        tags,
        summary: 'Staff: undo the merge that absorbed this profile',
        params: IdParam,
        response: {
          200: Type.Object({ customer_id: Type.String(), survivor_id: Type.String() }),
          ...errorResponses(404, 409),
        },
      },
    },
    async (req) => customers.unmerge(req.params.id, actor(req.principal)),
  );

  // Register, verify, login and password reset: account-routes.ts (issue 16).

  app.get(
    '/v1/segments',
    {
      config: { auth: { scope: 'customers:read' } },
      schema: {
        tags,
        summary: 'List saved segments',
        response: { 200: Type.Object({ items: Type.Array(SegmentSchema), next_cursor: Type.Null() }) },
      },
    },
    async () => ({ items: await customers.segments.list(), next_cursor: null }),
  );

  app.post(
    '/v1/segments',
    {
      config: { auth: { scope: 'customers:write' } },
      schema: {
        tags,
        summary: 'Save a segment (the definition is validated)',
        body: SegmentBody,
        response: { 201: SegmentSchema, ...errorResponses(400, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await customers.segments.create(req.body)),
  );

  app.get(
    '/v1/segments/:id',
    {
      config: { auth: { scope: 'customers:read' } },
      schema: {
        tags,
        summary: 'Get a segment',
        params: IdParam,
        response: { 200: SegmentSchema, ...errorResponses(404) },
      },
    },
    async (req) => customers.segments.get(req.params.id),
  );

  app.delete(
    '/v1/segments/:id',
    {
      config: { auth: { scope: 'customers:write' } },
      schema: {
        tags,
        summary: 'Delete a segment',
        params: IdParam,
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (req, reply) => {
      await customers.segments.remove(req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/segments/:id/members',
    {
      config: { auth: { scope: 'customers:read' } },
      schema: {
        tags,
        summary: 'Evaluate a segment now: the member count and a page of member ids',
        params: IdParam,
        querystring: Type.Object(PageQuery),
        response: {
          200: Type.Object({
            segment_id: Type.String(),
            count: Type.Integer(),
            items: Type.Array(Type.String()),
            next_cursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses(404),
        },
      },
    },
    async (req) => customers.segments.evaluate(req.params.id, { limit: req.query.limit, cursor: req.query.cursor }),
  );
}
