import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http/app.js';
import { authorizeResource } from '../platform/auth/policy.js';
import type { Principal } from '../platform/http/auth-model.js';
import { StringEnum, errorResponses } from '../platform/http/schemas.js';
import { AppError } from '../platform/http/problems.js';
import type { CarrierService } from './service.js';

const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Nullable = (t: ReturnType<typeof Type.String>) => Type.Union([t, Type.Null()]);

const ShipmentSchema = Type.Object({
  id: Type.String(),
  fulfillment_id: Type.String(),
  order_id: Type.String(),
  carrier: Type.String(),
  status: StringEnum(['requested', 'created', 'failed'] as const, {
    description: 'requested: asked for, the carrier has not answered yet (the settle job finishes it)',
  }),
  attempts: Type.Integer(),
  last_error: Nullable(Type.String()),
  tracking_number: Nullable(Type.String()),
  tracking_url: Nullable(Type.String()),
  label_format: Nullable(Type.String()),
  tracking_status: Nullable(Type.String()),
  delivered_at: Nullable(Type.String({ format: 'date-time' })),
  checkpoints: Type.Array(
    Type.Object({
      code: Type.String(),
      status: Type.String(),
      description: Nullable(Type.String()),
      occurred_at: Type.String({ format: 'date-time' }),
      source: Type.String(),
    }),
  ),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

/** Labels are bought, and read, by whoever works the task at its source location; the policy decides. */
const worksAt = (p: Principal | undefined, id: string, action: 'read' | 'write') => (loc: string) =>
  authorizeResource(p, action, { kind: 'fulfillment', id, locationId: loc });

const CONTENT_TYPES: Record<string, string> = { pdf: 'application/pdf', zpl: 'application/x-zpl' };

export async function carrierRoutes(app: App, { carriers }: { carriers: CarrierService }): Promise<void> {
  const tags = ['carriers'];

  app.post(
    '/v1/fulfillments/:id/label',
    {
      config: { auth: { scope: 'fulfillment:write' } },
      schema: {
        tags,
        summary:
          'Buy the carrier label of a task (picked or packed): 201 with the tracking number, 202 while the carrier has not answered (retried by a job)',
        params: IdParam,
        body: Type.Optional(
          Type.Object(
            { label_format: Type.Optional(StringEnum(['pdf', 'zpl'] as const)) },
            { additionalProperties: false },
          ),
        ),
        response: {
          201: ShipmentSchema,
          202: ShipmentSchema,
          ...errorResponses(400, 403, 404, 409, 422, 503),
        },
      },
    },
    async (req, reply) => {
      const s = await carriers.requestLabel(req.params.id, worksAt(req.principal, req.params.id, 'write'), {
        label_format: req.body?.label_format,
      });
      // The carrier refused the request itself (address, product): nothing was bought.
      if (s.status === 'failed')
        throw new AppError('unprocessable', s.last_error ?? 'the carrier refused the label request', {
          shipment_id: s.id,
        });
      return reply.code(s.status === 'created' ? 201 : 202).send(s);
    },
  );

  app.get(
    '/v1/fulfillments/:id/label',
    {
      config: { auth: { scope: 'fulfillment:read' } },
      schema: {
        tags,
        summary: "The task's carrier label as the carrier made it (PDF or ZPL)",
        params: IdParam,
        produces: ['application/pdf', 'application/x-zpl'],
        response: {
          200: {
            description: 'the label document; X-Tracking-Number carries the tracking number',
            content: { 'application/pdf': { schema: Type.String({ format: 'binary' }) } },
          },
          ...errorResponses(403, 404),
        },
      },
    },
    async (req, reply) => {
      const l = await carriers.label(req.params.id, worksAt(req.principal, req.params.id, 'read'));
      return reply
        .type(CONTENT_TYPES[l.format] ?? 'application/octet-stream')
        .header('x-tracking-number', l.tracking_number)
        .header('content-disposition', `inline; filename="label-${req.params.id}.${l.format}"`)
        .send(l.bytes as unknown as Parameters<typeof reply.send>[0]);
    },
  );

  app.get(
    '/v1/fulfillments/:id/shipments',
    {
      config: { auth: { scope: 'fulfillment:read' } },
      schema: {
        tags,
        summary: "The task's carrier shipments with their tracking checkpoints",
        params: IdParam,
        response: { 200: Type.Object({ items: Type.Array(ShipmentSchema) }), ...errorResponses(403, 404) },
      },
    },
    async (req) => ({ items: await carriers.shipments(req.params.id, worksAt(req.principal, req.params.id, 'read')) }),
  );

  // The webhook is signed over its exact bytes: this scope reads JSON bodies raw (other routes are untouched).
  await app.register(async (scope: App) => {
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.post(
      '/v1/carriers/:carrier/tracking-webhook',
      {
        config: { auth: 'public' },
        schema: {
          tags,
          summary:
            'Tracking pushed by the carrier (MyDHL tracking shape), signed X-Carrier-Signature: sha256=<hex HMAC-SHA256 of the body>',
          params: Type.Object({ carrier: Type.String({ minLength: 1, maxLength: 64 }) }),
          response: {
            200: Type.Object({ shipments: Type.Integer(), new_checkpoints: Type.Integer() }),
            ...errorResponses(400, 401, 404),
          },
        },
      },
      async (req) => {
        const sig = req.headers['x-carrier-signature'];
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.from('');
        return carriers.webhook(req.params.carrier, raw, typeof sig === 'string' ? sig : undefined);
      },
    );
  });
}
