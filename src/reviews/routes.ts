/** HTTP of reviews: TypeBox in, service call, schema out. The policy decides inside the service. */
import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http/app.js';
import { PageQuery } from '../platform/http/pagination.js';
import { errorResponses } from '../platform/http/schemas.js';
import type { ReviewsService } from './service.js';
import {
  CustomerReviewsSchema,
  ProductReviewsSchema,
  QueueQuery,
  QueueSchema,
  RejectBody,
  ReviewCreate,
  ReviewSchema,
} from './schemas.js';

const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export async function reviewRoutes(app: App, { reviews }: { reviews: ReviewsService }): Promise<void> {
  const tags = ['reviews'];
  const by = (p: { kind: string; id: string } | undefined) => (p ? `${p.kind}:${p.id}` : 'unknown');

  app.post(
    '/v1/reviews',
    {
      config: { auth: { scope: 'customers:write', customer: true } },
      schema: {
        tags,
        summary: 'Write a review of a product (customer token)',
        description:
          'The verified-purchase badge comes from the orders of every profile of the person, in any channel (web, app, till, marketplace). A product never bought is accepted without the badge. Every review waits for moderation. One review per person and product (409 duplicate).',
        body: ReviewCreate,
        response: { 201: ReviewSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await reviews.submit(req.principal, req.body)),
  );

  app.get(
    '/v1/products/:id/reviews',
    {
      config: { auth: { scope: 'catalog:read', customer: true } },
      schema: {
        tags,
        summary: "A product's approved reviews, newest first, with its rating summary",
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, description: 'product id or code' }) }),
        querystring: Type.Object({ ...PageQuery }),
        response: { 200: ProductReviewsSchema, ...errorResponses(400, 404) },
      },
    },
    async (req) => reviews.forProduct(req.principal, req.params.id, req.query),
  );

  app.get(
    '/v1/reviews',
    {
      config: { auth: { scope: 'catalog:write' } },
      schema: {
        tags,
        summary: 'The moderation queue: pending reviews oldest first (or the approved / rejected ones)',
        querystring: QueueQuery,
        response: { 200: QueueSchema, ...errorResponses(400, 403) },
      },
    },
    async (req) => reviews.queue(req.principal, req.query),
  );

  app.post(
    '/v1/reviews/:id/approve',
    {
      config: { auth: { scope: 'catalog:write' } },
      schema: {
        tags,
        summary: 'Publish a pending review',
        params: IdParam,
        response: { 200: ReviewSchema, ...errorResponses(403, 404, 409) },
      },
    },
    async (req) => reviews.approve(req.principal, req.params.id, by(req.principal)),
  );

  app.post(
    '/v1/reviews/:id/reject',
    {
      config: { auth: { scope: 'catalog:write' } },
      schema: {
        tags,
        summary: 'Reject a pending review, saying why',
        params: IdParam,
        body: RejectBody,
        response: { 200: ReviewSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (req) => reviews.reject(req.principal, req.params.id, by(req.principal), req.body.reason),
  );

  app.get(
    '/v1/customers/:id/reviews',
    {
      config: { auth: { scope: 'customers:read', customer: true } },
      schema: {
        tags,
        summary: "A person's reviews (any status) and the size advice their answers give",
        params: IdParam,
        response: { 200: CustomerReviewsSchema, ...errorResponses(403, 404) },
      },
    },
    async (req) => reviews.ofCustomer(req.principal, req.params.id),
  );
}
