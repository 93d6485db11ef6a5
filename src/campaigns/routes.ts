import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http/app.js';
import { PageQuery } from '../platform/http/pagination.js';
import { errorResponses } from '../platform/http/schemas.js';
import type { Principal } from '../platform/http/auth-model.js';
import { CampaignBody, CampaignSchema, RecipientSchema } from './schemas.js';
import type { CampaignsService } from './service.js';

const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const actor = (p: Principal | undefined) => (p ? `${p.kind}:${p.id}` : 'anonymous');

/** Campaigns are marketing: promotions scopes (merchandisers and admins), never a customer's or a till's. */
export async function campaignRoutes(app: App, { campaigns }: { campaigns: CampaignsService }): Promise<void> {
  const tags = ['campaigns'];

  app.get(
    '/v1/campaigns',
    {
      config: { auth: { scope: 'promotions:read' } },
      schema: {
        tags,
        summary: 'Campaigns, newest first, with their results',
        querystring: Type.Object(PageQuery),
        response: {
          200: Type.Object({
            items: Type.Array(CampaignSchema),
            next_cursor: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (req) => campaigns.list(req.query),
  );

  app.post(
    '/v1/campaigns',
    {
      config: { auth: { scope: 'promotions:write' } },
      schema: {
        tags,
        summary: 'A draft campaign: a coupon of a promotion to a saved segment, with a per-person frequency cap',
        body: CampaignBody,
        response: { 201: CampaignSchema, ...errorResponses(400, 404) },
      },
    },
    async (req, reply) => reply.code(201).send(await campaigns.create(req.body, actor(req.principal))),
  );

  app.get(
    '/v1/campaigns/:id',
    {
      config: { auth: { scope: 'promotions:read' } },
      schema: {
        tags,
        summary: 'A campaign and its results (sent, pending, skipped per reason)',
        params: IdParam,
        response: { 200: CampaignSchema, ...errorResponses(404) },
      },
    },
    async (req) => campaigns.get(req.params.id),
  );

  app.get(
    '/v1/campaigns/:id/recipients',
    {
      // The codes are money: the coupon scope, as for a promotion's code list.
      config: { auth: { scope: 'coupons:read' } },
      schema: {
        tags,
        summary: 'Who was sent the campaign, who was skipped and why, and each one’s code',
        params: IdParam,
        response: { 200: Type.Object({ items: Type.Array(RecipientSchema) }), ...errorResponses(404) },
      },
    },
    async (req) => ({ items: await campaigns.recipients(req.params.id) }),
  );

  app.post(
    '/v1/campaigns/:id/send',
    {
      config: { auth: { scope: 'promotions:write' } },
      schema: {
        tags,
        summary:
          'Send a draft campaign once: consented members under the cap get a single-use code by mail; the others are logged as skipped',
        params: IdParam,
        response: { 200: CampaignSchema, ...errorResponses(404, 409) },
      },
    },
    async (req) => campaigns.send(req.params.id),
  );

  const unsubscribe = {
    config: { auth: 'public' as const },
    schema: {
      tags,
      summary: 'The unsubscribe link of a marketing message: withdraws the consent its signed token names',
      querystring: Type.Object({ token: Type.String({ minLength: 10, maxLength: 512 }) }),
      response: {
        200: Type.Object({ unsubscribed: Type.Boolean(), purpose: Type.String() }),
        ...errorResponses(400, 404),
      },
    },
  };
  // GET for the link in the mail; POST for one-click unsubscribe (RFC 8058) from mail clients.
  app.get('/v1/unsubscribe', unsubscribe, async (req) => campaigns.unsubscribe(req.query.token));
  app.post('/v1/unsubscribe', unsubscribe, async (req) => campaigns.unsubscribe(req.query.token));
}
