import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.js';
import { Strict, Timestamp, errorResponses } from '../../http/schemas.js';
import { PageQuery } from '../../http/pagination.js';
import type { WebhookService } from './service.js';

const EventType = Type.String({
  pattern: '^(\\*|[a-z_]+\\.(\\*|[a-z_.]+))$',
  description: 'an event type, a prefix like `order.*`, or `*`',
});
const WebhookSchema = Type.Object({
  id: Type.String(),
  channel_id: Type.Union([Type.String(), Type.Null()], {
    description: 'the channel whose events it receives; null for a global webhook (every event, admin only)',
  }),
  url: Type.String(),
  event_types: Type.Array(Type.String()),
  active: Type.Boolean(),
  description: Type.Union([Type.String(), Type.Null()]),
  created_at: Timestamp,
});
const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });

export async function webhookRoutes(app: App, { webhooks }: { webhooks: WebhookService }): Promise<void> {
  const tags = ['webhooks'];
  const auth = { scope: 'webhooks:manage' as const };

  app.post(
    '/v1/webhooks',
    {
      config: { auth },
      schema: {
        tags,
        summary: 'Subscribe a URL to events (deliveries are HMAC-SHA256 signed: header Omnia-Signature t=…,v1=…)',
        body: Strict({
          url: Type.String({
            minLength: 8,
            maxLength: 2000,
            description: 'http(s); refused when its host resolves to a loopback, private or link-local address',
          }),
          event_types: Type.Array(EventType, { minItems: 1, maxItems: 100 }),
          description: Type.Optional(Type.String({ maxLength: 500 })),
          channel_id: Type.Optional(
            Type.Union([Type.String({ maxLength: 64 }), Type.Null()], {
              description: "default: an API key's own channel; for staff, null (global)",
            }),
          ),
          secret: Type.Optional(Type.String({ minLength: 16, maxLength: 200 })),
        }),
        response: {
          201: Type.Composite([
            WebhookSchema,
            Type.Object({ secret: Type.String({ description: 'signing secret, shown once' }) }),
          ]),
          ...errorResponses(400),
        },
      },
    },
    async (req, reply) => reply.code(201).send(await webhooks.create(req.body, req.principal)),
  );

  app.get(
    '/v1/webhooks',
    {
      config: { auth },
      schema: {
        tags,
        summary: 'List webhooks',
        response: { 200: Type.Object({ items: Type.Array(WebhookSchema), next_cursor: Type.Null() }) },
      },
    },
    async (req) => ({ items: await webhooks.list(req.principal), next_cursor: null }),
  );

  app.get(
    '/v1/webhooks/:id',
    {
      config: { auth },
      schema: {
        tags,
        summary: 'Get a webhook',
        params: Params,
        response: { 200: WebhookSchema, ...errorResponses(404) },
      },
    },
    async (req) => webhooks.get(req.params.id, req.principal),
  );

  app.patch(
    '/v1/webhooks/:id',
    {
      config: { auth },
      schema: {
        tags,
        summary: 'Change a webhook (url, event types, active)',
        params: Params,
        body: Strict({
          url: Type.Optional(Type.String({ minLength: 8, maxLength: 2000 })),
          event_types: Type.Optional(Type.Array(EventType, { minItems: 1, maxItems: 100 })),
          active: Type.Optional(Type.Boolean()),
          description: Type.Optional(Type.String({ maxLength: 500 })),
        }),
        response: { 200: WebhookSchema, ...errorResponses(400, 404) },
      },
    },
    async (req) => webhooks.update(req.params.id, req.body, req.principal),
  );

  app.delete(
    '/v1/webhooks/:id',
    {
      config: { auth },
      schema: {
        tags,
        summary: 'Delete a webhook and its delivery log',
        params: Params,
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (req, reply) => {
      await webhooks.remove(req.params.id, req.principal);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      config: { auth },
      schema: {
        tags,
        summary: 'The delivery log of a webhook, newest first',
        params: Params,
        querystring: Type.Object(PageQuery),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                event_id: Type.String(),
                event_type: Type.String(),
                status: Type.String(),
                attempts: Type.Integer(),
                next_attempt_at: Type.Union([Timestamp, Type.Null()]),
                last_status_code: Type.Union([Type.Integer(), Type.Null()]),
                last_error: Type.Union([Type.String(), Type.Null()]),
                delivered_at: Type.Union([Timestamp, Type.Null()]),
                created_at: Timestamp,
              }),
            ),
            next_cursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses(404),
        },
      },
    },
    async (req) => webhooks.deliveries(req.params.id, req.query.limit ?? 50, req.query.cursor, req.principal),
  );

  app.post(
    '/v1/webhooks/:id/deliveries/:delivery_id/retry',
    {
      config: { auth },
      schema: {
        tags,
        summary: 'Send a delivery again now',
        params: Type.Object({ id: Type.String({ maxLength: 64 }), delivery_id: Type.String({ maxLength: 64 }) }),
        response: { 202: Type.Null(), ...errorResponses(404) },
      },
    },
    async (req, reply) => {
      await webhooks.redeliver(req.params.id, req.params.delivery_id, req.principal);
      return reply.code(202).send(null);
    },
  );
}
