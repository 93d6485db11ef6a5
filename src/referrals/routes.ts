/** HTTP for referrals: schemas in, the service out. Who may read what is the policy's (via the service). */
import type { App } from '../platform/http/app.js';
import { errorResponses } from '../platform/http/schemas.js';
import type { ReferralsService } from './service.js';
import {
  CustomerParam,
  ListQuery,
  PageOnly,
  ProgrammeBody,
  ProgrammeSchema,
  ReferralCodeSchema,
  ReferralPage,
  ReferralParam,
  ReferralSchema,
} from './schemas.js';

export async function referralRoutes(app: App, { referrals }: { referrals: ReferralsService }): Promise<void> {
  const tags = ['referrals'];

  app.get(
    '/v1/referral-programme',
    {
      config: { auth: { scope: 'promotions:read' } },
      schema: {
        tags,
        summary: 'The referral programme: the friend’s promotion and the referrer’s store-credit reward',
        response: { 200: ProgrammeSchema, ...errorResponses(404) },
      },
    },
    async () => referrals.programme(),
  );

  app.put(
    '/v1/referral-programme',
    {
      config: { auth: { scope: 'promotions:write' } },
      schema: {
        tags,
        summary: 'Set the referral programme (the promotion must be coupon-only and first-order only)',
        body: ProgrammeBody,
        response: { 200: ProgrammeSchema, ...errorResponses(400, 409) },
      },
    },
    async (req) => referrals.setProgramme(req.body),
  );

  app.get(
    '/v1/customers/:id/referral',
    {
      config: { auth: { scope: 'customers:read', customer: true } },
      schema: {
        tags,
        summary: 'A customer’s referral code and share link (made on first request, stable after)',
        params: CustomerParam,
        response: { 200: ReferralCodeSchema, ...errorResponses(404, 409) },
      },
    },
    async (req) => referrals.codeFor(req.principal, req.params.id),
  );

  app.get(
    '/v1/customers/:id/referrals',
    {
      config: { auth: { scope: 'customers:read', customer: true } },
      schema: {
        tags,
        summary: 'The referrals a customer’s code brought (and the one that brought them), with status and reason',
        params: CustomerParam,
        querystring: PageOnly,
        response: { 200: ReferralPage, ...errorResponses(400, 404) },
      },
    },
    async (req) => referrals.referralsOf(req.principal, req.params.id, req.query),
  );

  app.get(
    '/v1/referrals',
    {
      config: { auth: { scope: 'customers:read' } },
      schema: {
        tags,
        summary: 'Every referral, newest first (filter refused ones to see the self-referral reasons)',
        querystring: ListQuery,
        response: { 200: ReferralPage, ...errorResponses(400) },
      },
    },
    async (req) => referrals.list(req.principal, req.query),
  );

  app.get(
    '/v1/referrals/:id',
    {
      config: { auth: { scope: 'customers:read', customer: true } },
      schema: {
        tags,
        summary: 'One referral (its referrer, staff and secret keys)',
        params: ReferralParam,
        response: { 200: ReferralSchema, ...errorResponses(404) },
      },
    },
    async (req) => referrals.get(req.principal, req.params.id),
  );
}
