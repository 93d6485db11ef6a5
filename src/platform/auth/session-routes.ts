import { Type } from '@sinclair/typebox';
import type { App } from '../http/app.js';
import { Strict, StringEnum, errorResponses } from '../http/schemas.js';
import { ROLES } from '../http/auth-model.js';
import { AppError } from '../http/problems.js';
import { emailOf, type ThrottleRule } from '../http/rate-limit.js';
import type { AuthService } from './service.js';

/** A login route's limits: per account (the email tried) and per client IP, from the configuration. */
export function loginThrottle(name: string): ThrottleRule[] {
  return [
    { bucket: `${name}:account`, by: emailOf, limit: 'loginPerAccount' },
    { bucket: `${name}:ip`, by: 'ip', limit: 'loginPerIp' },
  ];
}

/**
 * Registration hashes a password (argon2, ~as costly as a login): counted per client IP with the
 * login IP limit, so sign-ups cannot be used to burn CPU either.
 */
export function signupThrottle(name: string): ThrottleRule[] {
  return [{ bucket: `${name}:ip`, by: 'ip', limit: 'loginPerIp' }];
}

const StaffState = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: Type.String(),
  location_id: Type.Union([Type.String(), Type.Null()]),
  disabled: Type.Boolean(),
});

/** Sessions: logout for staff and customer tokens, and staff changes that end a user's sessions. */
export async function sessionRoutes(app: App, { auth }: { auth: AuthService }): Promise<void> {
  const tags = ['auth'];

  app.post(
    '/v1/auth/logout',
    {
      // Any staff or customer token may end itself; the handler refuses API keys and anonymous calls.
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'End the session of the staff or customer token sent (it is refused from then on)',
        response: { 204: Type.Null(), ...errorResponses(401) },
      },
    },
    async (req, reply) => {
      await auth.logout(req.principal);
      return reply.code(204).send(null);
    },
  );

  app.patch(
    '/v1/staff/:id',
    {
      config: { auth: { scope: 'staff:manage' } },
      schema: {
        tags,
        summary: 'Change a staff user’s role, location or disabled flag; any change ends all their sessions',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        body: Strict(
          {
            role: Type.Optional(StringEnum(ROLES)),
            location_id: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
            disabled: Type.Optional(Type.Boolean()),
          },
          { minProperties: 1 },
        ),
        response: { 200: StaffState, ...errorResponses(400, 403, 404) },
      },
    },
    async (req) => {
      if (!req.principal) throw new AppError('unauthorized', 'a credential is needed');
      return auth.updateStaff(req.params.id, {
        role: req.body.role,
        location: req.body.location_id,
        disabled: req.body.disabled,
        creator: req.principal,
      });
    },
  );
}
