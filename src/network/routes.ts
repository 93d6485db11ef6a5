import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http/app.js';
import { Page, PageQuery, decodeCursor, pageOf } from '../platform/http/pagination.js';
import { StringEnum, errorResponses } from '../platform/http/schemas.js';
import type { NetworkService } from './service.js';
import {
  ChannelCreate,
  ChannelPatch,
  ChannelSchema,
  LocationCreate,
  LocationPatch,
  LocationSchema,
} from './schemas.js';
import { CAPABILITIES, LOCATION_TYPES, type Capability, type LocationType } from './types.js';

const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, description: 'id or code' }) });

function paginate<T extends { id: string }>(all: T[], limit = 50, cursor?: string) {
  const after = decodeCursor<string>(cursor);
  const rows = all.filter((r) => after === undefined || r.id > after).slice(0, limit + 1);
  return pageOf(rows, limit, (r) => r.id);
}

export async function networkRoutes(app: App, { network }: { network: NetworkService }): Promise<void> {
  const tags = ['network'];

  app.get(
    '/v1/channels',
    {
      config: { auth: { scope: 'network:read', customer: true } },
      schema: {
        tags,
        summary: 'List channels',
        querystring: Type.Object(PageQuery),
        response: { 200: Page(ChannelSchema) },
      },
    },
    async (req) => paginate(await network.listChannels(), req.query.limit, req.query.cursor),
  );

  app.post(
    '/v1/channels',
    {
      config: { auth: { scope: 'network:write' } },
      schema: {
        tags,
        summary: 'Create a channel',
        body: ChannelCreate,
        response: { 201: ChannelSchema, ...errorResponses(400, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await network.createChannel(req.body)),
  );

  app.get(
    '/v1/channels/:id',
    {
      config: { auth: { scope: 'network:read', customer: true } },
      schema: {
        tags,
        summary: 'Get a channel by id or code',
        params: IdParam,
        response: { 200: ChannelSchema, ...errorResponses(404) },
      },
    },
    async (req) => network.requireChannel(req.params.id),
  );

  app.patch(
    '/v1/channels/:id',
    {
      config: { auth: { scope: 'network:write' } },
      schema: {
        tags,
        summary: 'Change a channel (name, currency, stock policy…)',
        params: IdParam,
        body: ChannelPatch,
        response: { 200: ChannelSchema, ...errorResponses(400, 404) },
      },
    },
    async (req) => network.updateChannel(req.params.id, req.body),
  );

  app.get(
    '/v1/locations',
    {
      config: { auth: { scope: 'network:read', customer: true } },
      schema: {
        tags,
        summary: 'List locations',
        querystring: Type.Object({
          ...PageQuery,
          type: Type.Optional(StringEnum(LOCATION_TYPES)),
          capability: Type.Optional(StringEnum(CAPABILITIES)),
        }),
        response: { 200: Page(LocationSchema) },
      },
    },
    async (req) => {
      const filter: { type?: LocationType; capability?: Capability } = {};
      if (req.query.type) filter.type = req.query.type;
      if (req.query.capability) filter.capability = req.query.capability;
      return paginate(await network.listLocations(filter), req.query.limit, req.query.cursor);
    },
  );

  app.post(
    '/v1/locations',
    {
      config: { auth: { scope: 'network:write' } },
      schema: {
        tags,
        summary: 'Create a location',
        body: LocationCreate,
        response: { 201: LocationSchema, ...errorResponses(400, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await network.createLocation(req.body)),
  );

  app.get(
    '/v1/locations/:id',
    {
      config: { auth: { scope: 'network:read', customer: true } },
      schema: {
        tags,
        summary: 'Get a location by id or code',
        params: IdParam,
        response: { 200: LocationSchema, ...errorResponses(404) },
      },
    },
    async (req) => network.requireLocation(req.params.id),
  );

  app.patch(
    '/v1/locations/:id',
    {
      config: { auth: { scope: 'network:write' } },
      schema: {
        tags,
        summary: 'Change a location',
        params: IdParam,
        body: LocationPatch,
        response: { 200: LocationSchema, ...errorResponses(400, 404) },
      },
    },
    async (req) => network.updateLocation(req.params.id, req.body),
  );
}
