import { Type } from '@sinclair/typebox';
import type { App } from '../http/app.js';
import { Strict, StringEnum, Timestamp, errorResponses } from '../http/schemas.js';
import { API_KEY_KINDS, ROLES, SCOPES, type Principal } from '../http/auth-model.js';
import { AppError } from '../http/problems.js';
import type { AuthService } from './service.js';
import { loginThrottle } from './session-routes.js';

const ApiKeyCreate = Strict({
  channel_id: Type.String({ minLength: 1, maxLength: 64, description: 'channel id or code' }),
  location_id: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: 'bind the key to one location (a store till)' }),
  ),
  kind: Type.Optional(
    StringEnum(API_KEY_KINDS, {
      description:
        'publishable: public (web pages, apps), fixed narrow rights, omk_pub_ prefix; secret (default): servers and connectors, its scopes, omk_sec_ prefix',
    }),
  ),
  scopes: Type.Optional(
    Type.Array(StringEnum(SCOPES), {
      uniqueItems: true,
      description: 'required for a secret key (only scopes you hold); a publishable key has fixed rights',
    }),
  ),
  label: Type.Optional(Type.String({ maxLength: 200 })),
});
const ApiKeyCreated = Type.Object({
  id: Type.String(),
  key: Type.String({ description: 'shown once; store it now' }),
  kind: StringEnum(API_KEY_KINDS),
  channel_id: Type.String(),
  channel_code: Type.String(),
  location_id: Type.Union([Type.String(), Type.Null()]),
  scopes: Type.Array(Type.String()),
});
const ApiKeyInfo = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  channel_id: Type.String(),
  location_id: Type.Union([Type.String(), Type.Null()]),
  scopes: Type.Array(Type.String()),
  label: Type.Union([Type.String(), Type.Null()]),
  created_at: Timestamp,
  revoked_at: Type.Union([Timestamp, Type.Null()]),
});
const StaffInfo = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: Type.String(),
  location_id: Type.Union([Type.String(), Type.Null()]),
});

/** The route's auth rule guarantees a principal; never fall back to the operator's unlimited rights. */
function creatorOf(p: Principal | undefined): Principal {
  if (!p) throw new AppError('unauthorized', 'a credential is needed');
  return p;
}

export async function authRoutes(app: App, { auth }: { auth: AuthService }): Promise<void> {
  const tags = ['auth'];

  app.post(
    '/v1/auth/staff/login',
    {
      // Counted per account and per IP before argon2 runs (rate-limit.ts, passwords.ts).
      config: { auth: 'public', throttle: loginThrottle('staff-login') },
      schema: {
        tags,
        summary: 'Staff login: returns a signed bearer token',
        security: [],
        body: Strict({
          email: Type.String({ minLength: 3, maxLength: 320 }),
          password: Type.String({ minLength: 1, maxLength: 1024 }),
        }),
        response: {
          200: Type.Object({ token: Type.String(), expires_at: Timestamp, user: StaffInfo }),
          ...errorResponses(400, 401, 429),
        },
      },
    },
    async (req) => auth.loginStaff(req.body.email, req.body.password),
  );

  app.post(
    '/v1/staff',
    {
      config: { auth: { scope: 'staff:manage' } },
      schema: {
        tags,
        summary: 'Create a staff user',
        body: Strict({
          email: Type.String({ minLength: 3, maxLength: 320 }),
          password: Type.String({ minLength: 12, maxLength: 1024 }),
          role: StringEnum(ROLES),
          location_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        }),
        response: { 201: StaffInfo, ...errorResponses(400, 403, 409) },
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await auth.createStaff({
          email: req.body.email,
          password: req.body.password,
          role: req.body.role,
          location: req.body.location_id,
          creator: creatorOf(req.principal),
        }),
      ),
  );

  app.get(
    '/v1/staff',
    {
      config: { auth: { scope: 'staff:manage' } },
      schema: {
        tags,
        summary: 'List staff users',
        response: { 200: Type.Object({ items: Type.Array(StaffInfo), next_cursor: Type.Null() }) },
      },
    },
    async () => ({
      items: (await auth.listStaff()).map((u) => ({
        id: u.id,
        email: u.email,
        role: u.role,
        location_id: u.location_id,
      })),
      next_cursor: null,
    }),
  );

  app.post(
    '/v1/api-keys',
    {
      config: { auth: { scope: 'api_keys:manage' } },
      schema: {
        tags,
        summary: 'Create an API key for one channel (the key is shown once)',
        body: ApiKeyCreate,
        response: { 201: ApiKeyCreated, ...errorResponses(400, 403) },
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await auth.createApiKey({
          channel: req.body.channel_id,
          kind: req.body.kind,
          location: req.body.location_id,
          scopes: req.body.scopes,
          label: req.body.label,
          creator: creatorOf(req.principal),
        }),
      ),
  );

  app.get(
    '/v1/api-keys',
    {
      config: { auth: { scope: 'api_keys:manage' } },
      schema: {
        tags,
        summary: 'List API keys (never their secrets)',
        response: { 200: Type.Object({ items: Type.Array(ApiKeyInfo), next_cursor: Type.Null() }) },
      },
    },
    async (req) => ({
      items: (await auth.listApiKeys(creatorOf(req.principal))).map((k) => ({
        ...k,
        created_at: k.created_at.toISOString(),
        revoked_at: k.revoked_at?.toISOString() ?? null,
      })),
      next_cursor: null,
    }),
  );

  app.delete(
    '/v1/api-keys/:id',
    {
      config: { auth: { scope: 'api_keys:manage' } },
      schema: {
        tags,
        summary: 'Revoke an API key',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 204: Type.Null(), ...errorResponses(404, 409) },
      },
    },
    async (req, reply) => {
      await auth.revokeApiKey(req.params.id, creatorOf(req.principal));
      return reply.code(204).send(null);
    },
  );
}
