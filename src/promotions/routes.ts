import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http/app.js';
import { Page, PageQuery } from '../platform/http/pagination.js';
import { StringEnum, errorResponses } from '../platform/http/schemas.js';
import type { Principal } from '../platform/http/auth-model.js';
import { actingChannel, authorizeResource, boundLocation } from '../platform/auth/policy.js';
import type { PromotionsService } from './service.js';
import type { PromotionsNetworkPort } from './ports.js';
import { PROMOTION_STATUSES } from './types.js';
import {
  CouponCheckSchema,
  CouponSchema,
  CouponValidateBody,
  CouponsCreate,
  CouponsCreated,
  PromotionCreate,
  PromotionPatch,
  PromotionSchema,
  QuoteBody,
  QuoteQuery,
  QuoteSchema,
} from './schemas.js';

const DryRunQuery = Type.Object({
  dry_run: Type.Optional(Type.Boolean({ description: 'validate only: the answer or the errors, nothing saved' })),
});
const DRY_RUN_NOTE =
  'With `dry_run=true` every check runs (fields, references, exclusive overlaps without the lock) and the promotion that would be saved is returned with 200; nothing is written. The console validates forms this way as they are typed.';
const CouponBatchSchema = Type.Object({
  batch_id: Type.String(),
  count: Type.Integer(),
  redeemed: Type.Integer({ description: 'codes used at least once' }),
  created_at: Type.String({ format: 'date-time' }),
});

const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, description: 'id or code' }) });

/**
 * Who a pricing request acts for: an API key or a customer token prices for its own channel (and a
 * store-bound key for its own store); staff name the channel. Naming another channel is refused.
 */
function actingFor(
  principal: Principal | undefined,
  /** The named channel's id, resolved by the route (a customer token knows only its channel's id). */
  namedId: string | undefined,
  body: {
    channel?: string | undefined;
    customer_id?: string | null | undefined;
    location_id?: string | null | undefined;
  },
) {
  const channel = actingChannel(principal, body.channel, namedId);
  // A customer prices for themselves; naming a customer is pricing for them, which the policy decides.
  const customer_id = body.customer_id ?? (principal?.kind === 'customer' ? principal.customerId : null);
  if (customer_id !== null) authorizeResource(principal, 'read', { kind: 'customer', customerId: customer_id });
  const location_id = body.location_id ?? boundLocation(principal);
  if (location_id) authorizeResource(principal, 'read', { kind: 'stock', locationId: location_id });
  return { channel, customer_id, location_id };
}

export async function promotionRoutes(
  app: App,
  { promotions, network }: { promotions: PromotionsService; network: PromotionsNetworkPort },
): Promise<void> {
  const namedChannel = async (p: Principal | undefined, named: string | undefined) =>
    named && p?.kind !== 'staff' ? (await network.channel(named))?.id : undefined;
  const tags = ['promotions'];

  app.get(
    '/v1/promotions',
    {
      config: { auth: { scope: 'promotions:read' } },
      schema: {
        tags,
        summary: 'List promotions',
        querystring: Type.Object({ ...PageQuery, status: Type.Optional(StringEnum(PROMOTION_STATUSES)) }),
        response: { 200: Page(PromotionSchema), ...errorResponses(400) },
      },
    },
    async (req) => promotions.listPromotions(req.query),
  );

  app.post(
    '/v1/promotions',
    {
      config: { auth: { scope: 'promotions:write' } },
      schema: {
        tags,
        summary: 'Create a promotion (validated: amounts, percentages, references, exclusive overlaps)',
        description: DRY_RUN_NOTE,
        querystring: DryRunQuery,
        body: PromotionCreate,
        response: { 200: PromotionSchema, 201: PromotionSchema, ...errorResponses(400, 409) },
      },
    },
    async (req, reply) => {
      const dryRun = req.query.dry_run === true;
      const out = await promotions.createPromotion(req.body, { dryRun });
      return reply.code(dryRun ? 200 : 201).send(out);
    },
  );

  app.get(
    '/v1/promotions/:id',
    {
      config: { auth: { scope: 'promotions:read' } },
      schema: {
        tags,
        summary: 'Get a promotion by id or code',
        params: IdParam,
        response: { 200: PromotionSchema, ...errorResponses(404) },
      },
    },
    async (req) => promotions.getPromotion(req.params.id),
  );

  app.patch(
    '/v1/promotions/:id',
    {
      config: { auth: { scope: 'promotions:write' } },
      schema: {
        tags,
        summary: 'Change a promotion (status, dates, parameters…)',
        description: DRY_RUN_NOTE,
        params: IdParam,
        querystring: DryRunQuery,
        body: PromotionPatch,
        response: { 200: PromotionSchema, ...errorResponses(400, 404, 409) },
      },
    },
    async (req) => promotions.updatePromotion(req.params.id, req.body, { dryRun: req.query.dry_run === true }),
  );

  app.get(
    '/v1/promotions/:id/coupon-batches',
    {
      config: { auth: { scope: 'coupons:read' } },
      schema: {
        tags,
        summary: "A promotion's batches of single-use codes, newest first, with how many were used",
        params: IdParam,
        response: {
          200: Type.Object({ items: Type.Array(CouponBatchSchema), next_cursor: Type.Null() }),
          ...errorResponses(404),
        },
      },
    },
    async (req) => ({ items: await promotions.couponBatches(req.params.id), next_cursor: null }),
  );

  app.get(
    '/v1/promotions/:id/coupon-batches/:batch_id/codes',
    {
      // The codes themselves: the same scope as listing coupons.
      config: { auth: { scope: 'coupons:read' } },
      schema: {
        tags,
        summary: "One batch's codes as CSV (code, redeemed, active, starts_at, ends_at)",
        params: Type.Object({
          id: IdParam.properties.id,
          batch_id: Type.String({ minLength: 1, maxLength: 64 }),
        }),
        produces: ['text/csv'],
        response: {
          200: {
            description: 'text/csv; a header line, then one line per code',
            content: { 'text/csv': { schema: Type.String() } },
          },
          ...errorResponses(404),
        },
      },
    },
    async (req, reply) => {
      const csv = await promotions.couponBatchCsv(req.params.id, req.params.batch_id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="coupons-${req.params.batch_id}.csv"`)
        .send(csv as unknown as Parameters<typeof reply.send>[0]);
    },
  );

  app.post(
    '/v1/promotions/:id/coupons',
    {
      config: { auth: { scope: 'promotions:write' } },
      schema: {
        tags,
        summary: 'Create a public coupon code, or generate a batch of unique single-use codes (up to 10000)',
        params: IdParam,
        body: CouponsCreate,
        response: { 201: CouponsCreated, ...errorResponses(400, 404, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await promotions.createCoupons(req.params.id, req.body)),
  );

  app.get(
    '/v1/promotions/:id/coupons',
    {
      // Every unused single-use code is money: listing them is its own scope.
      config: { auth: { scope: 'coupons:read' } },
      schema: {
        tags,
        summary: "List a promotion's coupons",
        params: IdParam,
        querystring: Type.Object(PageQuery),
        response: { 200: Page(CouponSchema), ...errorResponses(400, 404) },
      },
    },
    async (req) => promotions.listCoupons(req.params.id, req.query),
  );

  app.post(
    '/v1/pricing/quote',
    {
      config: { auth: { scope: 'pricing:read', customer: true } },
      schema: {
        tags: ['pricing'],
        summary: 'Price a basket for a channel with the one engine: prices, promotions, coupons, shipping, VAT',
        description:
          "Every line lists the promotions that `applied` (amount and what it gives) and every coupon its verdict. With `explain=true` the answer also says why each promotion that looked at a line (or at the basket, for shipping) did not apply, in `not_applied`; the console's sandbox asks for it. Without it those fields are absent and the quote is cheaper; its amounts are identical.",
        querystring: QuoteQuery,
        body: QuoteBody,
        response: { 200: QuoteSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (req) => {
      const who = actingFor(req.principal, await namedChannel(req.principal, req.body.channel), req.body);
      // the public quote API is for browsing: catalog facts may be up to 10 s old (checkout reads fresh)
      return promotions.quote({ ...req.body, ...who, explain: req.query.explain === true }, { cached: true });
    },
  );

  app.post(
    '/v1/coupons/validate',
    {
      config: { auth: { scope: 'pricing:read', customer: true } },
      schema: {
        tags: ['pricing'],
        summary: 'Check whether a coupon can be used now (nothing is redeemed)',
        body: CouponValidateBody,
        response: { 200: CouponCheckSchema, ...errorResponses(400, 403) },
      },
    },
    async (req) => {
      const who = actingFor(req.principal, await namedChannel(req.principal, req.body.channel), req.body);
      return promotions.validateCoupon(req.body.code, { channel: who.channel, customer_id: who.customer_id });
    },
  );
}
