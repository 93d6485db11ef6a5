import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http/app.js';
import { authorizeResource, boundLocation, listScope } from '../platform/auth/policy.js';
import type { ThrottleRule } from '../platform/http/rate-limit.js';
import { Page, decodeCursor, pageOf } from '../platform/http/pagination.js';
import { errorResponses } from '../platform/http/schemas.js';
import type { FulfillmentService } from './service.js';
import type { StoreQueue } from './store-queue.js';
import { FulfillmentSchema } from './schemas.js';
import { QueueItemSchema, QueueQuery, ScanQuery, ScanSchema, SheetSchema } from './store-schemas.js';

const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** A customer asking again and again is served a few times; after that the store calls them. */
const RESEND_THROTTLE: ThrottleRule[] = [
  {
    bucket: 'pickup-resend:task',
    // per task and caller: one associate's taps never use up another's (the Idempotency-Key absorbs double taps)
    by: (req) => `${(req.params as { id: string }).id}:${req.principal?.id ?? req.ip}`,
    limit: { max: 3, windowMs: 600_000 },
  },
];

/** The store associate app's queue (issue 14 point 1); the transitions are POST /v1/fulfillments/:id/actions. */
export async function storeQueueRoutes(
  app: App,
  { fulfillment, storeQueue }: { fulfillment: FulfillmentService; storeQueue: StoreQueue },
): Promise<void> {
  const tags = ['fulfillment'];

  /** Reads a task the caller may see (its source or its destination location). */
  const readable = async (principal: Parameters<typeof authorizeResource>[0], id: string) => {
    const f = await fulfillment.get(id);
    authorizeResource(principal, 'read', {
      kind: 'fulfillment',
      id: f.id,
      locationId: f.location_id,
      destinationLocationId: f.destination_location_id,
    });
    return f;
  };

  app.get(
    '/v1/fulfillments/queue',
    {
      config: { auth: { scope: 'fulfillment:read' } },
      schema: {
        tags,
        summary: 'The store app’s queue: one tab (open, ready, completed), ship from store or click & collect',
        querystring: QueueQuery,
        response: { 200: Page(QueueItemSchema), ...errorResponses(400, 403) },
      },
    },
    async (req) => {
      const p = req.principal;
      // A location-bound credential sees only its own queue; naming another location is refused.
      const location = req.query.location_id ?? listScope(p, 'fulfillment').locationId ?? boundLocation(p) ?? undefined;
      if (location) authorizeResource(p, 'read', { kind: 'fulfillment', locationId: location });
      const limit = req.query.limit ?? 50;
      const rows = await storeQueue.queue({
        location_id: location,
        tab: req.query.tab,
        kind: req.query.kind,
        after: decodeCursor<string>(req.query.cursor),
        limit: limit + 1,
      });
      return pageOf(rows, limit, (r) => r.id);
    },
  );

  app.get(
    '/v1/fulfillments/:id/sheet',
    {
      config: { auth: { scope: 'fulfillment:read' } },
      schema: {
        tags,
        summary: 'A task’s work sheet: lines with GTIN and size, the promise, gift flag, where refused lines went',
        params: IdParam,
        response: { 200: SheetSchema, ...errorResponses(403, 404) },
      },
    },
    async (req) => storeQueue.sheet(await readable(req.principal, req.params.id)),
  );

  app.get(
    '/v1/fulfillments/:id/scan',
    {
      config: { auth: { scope: 'fulfillment:read' } },
      schema: {
        tags,
        summary: 'Checks a scanned or typed GTIN/SKU against the task: its line, or 422 wrong_item',
        params: IdParam,
        querystring: ScanQuery,
        response: { 200: ScanSchema, ...errorResponses(400, 403, 404, 422) },
      },
    },
    async (req) => storeQueue.scan(await readable(req.principal, req.params.id), req.query.code),
  );

  app.post(
    '/v1/fulfillments/:id/pickup-notification',
    {
      config: { auth: { scope: 'fulfillment:write' }, throttle: RESEND_THROTTLE },
      schema: {
        tags,
        summary: 'Sends the customer the ready-for-pickup notification (with the pickup code) again',
        params: IdParam,
        response: { 200: FulfillmentSchema, ...errorResponses(403, 404, 409, 429) },
      },
    },
    async (req) =>
      storeQueue.resendPickup(req.params.id, (loc) =>
        authorizeResource(req.principal, 'write', { kind: 'fulfillment', id: req.params.id, locationId: loc }),
      ),
  );
}
