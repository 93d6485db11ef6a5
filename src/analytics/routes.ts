import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../platform/http/app.js';
import { authorizeResource } from '../platform/auth/policy.js';
import { errorResponses } from '../platform/http/schemas.js';
import type { AnalyticsService } from './service.js';
import { channelMixCsv, lostSalesCsv, shippingCsv } from './csv.js';
import * as S from './schemas.js';
import { lostDemandHook } from './lost-demand-hook.js';
import { operations } from './operations.js';

/** Reports span every channel and store: the policy says who may read them. */
const report = (req: FastifyRequest) => authorizeResource(req.principal, 'read', { kind: 'analytics' });

/** `?format=csv` or an Accept header that prefers CSV to JSON. */
function wantsCsv(req: FastifyRequest): boolean {
  const format = (req.query as { format?: string }).format;
  if (format) return format === 'csv';
  const accept = req.headers.accept ?? '';
  return accept.includes('text/csv') && !accept.includes('application/json');
}

function sendCsv(reply: FastifyReply, name: string, from: string, to: string, body: string) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}-${from}-${to}.csv"`)
    .send(body);
}

const jsonOrCsv = (schema: TSchema, description: string) => ({
  200: {
    description,
    content: { 'application/json': { schema }, 'text/csv': { schema: Type.String() } },
  },
  ...errorResponses(400, 401, 403),
});

export async function analyticsRoutes(app: App, { analytics }: { analytics: AnalyticsService }): Promise<void> {
  const tags = ['analytics'];
  if (analytics.lostDemand) lostDemandHook(app, analytics.lostDemand);

  app.get(
    '/v1/analytics/operations',
    {
      config: { auth: { scope: 'analytics:read' } },
      schema: {
        tags,
        summary:
          "The dashboard's figures for a window (default: today UTC): orders, revenue and units by channel, click & collect orders, home deliveries shipped by stores, open tasks past their SLA per location",
        querystring: S.OperationsQuery,
        response: { 200: S.OperationsSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      report(req);
      return operations(analytics.db, analytics.clock, req.query);
    },
  );

  app.get(
    '/v1/analytics/channel-mix',
    {
      config: { auth: { scope: 'analytics:read' } },
      schema: {
        tags,
        summary:
          'Channel mix and customer value: online-only, store-only and omnichannel customers (share, spend, orders per year, basket, return rate, 12-month retention) in total and by month, region or store; visit → order conversion per channel; store crediting of web orders collected in store',
        querystring: S.ChannelMixQuery,
        produces: ['application/json', 'text/csv'],
        response: jsonOrCsv(S.ChannelMixReportSchema, 'the report (JSON), or one of its tables as CSV'),
      },
    },
    async (req, reply) => {
      report(req);
      const r = await analytics.channelMix(req.query);
      if (wantsCsv(req))
        return sendCsv(reply, 'channel-mix', r.from, r.to, channelMixCsv(r, req.query.table ?? 'segments'));
      return r;
    },
  );

  app.get(
    '/v1/analytics/shipping',
    {
      config: { auth: { scope: 'analytics:read' } },
      schema: {
        tags,
        summary:
          'Shipping cost and free shipping: real fulfilment cost vs shipping paid by zone, basket band and method; contribution per band; the what-if of a free-shipping threshold and the break-even threshold',
        querystring: S.ShippingQuery,
        produces: ['application/json', 'text/csv'],
        response: jsonOrCsv(S.ShippingReportSchema, 'the report (JSON), or one of its tables as CSV'),
      },
    },
    async (req, reply) => {
      report(req);
      const r = await analytics.shipping(req.query);
      if (wantsCsv(req)) return sendCsv(reply, 'shipping', r.from, r.to, shippingCsv(r, req.query.table ?? 'bands'));
      return r;
    },
  );

  app.get(
    '/v1/analytics/lost-sales',
    {
      config: { auth: { scope: 'analytics:read' } },
      schema: {
        tags,
        summary:
          'Lost sales: availability queries, cart additions and checkouts answered out of stock, valued at price, by channel, store, product and size; what another location could have served (sourcing opportunity) vs not (buying problem)',
        querystring: S.LostSalesQuery,
        produces: ['application/json', 'text/csv'],
        response: jsonOrCsv(S.LostSalesReportSchema, 'the report (JSON), or its lines or store × size grid as CSV'),
      },
    },
    async (req, reply) => {
      report(req);
      const { lines, ...r } = await analytics.lostSales(req.query);
      if (wantsCsv(req))
        return sendCsv(reply, 'lost-sales', r.from, r.to, lostSalesCsv(r, lines, req.query.table ?? 'lines'));
      return r;
    },
  );
}
