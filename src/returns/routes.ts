import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http/app.js';
import { assertLocationAccess, channelOf } from '../platform/http/auth-model.js';
import { Page, PageQuery, decodeCursor, pageOf } from '../platform/http/pagination.js';
import { problems } from '../platform/http/problems.js';
import { errorResponses } from '../platform/http/schemas.js';
import type { ReturnsService } from './service.js';
import { ReturnCreate, ReturnSchema } from './schemas.js';

export async function returnRoutes(app: App, { returns }: { returns: ReturnsService }): Promise<void> {
  const tags = ['returns'];

  app.post(
    '/v1/returns',
    {
      config: { auth: { scope: 'returns:write' } },
      schema: {
        tags,
        summary: 'Return units of any order in any channel (store, mail, pickup point); refund or exchange',
        body: ReturnCreate,
        response: { 201: ReturnSchema, ...errorResponses(400, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const p = req.principal;
      const bound = p && p.kind !== 'customer' ? p.locationId : null;
      const location = req.body.location_id ?? bound ?? undefined;
      if (location) assertLocationAccess(p, location);
      const channel = req.body.channel ?? channelOf(p);
      if (!channel) throw problems.field('channel', 'name the channel where the return happens');
      const created = await returns.create({ ...req.body, channel, location_id: location });
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/v1/returns/:id',
    {
      config: { auth: { scope: 'orders:read' } },
      schema: {
        tags,
        summary: 'One return',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: ReturnSchema, ...errorResponses(404) },
      },
    },
    async (req) => returns.get(req.params.id),
  );

  app.get(
    '/v1/returns',
    {
      config: { auth: { scope: 'orders:read' } },
      schema: {
        tags,
        summary: 'Returns of an order or a customer',
        querystring: Type.Object({
          ...PageQuery,
          order_id: Type.Optional(Type.String({ maxLength: 64 })),
          customer_id: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        response: { 200: Page(ReturnSchema) },
      },
    },
    async (req) => {
      const limit = req.query.limit ?? 50;
      const rows = await returns.list({
        order_id: req.query.order_id,
        customer_id: req.query.customer_id,
        after: decodeCursor<string>(req.query.cursor),
        limit: limit + 1,
      });
      return pageOf(rows, limit, (r) => r.id);
    },
  );
}
