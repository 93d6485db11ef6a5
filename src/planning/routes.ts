import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../platform/http/app.js';
import { authorizeResource } from '../platform/auth/policy.js';
import { Page, PageQuery, decodeCursor, pageOf } from '../platform/http/pagination.js';
import { errorResponses } from '../platform/http/schemas.js';
import type { PlanningService } from './service.js';
import * as S from './schemas.js';

const actorOf = (req: FastifyRequest) => req.principal?.id ?? 'anonymous';
/** Plans are chain-wide: the policy says who may read or run them. */
const plan = (req: FastifyRequest, action: 'read' | 'write') =>
  authorizeResource(req.principal, action, { kind: 'plan' });

export async function planningRoutes(app: App, { planning }: { planning: PlanningService }): Promise<void> {
  const tags = ['planning'];

  app.post(
    '/v1/planning/minmax',
    {
      config: { auth: { scope: 'planning:write' } },
      schema: {
        tags,
        summary: 'Start a min/max run (computed at once when small, in the background otherwise: 202)',
        body: S.RunCreate,
        response: { 201: S.RunSchema, 202: S.RunSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (req, reply) => {
      plan(req, 'write');
      const run = await planning.createRun(req.body, actorOf(req));
      return reply.code(run.status === 'done' || run.status === 'failed' ? 201 : 202).send(run);
    },
  );

  app.get(
    '/v1/planning/minmax',
    {
      config: { auth: { scope: 'planning:read' } },
      schema: {
        tags,
        summary: 'Min/max runs, newest first',
        querystring: Type.Object(PageQuery),
        response: { 200: Page(S.RunSchema) },
      },
    },
    async (req) => {
      plan(req, 'read');
      const limit = req.query.limit ?? 50;
      const rows = await planning.list(decodeCursor<string>(req.query.cursor), limit + 1);
      return pageOf(rows, limit, (r) => r.id);
    },
  );

  app.get(
    '/v1/planning/minmax/:run_id',
    {
      config: { auth: { scope: 'planning:read' } },
      schema: {
        tags,
        summary: 'A run: status and progress; when done, the chain and per-store figures and the simulation check',
        params: S.RunParam,
        response: { 200: S.RunSchema, ...errorResponses(404) },
      },
    },
    async (req) => {
      plan(req, 'read');
      return planning.get(req.params.run_id);
    },
  );

  app.get(
    '/v1/planning/minmax/:run_id/results',
    {
      config: { auth: { scope: 'planning:read' } },
      schema: {
        tags,
        summary: 'Min and max per SKU (size) per store, paged by SKU then store; ?format=csv for the whole result',
        params: S.RunParam,
        querystring: S.ResultsQuery,
        produces: ['application/json', 'text/csv'],
        response: {
          200: {
            description: 'a page of results (JSON), or every result as CSV',
            content: {
              'application/json': { schema: Page(S.ResultLineSchema) },
              'text/csv': { schema: Type.String() },
            },
          },
          ...errorResponses(400, 404, 409),
        },
      },
    },
    async (req, reply) => {
      plan(req, 'read');
      const { run_id } = req.params;
      if (req.query.format === 'csv') {
        // Fail before the first byte (404, 409) rather than inside the stream.
        await planning.get(run_id);
        const gen = planning.csv(run_id);
        const first = await gen.next();
        const body = Readable.from(
          (async function* () {
            if (!first.done) yield first.value;
            yield* gen;
          })(),
        );
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="minmax-${run_id}.csv"`)
          .send(body as unknown as Parameters<typeof reply.send>[0]);
      }
      const limit = req.query.limit ?? 50;
      const rows = await planning.results(run_id, {
        location_id: req.query.location_id,
        sku: req.query.sku,
        after: decodeCursor<[string, string]>(req.query.cursor),
        limit: limit + 1,
      });
      return pageOf(rows, limit, (r) => [r.sku, r.location_id]);
    },
  );

  app.post(
    '/v1/planning/minmax/:run_id/apply',
    {
      config: { auth: { scope: 'planning:write' } },
      schema: {
        tags,
        summary: "Write the run's min and max to the stock levels' min_qty/max_qty",
        params: S.RunParam,
        response: { 200: S.ApplyResult, ...errorResponses(403, 404, 409) },
      },
    },
    async (req) => {
      plan(req, 'write');
      // Levels are stock at each store: the policy decides for every store the run covers.
      for (const locationId of await planning.runLocations(req.params.run_id))
        authorizeResource(req.principal, 'write', { kind: 'stock', locationId });
      return planning.apply(req.params.run_id);
    },
  );

  app.get(
    '/v1/planning/proposals',
    {
      config: { auth: { scope: 'planning:read' } },
      schema: {
        tags,
        summary: 'Replenishment (warehouse → store) and rebalancing (store → store) proposals',
        querystring: S.ProposalsQuery,
        response: { 200: Page(S.ProposalSchema) },
      },
    },
    async (req) => {
      plan(req, 'read');
      const limit = req.query.limit ?? 50;
      const rows = await planning.proposals({
        run_id: req.query.run_id,
        status: req.query.status,
        kind: req.query.kind,
        location_id: req.query.location_id,
        after: decodeCursor<string>(req.query.cursor),
        limit: limit + 1,
      });
      return pageOf(rows, limit, (r) => r.id);
    },
  );

  for (const decision of ['accept', 'reject'] as const) {
    app.post(
      `/v1/planning/proposals/:id/${decision}`,
      {
        config: { auth: { scope: 'planning:write' } },
        schema: {
          tags,
          summary:
            decision === 'accept'
              ? 'Accept a proposal: its transfer is dispatched (in transit until received)'
              : 'Reject a proposal',
          params: S.ProposalParam,
          response: { 200: S.ProposalSchema, ...errorResponses(403, 404, 409) },
        },
      },
      async (req) => {
        plan(req, 'write');
        const p = await planning.proposal(req.params.id);
        // Accepting moves stock out of the source, like POST /v1/transfers.
        if (decision === 'accept')
          authorizeResource(req.principal, 'write', { kind: 'stock', locationId: p.from_location_id });
        return planning.decide(req.params.id, decision, actorOf(req));
      },
    );
  }
}
