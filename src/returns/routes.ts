import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http/app.js';
import {
  actingChannel,
  actingChannelIfAny,
  authorizeResource,
  boundLocation,
  listScope,
  type Resource,
} from '../platform/auth/policy.js';
import { Page, PageQuery, decodeCursor, pageOf } from '../platform/http/pagination.js';
import { errorResponses } from '../platform/http/schemas.js';
import { normaliseCode } from '../platform/codes.js';
import { problems } from '../platform/http/problems.js';
import type { Order } from '../orders/index.js';
import type { ReturnsService } from './service.js';
import type { ReturnsNetworkPort } from './ports.js';
import type { Return } from './types.js';
import { GiftReceiptSchema, GiftReturnCreate, ReceiveByCode, ReturnCreate, ReturnSchema } from './schemas.js';

const returnResource = (r: Return): Resource => ({
  kind: 'return',
  id: r.id,
  channelId: r.channel_id,
  locationId: r.location_id,
  customerId: r.customer_id,
});

/**
 * Returns are taken in any channel for an order of any channel (bought online, returned in store);
 * who may take one is the policy's call, on the return as it would be: the acting channel, the
 * receiving store and the order's customer.
 */
export async function returnRoutes(
  app: App,
  {
    returns,
    orders,
    network,
  }: { returns: ReturnsService; orders: { get(id: string): Promise<Order> }; network: ReturnsNetworkPort },
): Promise<void> {
  const tags = ['returns'];

  app.post(
    '/v1/returns',
    {
      config: { auth: { scope: 'returns:write', customer: true } },
      schema: {
        tags,
        summary: 'Return units of any order in any channel (store, mail, pickup point); refund or exchange',
        body: ReturnCreate,
        response: { 201: ReturnSchema, ...errorResponses(400, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const p = req.principal;
      const named = req.body.channel;
      const namedId = named && p?.kind !== 'staff' ? (await network.requireChannel(named)).id : undefined;
      const acting = actingChannelIfAny(p, named, namedId);
      const location = req.body.location_id ?? boundLocation(p) ?? undefined;
      const locationId = location ? (await network.requireLocation(location)).id : null;
      const order = await orders.get(req.body.order_id);
      const resource: Resource = {
        kind: 'return',
        channelId: p?.kind === 'staff' ? undefined : acting,
        locationId,
        customerId: order.customer_id,
      };
      authorizeResource(p, 'write', resource);
      // Without a drop-off the goods are declared in hand (restocked and refunded now): the policy's call.
      if (!req.body.dropoff) authorizeResource(p, 'receive', resource);
      // Staff name the channel where the return happens; asked only once they may take it at all.
      const channel = actingChannel(p, named, namedId);
      const created = await returns.create({ ...req.body, channel, location_id: location });
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/v1/returns/:id',
    {
      config: { auth: { scope: 'orders:read', customer: true } },
      schema: {
        tags,
        summary: 'One return',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: ReturnSchema, ...errorResponses(404) },
      },
    },
    async (req) => {
      const r = await returns.get(req.params.id);
      authorizeResource(req.principal, 'read', returnResource(r));
      return r;
    },
  );

  app.get(
    '/v1/returns',
    {
      config: { auth: { scope: 'orders:read', customer: true } },
      schema: {
        tags,
        summary: 'Returns of an order or a customer',
        querystring: Type.Object({
          ...PageQuery,
          order_id: Type.Optional(Type.String({ maxLength: 64 })),
          customer_id: Type.Optional(Type.String({ maxLength: 64 })),
          code: Type.Optional(Type.String({ maxLength: 40, description: 'a self-service return’s code (as scanned)' })),
        }),
        response: { 200: Page(ReturnSchema) },
      },
    },
    async (req) => {
      const scope = listScope(req.principal, 'return');
      const limit = req.query.limit ?? 50;
      const rows = await returns.list({
        order_id: req.query.order_id,
        customer_id: scope.customerId ?? req.query.customer_id,
        return_code: req.query.code ? normaliseCode(req.query.code) : undefined,
        channel_id: scope.channelId,
        location_id: scope.locationId,
        after: decodeCursor<string>(req.query.cursor),
        limit: limit + 1,
      });
      return pageOf(rows, limit, (r) => r.id);
    },
  );

  app.post(
    '/v1/returns/receive',
    {
      config: { auth: { scope: 'returns:write' } },
      schema: {
        tags,
        summary: 'Receive a self-service return by its code (scanned QR): restock, then refund',
        body: ReceiveByCode,
        response: { 200: ReturnSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (req) => {
      const p = req.principal;
      const location = req.body.location_id ?? boundLocation(p);
      if (!location) throw problems.field('location_id', 'name the location receiving the goods');
      const at = await network.requireLocation(location);
      // Decided on where the goods are received, before the code is looked up: whoever may receive
      // returns there may scan any return's code (it came back to them, whichever channel sold it).
      authorizeResource(p, 'receive', {
        kind: 'return',
        channelId: p?.kind === 'staff' ? undefined : actingChannel(p),
        locationId: at.id,
      });
      return returns.receiveByCode({ code: req.body.code, location_id: at.id, conditions: req.body.conditions });
    },
  );

  app.get(
    '/v1/gift-receipts/:code',
    {
      config: { auth: { scope: 'orders:read' } },
      schema: {
        tags,
        summary: 'A gift receipt: the lines a recipient may return or exchange, without prices',
        params: Type.Object({ code: Type.String({ minLength: 4, maxLength: 40 }) }),
        response: { 200: GiftReceiptSchema, ...errorResponses(403, 404) },
      },
    },
    async (req) => {
      // The code is the recipient's bearer credential (any store takes the gift back); the policy
      // decides whether this caller may take returns where it stands.
      authorizeResource(req.principal, 'read', {
        kind: 'return',
        channelId: req.principal?.kind === 'staff' ? undefined : actingChannel(req.principal),
        locationId: boundLocation(req.principal),
        customerId: null,
      });
      return returns.giftReceipt(req.params.code);
    },
  );

  app.post(
    '/v1/returns/gift',
    {
      config: { auth: { scope: 'returns:write' } },
      schema: {
        tags,
        summary: 'A gift’s recipient returns or exchanges with the gift receipt code: store credit on a gift card',
        body: GiftReturnCreate,
        response: { 201: ReturnSchema, ...errorResponses(400, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const p = req.principal;
      const named = req.body.channel;
      const namedId = named && p?.kind !== 'staff' ? (await network.requireChannel(named)).id : undefined;
      const acting = actingChannelIfAny(p, named, namedId);
      const location = req.body.location_id ?? boundLocation(p) ?? undefined;
      const locationId = location ? (await network.requireLocation(location)).id : null;
      authorizeResource(p, 'receive', {
        kind: 'return',
        channelId: p?.kind === 'staff' ? undefined : acting,
        locationId,
        customerId: null,
      });
      const channel = actingChannel(p, named, namedId);
      const created = await returns.giftReturn({ ...req.body, channel, location_id: location });
      return reply.code(201).send(created);
    },
  );
}
