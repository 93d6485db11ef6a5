import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http/app.js';
import { Page, PageQuery, decodeCursor, pageOf } from '../platform/http/pagination.js';
import { errorResponses } from '../platform/http/schemas.js';
import { problems } from '../platform/http/problems.js';
import type { Principal } from '../platform/http/auth-model.js';
import type { NetworkService } from '../network/index.js';
import type { OrdersService } from './service.js';
import type { Order } from './types.js';
import { CancelBody, HoldBody, OrderListQuery, OrderSchema } from './schemas.js';

const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** A customer sees only their own orders; a channel key only its channel's. Others look like 404. */
export function assertOrderVisible(p: Principal | undefined, order: Order): void {
  if (p?.kind === 'customer' && order.customer_id !== p.customerId) throw problems.notFound('order', order.id);
  if (p?.kind === 'api_key' && order.channel_id !== p.channelId) throw problems.notFound('order', order.id);
}

export async function orderRoutes(
  app: App,
  { orders, network }: { orders: OrdersService; network: NetworkService },
): Promise<void> {
  const tags = ['orders'];

  app.get(
    '/v1/orders',
    {
      config: { auth: { scope: 'orders:read', customer: true } },
      schema: {
        tags,
        summary: 'List orders of any channel',
        querystring: Type.Object({ ...PageQuery, ...OrderListQuery }),
        response: { 200: Page(OrderSchema), ...errorResponses(400) },
      },
    },
    async (req) => {
      const p = req.principal;
      const q = req.query;
      let channelId = q.channel ? ((await network.channel(q.channel))?.id ?? q.channel) : undefined;
      if (p?.kind === 'api_key') channelId = p.channelId;
      const customerId = p?.kind === 'customer' ? p.customerId : q.customer_id;
      const limit = q.limit ?? 50;
      const rows = await orders.list({
        customer_id: customerId,
        channel_id: channelId,
        status: q.status,
        after: decodeCursor<string>(q.cursor),
        limit: limit + 1,
      });
      return pageOf(rows, limit, (o) => o.id);
    },
  );

  app.get(
    '/v1/orders/:id',
    {
      config: { auth: { scope: 'orders:read', customer: true } },
      schema: {
        tags,
        summary: 'Get an order',
        params: IdParam,
        response: { 200: OrderSchema, ...errorResponses(404) },
      },
    },
    async (req) => {
      const order = await orders.get(req.params.id);
      assertOrderVisible(req.principal, order);
      return order;
    },
  );

  app.post(
    '/v1/orders/:id/cancel',
    {
      config: { auth: { scope: 'orders:write' } },
      schema: {
        tags,
        summary: 'Cancel an order: releases its stock and voids (or refunds) its payment',
        params: IdParam,
        body: CancelBody,
        response: { 200: OrderSchema, ...errorResponses(400, 404, 409) },
      },
    },
    async (req) => {
      assertOrderVisible(req.principal, await orders.get(req.params.id));
      return orders.cancel(req.params.id, { reason: req.body?.reason });
    },
  );

  app.post(
    '/v1/orders/:id/hold',
    {
      config: { auth: { scope: 'orders:write' } },
      schema: {
        tags,
        summary: 'Put an order on hold (only release or cancel are then allowed)',
        params: IdParam,
        body: HoldBody,
        response: { 200: OrderSchema, ...errorResponses(400, 404, 409) },
      },
    },
    async (req) => {
      assertOrderVisible(req.principal, await orders.get(req.params.id));
      return orders.hold(req.params.id, req.body.reason);
    },
  );

  app.post(
    '/v1/orders/:id/release',
    {
      config: { auth: { scope: 'orders:write' } },
      schema: {
        tags,
        summary: 'Release a hold',
        params: IdParam,
        response: { 200: OrderSchema, ...errorResponses(404, 409) },
      },
    },
    async (req) => {
      assertOrderVisible(req.principal, await orders.get(req.params.id));
      return orders.release(req.params.id);
    },
  );
}
