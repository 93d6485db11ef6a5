import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../platform/http/app.js';
import { actingChannel, authorizeResource, type Resource } from '../platform/auth/policy.js';
import { decodeCursor, encodeCursor } from '../platform/http/pagination.js';
import { problems } from '../platform/http/problems.js';
import { errorResponses } from '../platform/http/schemas.js';
import type { InventoryNetworkPort } from './ports.js';
import type { InventoryService } from './service.js';
import * as S from './schemas.js';
import type { Reservation } from './types.js';

/** The channel a request acts for (the policy's one `actingChannel`), after resolving a named one. */
async function channelFor(
  req: FastifyRequest,
  named: string | undefined,
  network: InventoryNetworkPort,
): Promise<string> {
  const namedId = named && req.principal?.kind !== 'staff' ? (await network.requireChannel(named)).id : undefined;
  return actingChannel(req.principal, named, namedId);
}

/** Stock at a location is changed only by credentials the policy lets act there. */
const assertStockAccess = (req: FastifyRequest, locationId: string) =>
  authorizeResource(req.principal, 'write', { kind: 'stock', locationId });

/** The reservation as the policy sees it: its channel, its store when all lines are at one. */
function reservationResource(r: Reservation): Resource {
  const locations = new Set(r.lines.map((l) => l.location_id));
  return {
    kind: 'reservation',
    id: r.id,
    channelId: r.channel_id,
    locationId: locations.size === 1 ? [...locations][0]! : null,
    customerId: r.customer_id,
  };
}

const actorOf = (req: FastifyRequest) => req.principal?.id ?? 'anonymous';

export async function inventoryRoutes(
  app: App,
  { inventory, network }: { inventory: InventoryService; network: InventoryNetworkPort },
): Promise<void> {
  const tags = ['inventory'];

  // The console's product page shows every size's stock at once; one call instead of one per SKU.
  app.get(
    '/v1/inventory',
    {
      config: { auth: { scope: 'inventory:read' } },
      schema: {
        tags,
        summary: 'Stock of several SKUs per location (at most 100)',
        querystring: Type.Object({
          skus: Type.String({ minLength: 1, maxLength: 6500, description: 'comma-separated SKUs, at most 100' }),
        }),
        response: { 200: Type.Object({ items: Type.Array(S.SkuStockSchema) }), ...errorResponses(400, 404) },
      },
    },
    async (req) => {
      const skus = [...new Set(req.query.skus.split(',').map((s) => s.trim()))];
      if (skus.some((s) => !s)) throw problems.field('skus', 'has an empty SKU');
      if (skus.length > 100) throw problems.field('skus', `names ${skus.length} SKUs; at most 100`);
      const items = [];
      for (const sku of skus) items.push(await inventory.stock(sku));
      return { items };
    },
  );

  app.get(
    '/v1/inventory/:sku',
    {
      config: { auth: { scope: 'inventory:read' } },
      schema: {
        tags,
        summary: 'Stock of a SKU per location',
        params: S.SkuParam,
        response: { 200: S.SkuStockSchema, ...errorResponses(404) },
      },
    },
    async (req) => inventory.stock(req.params.sku),
  );

  app.get(
    '/v1/inventory/:sku/movements',
    {
      config: { auth: { scope: 'inventory:read' } },
      schema: {
        tags,
        summary: 'The movement ledger of a SKU, newest first',
        params: S.SkuParam,
        querystring: S.MovementsQuery,
        response: {
          200: Type.Object({
            items: Type.Array(S.MovementSchema),
            next_cursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses(400, 404),
        },
      },
    },
    async (req) => {
      const before = decodeCursor<number>(req.query.cursor);
      if (before !== undefined && !Number.isInteger(before))
        throw problems.field('cursor', 'is not a cursor this API issued');
      const locationId = req.query.location_id ? (await network.requireLocation(req.query.location_id)).id : undefined;
      const page = await inventory.movements(req.params.sku, {
        location_id: locationId,
        before,
        limit: req.query.limit ?? 50,
      });
      return { items: page.items, next_cursor: page.next_before === null ? null : encodeCursor(page.next_before) };
    },
  );

  app.patch(
    '/v1/inventory/:sku/levels/:location_id',
    {
      config: { auth: { scope: 'inventory:write' } },
      schema: {
        tags,
        summary: 'Set safety stock and min/max of a SKU at a location',
        params: S.LevelParams,
        body: S.LevelPatch,
        response: { 200: S.LevelSchema, ...errorResponses(400, 404, 422) },
      },
    },
    async (req) => {
      const loc = await network.requireLocation(req.params.location_id);
      assertStockAccess(req, loc.id);
      return inventory.setLevelPolicy(req.params.sku, loc.id, req.body);
    },
  );

  app.post(
    '/v1/inventory/movements',
    {
      config: { auth: { scope: 'inventory:write' } },
      schema: {
        tags,
        summary: 'Record a receipt, adjustment, count (absolute) or damage',
        body: S.MovementCreate,
        response: { 201: S.MovementResult, ...errorResponses(400, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const loc = await network.requireLocation(req.body.location_id);
      assertStockAccess(req, loc.id);
      return reply
        .code(201)
        .send(await inventory.recordMovement({ ...req.body, location_id: loc.id, actor: actorOf(req) }));
    },
  );

  app.get(
    '/v1/availability',
    {
      config: { auth: { scope: 'inventory:read', customer: true } },
      schema: {
        tags,
        summary: 'What a channel may promise of one SKU, optionally near a point',
        description:
          'Lists every location with something to promise (nearest first near a point). With fields=total the ' +
          'answer has no location list, only `available` and `location_count`: what a product page shows, far smaller.',
        querystring: S.AvailabilityQuerystring,
        response: { 200: S.AvailabilityAnswer, ...errorResponses(400, 403, 404) },
      },
    },
    async (req, reply) => {
      const { sku, channel, fields, ...point } = req.query;
      // The answer's JSON as the schema writes it, made (or kept) by the answer cache (answer-cache.ts).
      const answers = inventory.answers;
      const [one] = await (fields === 'total' ? answers.totalJson : answers.json).call(
        answers,
        {
          channel: await channelFor(req, channel, network),
          skus: [sku],
          ...point,
        },
        { lagOk: {} },
      );
      return reply.type('application/json; charset=utf-8').send(one as unknown as Parameters<typeof reply.send>[0]);
    },
  );

  app.post(
    '/v1/availability/query',
    {
      config: { auth: { scope: 'inventory:read', customer: true } },
      schema: {
        tags,
        summary: 'What a channel may promise of many SKUs, optionally near a point',
        description: 'One answer per distinct SKU; with fields=total, each without its location list (location_count).',
        body: S.AvailabilityBody,
        response: { 200: S.AvailabilityItems, ...errorResponses(400, 403, 404) },
      },
    },
    async (req, reply) => {
      const { channel, fields, ...rest } = req.body;
      const answers = inventory.answers;
      const items = await (fields === 'total' ? answers.totalJson : answers.json).call(
        answers,
        { ...rest, channel: await channelFor(req, channel, network) },
        { lagOk: {} }, // the replica may answer (DATABASE_READ_URL, docs/scaling.md)
      );
      return reply
        .type('application/json; charset=utf-8')
        .send(`{"items":[${items.join(',')}]}` as unknown as Parameters<typeof reply.send>[0]);
    },
  );

  app.post(
    '/v1/reservations',
    {
      config: { auth: { scope: 'reservations:write' } },
      schema: {
        tags,
        summary: 'Reserve all lines or none',
        body: S.ReservationCreate,
        response: { 201: S.ReservationSchema, ...errorResponses(400, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const { channel, ...rest } = req.body;
      const channelId = await channelFor(req, channel, network);
      // Lines named at a store are judged as that store's reservation (a till key reserves at its own).
      for (const l of rest.lines)
        if (l.location_id)
          authorizeResource(req.principal, 'write', {
            kind: 'reservation',
            channelId,
            locationId: (await network.requireLocation(l.location_id)).id,
          });
      return reply.code(201).send(await inventory.reserve({ ...rest, channel: channelId }));
    },
  );

  app.get(
    '/v1/reservations/:id',
    {
      config: { auth: { scope: 'reservations:write' } },
      schema: {
        tags,
        summary: 'A reservation',
        params: S.IdParam,
        response: { 200: S.ReservationSchema, ...errorResponses(404) },
      },
    },
    async (req) => {
      const r = await inventory.getReservation(req.params.id);
      authorizeResource(req.principal, 'read', reservationResource(r));
      return r;
    },
  );

  app.delete(
    '/v1/reservations/:id',
    {
      config: { auth: { scope: 'reservations:write' } },
      schema: {
        tags,
        summary: 'Release a reservation',
        params: S.IdParam,
        response: { 200: S.ReservationSchema, ...errorResponses(404, 409) },
      },
    },
    async (req) => {
      authorizeResource(req.principal, 'write', reservationResource(await inventory.getReservation(req.params.id)));
      return inventory.release(req.params.id);
    },
  );

  app.post(
    '/v1/reservations/:id/confirm',
    {
      config: { auth: { scope: 'reservations:write' } },
      schema: {
        tags,
        summary: 'Confirm a reservation (or some of its lines) as sold',
        params: S.IdParam,
        body: S.ConfirmBody,
        response: { 200: S.ReservationSchema, ...errorResponses(400, 404, 409) },
      },
    },
    async (req) => {
      authorizeResource(req.principal, 'write', reservationResource(await inventory.getReservation(req.params.id)));
      const lines = req.body.lines;
      return lines
        ? inventory.confirmLines(req.params.id, lines, { actor: actorOf(req) })
        : inventory.confirm(req.params.id, { actor: actorOf(req) });
    },
  );

  app.post(
    '/v1/transfers',
    {
      config: { auth: { scope: 'inventory:write' } },
      schema: {
        tags,
        summary: 'Dispatch stock from one location to another (in transit until received)',
        body: S.TransferCreate,
        response: { 201: S.TransferSchema, ...errorResponses(400, 404, 409) },
      },
    },
    async (req, reply) => {
      const from = await network.requireLocation(req.body.from_location_id);
      assertStockAccess(req, from.id);
      return reply
        .code(201)
        .send(await inventory.createTransfer({ ...req.body, from_location_id: from.id, actor: actorOf(req) }));
    },
  );

  app.get(
    '/v1/transfers/:id',
    {
      config: { auth: { scope: 'inventory:read' } },
      schema: {
        tags,
        summary: 'A transfer',
        params: S.IdParam,
        response: { 200: S.TransferSchema, ...errorResponses(404) },
      },
    },
    async (req) => inventory.getTransfer(req.params.id),
  );

  app.post(
    '/v1/transfers/:id/receive',
    {
      config: { auth: { scope: 'inventory:write' } },
      schema: {
        tags,
        summary: 'Receive (part of) a transfer; close to book the shortfall as discrepancy',
        params: S.IdParam,
        body: S.TransferReceive,
        response: { 200: S.TransferSchema, ...errorResponses(400, 404, 409) },
      },
    },
    async (req) => {
      const t = await inventory.getTransfer(req.params.id);
      assertStockAccess(req, t.to_location_id);
      return inventory.receiveTransfer(req.params.id, { ...req.body, actor: actorOf(req) });
    },
  );
}
