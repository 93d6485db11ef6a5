import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http/app.js';
import { authorizeResource, boundLocation, listScope } from '../platform/auth/policy.js';
import type { Principal } from '../platform/http/auth-model.js';
import type { ThrottleRule } from '../platform/http/rate-limit.js';
import { Page, PageQuery, decodeCursor, pageOf } from '../platform/http/pagination.js';
import { StringEnum, errorResponses } from '../platform/http/schemas.js';
import { FULFILLMENT_STATUSES } from './rules.js';
import type { FulfillmentService } from './service.js';
import type { StoreQueue } from './store-queue.js';
import { ActionAnswerSchema } from './store-schemas.js';
import { ActionBody, DecisionSchema, FulfillmentSchema } from './schemas.js';

/**
 * Pickup-code guessing: beside the per-task lock after a few wrong codes (rules.ts), handover
 * attempts are counted per client IP, so one device cannot walk through many tasks' codes.
 * Other actions are not counted (the rule returns undefined for them).
 */
const HANDOVER_THROTTLE: ThrottleRule[] = [
  {
    bucket: 'handover:ip',
    by: (req) => ((req.body as { action?: unknown } | undefined)?.action === 'handover' ? req.ip : undefined),
    limit: 'pickupPerIp',
  },
];

const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** The service asks this before it changes a task at `loc`; the policy decides. */
const mayWorkAt = (p: Principal | undefined, id: string) => (loc: string) =>
  authorizeResource(p, 'write', { kind: 'fulfillment', id, locationId: loc });

export async function fulfillmentRoutes(
  app: App,
  { fulfillment, storeQueue }: { fulfillment: FulfillmentService; storeQueue: StoreQueue },
): Promise<void> {
  const tags = ['fulfillment'];

  app.get(
    '/v1/fulfillments',
    {
      config: { auth: { scope: 'fulfillment:read' } },
      schema: {
        tags,
        summary: 'A location’s work queue (tasks it sources and tasks arriving to it)',
        querystring: Type.Object({
          ...PageQuery,
          location_id: Type.Optional(Type.String({ maxLength: 64 })),
          order_id: Type.Optional(
            Type.String({
              maxLength: 64,
              description: "one order's tasks (a location-bound caller still sees only its own location's)",
            }),
          ),
          created_from: Type.Optional(
            Type.String({ format: 'date-time', description: 'tasks created at or after this time (a day’s load)' }),
          ),
          status: Type.Optional(StringEnum(FULFILLMENT_STATUSES)),
        }),
        response: { 200: Page(FulfillmentSchema), ...errorResponses(400, 403) },
      },
    },
    async (req) => {
      const p = req.principal;
      // A location-bound credential sees only its own queue, whatever it asks for.
      const location = req.query.location_id ?? listScope(p, 'fulfillment').locationId ?? boundLocation(p) ?? undefined;
      if (location) authorizeResource(p, 'read', { kind: 'fulfillment', locationId: location });
      const limit = req.query.limit ?? 50;
      const rows = await fulfillment.list({
        location_id: location,
        order_id: req.query.order_id,
        created_from: req.query.created_from ? new Date(req.query.created_from) : undefined,
        status: req.query.status,
        after: decodeCursor<string>(req.query.cursor),
        limit: limit + 1,
      });
      return pageOf(rows, limit, (r) => r.id);
    },
  );

  app.get(
    '/v1/fulfillments/:id',
    {
      config: { auth: { scope: 'fulfillment:read' } },
      schema: {
        tags,
        summary: 'One fulfillment task',
        params: IdParam,
        response: { 200: FulfillmentSchema, ...errorResponses(403, 404) },
      },
    },
    async (req) => {
      const f = await fulfillment.get(req.params.id);
      authorizeResource(req.principal, 'read', {
        kind: 'fulfillment',
        id: f.id,
        locationId: f.location_id,
        destinationLocationId: f.destination_location_id,
      });
      return f;
    },
  );

  app.post(
    '/v1/fulfillments/:id/actions',
    {
      config: { auth: { scope: 'fulfillment:write' }, throttle: HANDOVER_THROTTLE },
      schema: {
        tags,
        summary:
          'Accept, reject (all or some lines), pick, pack (parcels, weight), ready, handover (with the pickup code) or ship (carrier, tracking)',
        params: IdParam,
        body: ActionBody,
        response: { 200: ActionAnswerSchema, ...errorResponses(400, 403, 404, 409, 422, 423) },
      },
    },
    async (req) => {
      const { task, resourced } = await fulfillment.actDetailed(
        req.params.id,
        req.body,
        mayWorkAt(req.principal, req.params.id),
      );
      // A reject or a short pick answers where the lines went (the store app shows it).
      return resourced.length ? { ...task, resourced: await storeQueue.describe(resourced) } : task;
    },
  );

  app.post(
    '/v1/fulfillments/:id/pickup-code/unlock',
    {
      config: { auth: { scope: 'fulfillment:unlock' } },
      schema: {
        tags,
        summary: 'Unlock a handover locked after too many wrong pickup codes (the count starts again)',
        params: IdParam,
        response: { 200: FulfillmentSchema, ...errorResponses(403, 404, 409) },
      },
    },
    async (req) => fulfillment.unlockPickup(req.params.id, mayWorkAt(req.principal, req.params.id)),
  );

  app.get(
    '/v1/orders/:id/sourcing',
    {
      config: { auth: { scope: 'fulfillment:read' } },
      schema: {
        tags,
        summary: 'The sourcing decisions of an order, with their explanation',
        params: IdParam,
        response: { 200: Type.Object({ items: Type.Array(DecisionSchema) }) },
      },
    },
    async (req) => ({ items: await fulfillment.decisions(req.params.id) }),
  );
}
