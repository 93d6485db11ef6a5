import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../platform/http/app.js';
import { authorizeResource, listScope } from '../platform/auth/policy.js';
import { errorResponses } from '../platform/http/schemas.js';
import { AppError } from '../platform/http/problems.js';
import type { FeedsService } from './service.js';
import type { ShareLinks } from './share-links.js';
import * as S from './schemas.js';

/** The token a platform fetches with: `?token=` (Meta's and Google's scheduled fetch URL) or HTTP Basic's password. */
function fetchToken(req: FastifyRequest, query: string | undefined): string | undefined {
  if (query) return query;
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : undefined;
}

export async function feedRoutes(
  app: App,
  { feeds, shareLinks }: { feeds: FeedsService; shareLinks: ShareLinks },
): Promise<void> {
  const tags = ['feeds'];

  app.get(
    '/v1/feeds/:channel_code',
    {
      // Meta and Google fetch without an Omnia credential: the feed's own token opens it (the policy decides).
      config: { auth: 'public' },
      schema: {
        tags,
        summary: "A social channel's catalog feed at its price and availability (Meta CSV or Google RSS)",
        params: S.ChannelCodeParam,
        querystring: S.FeedQuery,
        produces: ['text/csv', 'application/rss+xml'],
        response: {
          200: {
            description: 'the feed',
            content: { 'text/csv': { schema: Type.String() }, 'application/rss+xml': { schema: Type.String() } },
          },
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (req, reply) => {
      const token = fetchToken(req, req.query.token);
      // Nothing, not even whether the channel exists, for a caller with neither a token nor a credential.
      if (token === undefined && !req.principal)
        throw new AppError('unauthorized', 'a feed token or a credential is needed');
      const channel = await feeds.socialChannel(req.params.channel_code);
      const held = token !== undefined && (await feeds.tokenChannel(token)) === channel.id;
      authorizeResource(req.principal, 'read', { kind: 'feed', channelId: channel.id, secretHeld: held });
      const out = await feeds.render(channel.id, req.query.format ?? 'meta');
      return reply.type(out.contentType).header('cache-control', 'no-store').send(out.body);
    },
  );

  app.get(
    '/v1/feeds',
    {
      config: { auth: { scope: 'network:read' } },
      schema: {
        tags,
        summary: 'Social channel feeds and their state (rows stored, SKUs waiting)',
        response: { 200: Type.Object({ items: Type.Array(S.FeedSchema) }), ...errorResponses(403) },
      },
    },
    async (req) => {
      const scope = listScope(req.principal, 'feed');
      const all = await feeds.list();
      return { items: scope.channelId ? all.filter((f) => f.channel_id === scope.channelId) : all };
    },
  );

  app.put(
    '/v1/feeds/:channel_code/settings',
    {
      config: { auth: { scope: 'network:write' } },
      schema: {
        tags,
        summary: "Create a social channel's feed (its fetch token is shown once) or change its settings",
        params: S.ChannelCodeParam,
        body: S.FeedConfigBody,
        response: { 200: S.FeedWithToken, ...errorResponses(400, 403, 404) },
      },
    },
    async (req) => {
      const channel = await feeds.socialChannel(req.params.channel_code);
      authorizeResource(req.principal, 'write', { kind: 'feed', channelId: channel.id });
      return feeds.configure(channel.id, req.body);
    },
  );

  app.post(
    '/v1/feeds/:channel_code/token',
    {
      config: { auth: { scope: 'network:write' } },
      schema: {
        tags,
        summary: "Issue a new fetch token for a channel's feed (the old one stops working)",
        params: S.ChannelCodeParam,
        response: { 200: S.FeedWithToken, ...errorResponses(403, 404) },
      },
    },
    async (req) => {
      const channel = await feeds.socialChannel(req.params.channel_code);
      authorizeResource(req.principal, 'write', { kind: 'feed', channelId: channel.id });
      return feeds.rotateToken(channel.id);
    },
  );

  app.post(
    '/v1/share-links',
    {
      config: { auth: { scope: 'events:write', customer: true } },
      schema: {
        tags,
        summary: 'A link to share on a social channel, with utm_source/utm_medium/utm_campaign and a share id',
        body: S.ShareLinkBody,
        response: { 201: S.ShareLinkSchema, ...errorResponses(400) },
      },
    },
    async (req, reply) => {
      const p = req.principal;
      const link = await shareLinks.create(req.body, { customerId: p?.kind === 'customer' ? p.customerId : null });
      return reply.code(201).send(link);
    },
  );

  app.get(
    '/v1/share-links/:id',
    {
      config: { auth: { scope: 'analytics:read' } },
      schema: {
        tags,
        summary: 'A share link and how many visits came through it',
        params: S.ShareLinkParam,
        response: { 200: S.ShareLinkSchema, ...errorResponses(403, 404) },
      },
    },
    async (req) => {
      authorizeResource(req.principal, 'read', { kind: 'analytics' });
      return shareLinks.get(req.params.id);
    },
  );

  app.post(
    '/v1/share-links/:id/visits',
    {
      config: { auth: { scope: 'events:write', customer: true } },
      schema: {
        tags,
        summary: 'A visit through a share link, recorded as a behaviour event of its social channel',
        params: S.ShareLinkParam,
        body: S.VisitBody,
        response: { 200: S.VisitResponse, ...errorResponses(400, 404) },
      },
    },
    async (req) =>
      shareLinks.visit(
        req.params.id,
        req.body.anonymous_id,
        req.principal?.kind === 'customer' ? req.principal.customerId : null,
      ),
  );
}
