import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../platform/http/app.js';
import { authorizeResource, listScope } from '../platform/auth/policy.js';
import { Page, PageQuery } from '../platform/http/pagination.js';
import { errorResponses } from '../platform/http/schemas.js';
import type { MarketplacesService } from './service.js';
import * as S from './schemas.js';

/**
 * A connection holds a channel's marketplace credentials: the policy treats it as that channel's
 * credential (kind `api_key`: an admin, or a secret key of that very channel). A marketplace order is
 * an order of its channel (kind `order`) — agents and the channel's keys see it, a store does not.
 */
const connectionAccess = (req: FastifyRequest, action: 'read' | 'write', channelId: string, id?: string) =>
  authorizeResource(req.principal, action, { kind: 'api_key', channelId, id });
const orderAccess = (req: FastifyRequest, action: 'read' | 'write', channelId: string, id: string) =>
  authorizeResource(req.principal, action, { kind: 'order', channelId, locationId: null, id });

export async function marketplaceRoutes(
  app: App,
  { marketplaces }: { marketplaces: MarketplacesService },
): Promise<void> {
  const tags = ['marketplaces'];

  app.post(
    '/v1/marketplaces/connections',
    {
      config: { auth: { scope: 'network:write' } },
      schema: {
        tags,
        summary: 'Connect a marketplace channel (credentials stored encrypted; needs OMNIA_SECRETS_KEY)',
        body: S.ConnectionCreate,
        response: { 201: S.ConnectionSchema, ...errorResponses(400, 403, 404, 409, 503) },
      },
    },
    async (req, reply) => {
      const channel = await marketplaces.channelOf(req.body.channel);
      connectionAccess(req, 'write', channel);
      return reply.code(201).send(await marketplaces.createConnection(req.body));
    },
  );

  app.get(
    '/v1/marketplaces/providers',
    {
      config: { auth: { scope: 'network:read' } },
      schema: {
        tags,
        summary: 'Marketplace providers a connection may name, with the credentials and settings each reads',
        response: { 200: Type.Object({ items: Type.Array(S.ProviderSchema) }) },
      },
    },
    async () => ({ items: marketplaces.providers() }),
  );

  app.get(
    '/v1/marketplaces/connections',
    {
      config: { auth: { scope: 'network:read' } },
      schema: {
        tags,
        summary: 'Marketplace connections',
        response: { 200: Type.Object({ items: Type.Array(S.ConnectionSchema) }) },
      },
    },
    async (req) => {
      const scope = listScope(req.principal, 'api_key');
      const all = await marketplaces.listConnections();
      return { items: scope.channelId ? all.filter((c) => c.channel_id === scope.channelId) : all };
    },
  );

  app.get(
    '/v1/marketplaces/connections/:id',
    {
      config: { auth: { scope: 'network:read' } },
      schema: {
        tags,
        summary: 'A marketplace connection',
        params: S.ConnectionParam,
        response: { 200: S.ConnectionSchema, ...errorResponses(403, 404) },
      },
    },
    async (req) => {
      const c = await marketplaces.getConnection(req.params.id);
      connectionAccess(req, 'read', c.channel_id, c.id);
      return c;
    },
  );

  app.patch(
    '/v1/marketplaces/connections/:id',
    {
      config: { auth: { scope: 'network:write' } },
      schema: {
        tags,
        summary: 'Change a connection: endpoint, credentials (replaced whole), settings, intervals, active',
        params: S.ConnectionParam,
        body: S.ConnectionPatch,
        response: { 200: S.ConnectionSchema, ...errorResponses(400, 403, 404, 503) },
      },
    },
    async (req) => {
      const c = await marketplaces.getConnection(req.params.id);
      connectionAccess(req, 'write', c.channel_id, c.id);
      return marketplaces.updateConnection(c.id, req.body);
    },
  );

  app.post(
    '/v1/marketplaces/connections/:id/offers',
    {
      config: { auth: { scope: 'network:write' } },
      schema: {
        tags,
        summary: "Publish offers: the channel's price and availability (after buffer and safety stock) per SKU",
        params: S.ConnectionParam,
        body: S.PublishBody,
        response: { 200: S.PublishResult, ...errorResponses(400, 403, 404, 502, 503) },
      },
    },
    async (req) => {
      const c = await marketplaces.getConnection(req.params.id);
      connectionAccess(req, 'write', c.channel_id, c.id);
      return { results: await marketplaces.publishOffers(c.id, req.body.skus) };
    },
  );

  app.get(
    '/v1/marketplaces/connections/:id/offers',
    {
      config: { auth: { scope: 'network:read' } },
      schema: {
        tags,
        summary: 'Offers of a connection and what each shows on the marketplace',
        params: S.ConnectionParam,
        querystring: Type.Object(PageQuery),
        response: { 200: Page(S.OfferSchema), ...errorResponses(403, 404) },
      },
    },
    async (req) => {
      const c = await marketplaces.getConnection(req.params.id);
      connectionAccess(req, 'read', c.channel_id, c.id);
      return marketplaces.listOffers(c.id, { limit: req.query.limit ?? 50, cursor: req.query.cursor });
    },
  );

  app.post(
    '/v1/marketplaces/connections/:id/sync',
    {
      config: { auth: { scope: 'network:write' } },
      schema: {
        tags,
        summary: 'Import orders, push due stock feeds and send owed calls now (the jobs do it on their own)',
        params: S.ConnectionParam,
        response: { 200: S.SyncResult, ...errorResponses(403, 404, 503) },
      },
    },
    async (req) => {
      const c = await marketplaces.getConnection(req.params.id);
      connectionAccess(req, 'write', c.channel_id, c.id);
      return marketplaces.syncNow(c.id);
    },
  );

  app.get(
    '/v1/marketplaces/orders',
    {
      config: { auth: { scope: 'orders:read' } },
      schema: {
        tags,
        summary:
          'Imported marketplace orders; ?status=exception for the ones that need staff (stock gone, unknown SKU)',
        querystring: Type.Object({
          ...PageQuery,
          status: Type.Optional(S.OrderStatus),
          connection_id: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        response: { 200: Page(S.MarketplaceOrderSchema), ...errorResponses(403) },
      },
    },
    async (req) => {
      const scope = listScope(req.principal, 'order');
      // A store sees its own store's orders; a marketplace order belongs to no store.
      if (scope.locationId) return { items: [], next_cursor: null };
      return marketplaces.listOrders({
        status: req.query.status,
        connection_id: req.query.connection_id,
        channel_id: scope.channelId,
        limit: req.query.limit ?? 50,
        cursor: req.query.cursor,
      });
    },
  );

  app.get(
    '/v1/marketplaces/orders/:id',
    {
      config: { auth: { scope: 'orders:read' } },
      schema: {
        tags,
        summary: 'A marketplace order',
        params: S.OrderParam,
        response: { 200: S.MarketplaceOrderSchema, ...errorResponses(403, 404) },
      },
    },
    async (req) => {
      const o = await marketplaces.getOrder(req.params.id);
      orderAccess(req, 'read', o.channel_id, o.id);
      return o;
    },
  );

  app.post(
    '/v1/marketplaces/orders/:id/retry',
    {
      config: { auth: { scope: 'orders:write' } },
      schema: {
        tags,
        summary:
          'Place an exception again (stock arrived, the SKU was fixed); it becomes an order or stays an exception',
        params: S.OrderParam,
        response: { 200: S.MarketplaceOrderSchema, ...errorResponses(403, 404, 409) },
      },
    },
    async (req) => {
      const o = await marketplaces.getOrder(req.params.id);
      orderAccess(req, 'write', o.channel_id, o.id);
      return marketplaces.retryException(o.id);
    },
  );

  app.post(
    '/v1/marketplaces/orders/:id/cancel',
    {
      config: { auth: { scope: 'orders:write' } },
      schema: {
        tags,
        summary: 'Cancel an exception: the marketplace is told the order cannot be filled',
        params: S.OrderParam,
        body: S.CancelBody,
        response: { 200: S.MarketplaceOrderSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (req) => {
      const o = await marketplaces.getOrder(req.params.id);
      orderAccess(req, 'write', o.channel_id, o.id);
      return marketplaces.cancelException(o.id, req.body.reason);
    },
  );

  app.post(
    '/v1/marketplaces/orders/:id/resolve',
    {
      config: { auth: { scope: 'orders:write' } },
      schema: {
        tags,
        summary:
          'Resolve an exception by hand (settled outside Omnia): it leaves the queue with the note; nothing is placed or sent',
        params: S.OrderParam,
        body: S.ResolveBody,
        response: { 200: S.MarketplaceOrderSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (req) => {
      const o = await marketplaces.getOrder(req.params.id);
      orderAccess(req, 'write', o.channel_id, o.id);
      return marketplaces.resolveException(o.id, req.body.note);
    },
  );
}
