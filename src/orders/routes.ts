import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http/app.js';
import { Page, PageQuery, decodeCursor, pageOf } from '../platform/http/pagination.js';
import { errorResponses } from '../platform/http/schemas.js';
import { authorizeResource, boundLocation, listScope, type Action, type Resource } from '../platform/auth/policy.js';
import { problems } from '../platform/http/problems.js';
import type { Principal } from '../platform/http/auth-model.js';
import type { OrdersCustomersPort, OrdersNetworkPort } from './ports.js';
import { parseOrderQuery } from './search-rules.js';
import type { OrdersService } from './service.js';
import type { Order } from './types.js';
import { CancelBody, CancelLineBody, HoldBody, OrderListQuery, OrderSchema } from './schemas.js';

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
  { orders, network, customers }: { orders: OrdersService; network: OrdersNetworkPort; customers: OrdersCustomersPort },
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
      if (q.query !== undefined) {
        // The counter's search: the policy's `lookup` scope (a store associate sees every store's orders).
        const scope = listScope(req.principal, 'order', 'lookup');
        const at = boundLocation(req.principal);
        const country = at ? (await network.requireLocation(at)).address.country : undefined;
        const parsed = parseOrderQuery(q.query, country);
        if (parsed.kind === 'invalid') throw problems.field('query', parsed.message);
        const people = parsed.kind === 'id' ? [] : await customers.personIdsByIdentifier(parsed.kind, parsed.value);
        if (parsed.kind === 'phone' && people.length === 0) return { items: [], next_cursor: null };
        const named = q.channel ? ((await network.channel(q.channel))?.id ?? q.channel) : undefined;
        const limit = q.limit ?? 20;
        const rows = await orders.search({
          id: parsed.kind === 'id' ? parsed.value : undefined,
          email: parsed.kind === 'email' ? parsed.value : undefined,
          customer_ids: people,
          customer_id: scope.customerId ?? q.customer_id,
          channel_id: scope.channelId ?? named,
          location_id: scope.locationId,
          status: q.status,
          before: decodeCursor<string>(q.cursor),
          limit: limit + 1,
        });
        return pageOf(rows, limit, (o) => o.id);
      }
      const scope = listScope(req.principal, 'order');
      const named = q.channel ? ((await network.channel(q.channel))?.id ?? q.channel) : undefined;
      const placedFrom = q.placed_from ? new Date(q.placed_from) : undefined;
      const placedTo = q.placed_to ? new Date(q.placed_to) : undefined;
      if (placedFrom && placedTo && placedTo <= placedFrom)
        throw problems.field('placed_to', 'must be after placed_from');
      // The policy's scope wins over what the query names: a key lists its channel, a customer their own.
      const limit = q.limit ?? 50;
      const rows = await orders.list({
        customer_id: scope.customerId ?? q.customer_id,
        channel_id: scope.channelId ?? named,
        location_id: scope.locationId,
        status: q.status,
        at_location_id: q.location_id,
        placed_from: placedFrom,
        placed_to: placedTo,
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
    '/v1/orders/:id/lines/:line_id/cancel',
    {
      config: { auth: { scope: 'orders:write' } },
      schema: {
        tags,
        summary:
          'Cancel units of one line that no store has picked yet: their stock is released, the totals shrink, the payment is captured without them or refunded; the last live units cancel the order',
        params: Type.Object({
          id: Type.String({ minLength: 1, maxLength: 64 }),
          line_id: Type.String({ minLength: 1, maxLength: 64 }),
        }),
        body: CancelLineBody,
        response: { 200: OrderSchema, ...errorResponses(400, 404, 409) },
      },
    },
    async (req) => {
      // Who may is the order cancel's rule: the policy's `write` on the order.
      assertOrderVisible(req.principal, await orders.get(req.params.id), 'write');
      return orders.cancelLine(req.params.id, req.params.line_id, req.body);
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
