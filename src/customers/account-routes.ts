import type { FastifyRequest } from 'fastify';
import type { App } from '../platform/http/app.js';
import { errorResponses } from '../platform/http/schemas.js';
import { problems } from '../platform/http/problems.js';
import type { Principal } from '../platform/http/auth-model.js';
import type { ThrottleRule } from '../platform/http/rate-limit.js';
import { emailOf } from '../platform/http/rate-limit.js';
import { loginThrottle, signupThrottle } from '../platform/auth/session-routes.js';
import { IdParam } from './schemas.js';
import {
  AccountLoginBody,
  AccountRegisterBody,
  CodeSentResponse,
  LocaleBody,
  ResetConfirmBody,
  ResetRequestBody,
  SignedInResponse,
  VerifyBody,
} from './account-schemas.js';
import type { AccountService } from './account-service.js';
import type { CustomersService } from './service.js';
import { Type } from '@sinclair/typebox';

/** Every request that tries a code is counted per address and per client IP (the login limits). */
const perAddress = (name: string): ThrottleRule[] => [
  { bucket: `${name}:account`, by: (req: FastifyRequest) => emailOf(req), limit: 'loginPerAccount' },
  { bucket: `${name}:ip`, by: 'ip', limit: 'loginPerIp' },
];
/**
 * Requests that mail a code (registering, password reset) share one bucket per address, so nobody
 * can fill someone's inbox: 5 mails per address per 10 minutes, whatever the route.
 */
const CODE_MAILS: ThrottleRule = {
  bucket: 'customer-code-mail:account',
  by: (req: FastifyRequest) => emailOf(req),
  limit: { max: 5, windowMs: 600_000 },
};

/** Customers sign up and in through a channel key (publishable or secret), never as staff. */
function channelKey(p: Principal | undefined): { channelId: string; trusted: boolean } {
  if (p?.kind !== 'api_key') throw problems.forbidden('customers sign in through a channel API key');
  return { channelId: p.channelId, trusted: p.keyKind === 'secret' };
}

export async function accountRoutes(
  app: App,
  { accounts, customers }: { accounts: AccountService; customers: CustomersService },
): Promise<void> {
  const tags = ['auth'];
  const auth = { scope: 'customers:authenticate' as const, customer: true };

  app.post(
    '/v1/auth/customer/register',
    {
      config: { auth, throttle: [...signupThrottle('customer-register'), CODE_MAILS] },
      schema: {
        tags,
        summary:
          'Register: a publishable key always gets 202 and the address a code (the account exists once verified); a secret key creates a new address at once (201)',
        body: AccountRegisterBody,
        response: { 201: SignedInResponse, 202: CodeSentResponse, ...errorResponses(400, 409, 429) },
      },
    },
    async (req, reply) => {
      const res = await accounts.register({ ...req.body, ...channelKey(req.principal) });
      return reply.code(res.status).send(res.body);
    },
  );

  app.post(
    '/v1/auth/customer/verify',
    {
      config: { auth, throttle: perAddress('customer-verify') },
      schema: {
        tags,
        summary:
          'Verify the mailed code: the account is created or attached to the profile that has the address (with its history and guest orders)',
        body: VerifyBody,
        response: { 200: SignedInResponse, ...errorResponses(400, 409, 422, 429) },
      },
    },
    async (req) => accounts.verify({ ...req.body, channelId: channelKey(req.principal).channelId }),
  );

  app.post(
    '/v1/auth/customer/login',
    {
      // Counted per account and per IP before argon2 runs (platform/http/rate-limit.ts).
      config: { auth, throttle: loginThrottle('customer-login') },
      schema: {
        tags,
        summary:
          "Customer login through a channel key: a customer token bound to that channel; the device's anonymous cart and history join the account",
        body: AccountLoginBody,
        response: { 200: SignedInResponse, ...errorResponses(400, 401, 429) },
      },
    },
    async (req) => accounts.login({ ...req.body, channelId: channelKey(req.principal).channelId }),
  );

  app.post(
    '/v1/auth/customer/password-reset',
    {
      config: { auth, throttle: [CODE_MAILS, { bucket: 'customer-reset:ip', by: 'ip', limit: 'loginPerIp' }] },
      schema: {
        tags,
        summary: 'Ask for a password-reset code by mail (the same answer whether or not the address has an account)',
        body: ResetRequestBody,
        response: { 202: CodeSentResponse, ...errorResponses(400, 429) },
      },
    },
    async (req, reply) =>
      reply
        .code(202)
        .send(await accounts.requestReset({ ...req.body, channelId: channelKey(req.principal).channelId })),
  );

  app.post(
    '/v1/auth/customer/password-reset/confirm',
    {
      config: { auth, throttle: perAddress('customer-reset-confirm') },
      schema: {
        tags,
        summary: "Set a new password with the mailed code; the account's other sessions end",
        body: ResetConfirmBody,
        response: { 200: SignedInResponse, ...errorResponses(400, 422, 429) },
      },
    },
    async (req) => accounts.confirmReset({ ...req.body, channelId: channelKey(req.principal).channelId }),
  );

  app.put(
    '/v1/customers/:id/locale',
    {
      config: { auth: { scope: 'customers:write', customer: true } },
      schema: {
        tags: ['customers'],
        summary: 'The language messages to this customer are written in (the shopper’s choice wins over the channel’s)',
        params: IdParam,
        body: LocaleBody,
        response: {
          200: Type.Object({ customer_id: Type.String(), locale: Type.String() }),
          ...errorResponses(400, 403, 404),
        },
      },
    },
    async (req) => {
      await customers.assertAccess(req.principal, req.params.id, 'write');
      return accounts.setLocale(req.params.id, req.body.locale);
    },
  );
}
