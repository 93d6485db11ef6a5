import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http/app.js';
import { Page, PageQuery, decodeCursor, pageOf } from '../platform/http/pagination.js';
import { errorResponses } from '../platform/http/schemas.js';
import { authorizeResource, listScope, type Action, type Resource } from '../platform/auth/policy.js';
import type { Principal } from '../platform/http/auth-model.js';
import type { OrdersNetworkPort } from './ports.js';
import type { OrdersService } from './service.js';
import type { Order } from './types.js';
import { CancelBody, HoldBody, OrderListQuery, OrderSchema } from './schemas.js';

const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** The order as the authorization policy sees it: its channel, store and customer. */
export const orderResource = (order: Order): Resource => ({
  kind: 'order',
  id: order.id,
  channelId: order.channel_id,
  locationId: order.location_id,
  customerId: order.customer_id,
});

/** Whether the caller may see (or change) this order is the policy's decision (platform/auth/policy.ts). */
export function assertOrderVisible(p: Principal | undefined, order: Order, action: Action = 'read'): void {
  authorizeResource(p, action, orderResource(order));
}

export async function orderRoutes(
  app: App,
  { orders, network }: { orders: OrdersService; network: OrdersNetworkPort },
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
      const q = req.query;
      const scope = listScope(req.principal, 'order');
      const named = q.channel ? ((await network.channel(q.channel))?.id ?? q.channel) : undefined;
      // The policy's scope wins over what the query names: a key lists its channel, a customer their own.
      const limit = q.limit ?? 50;
      const rows = await orders.list({
        customer_id: scope.customerId ?? q.customer_id,
        channel_id: scope.channelId ?? named,
        location_id: scope.locationId,
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
      assertOrderVisible(req.principal, await orders.get(req.params.id), 'write');
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
      assertOrderVisible(req.principal, await orders.get(req.params.id), 'write');
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
      assertOrderVisible(req.principal, await orders.get(req.params.id), 'write');
      return orders.release(req.params.id);
    },
  );
}
