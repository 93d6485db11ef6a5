import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http/app.js';
import { errorResponses } from '../platform/http/schemas.js';
import { problems } from '../platform/http/problems.js';
import { OrderSchema } from '../orders/index.js';
import type { CartsService } from './service.js';
import type { CheckoutService } from './checkout.js';
import type { DeliveryService } from './delivery.js';
import { actorOf } from './view.js';
import {
  CartCreate,
  CartPatch,
  CartSchema,
  CheckoutBody,
  ClaimBody,
  CouponAdd,
  DeliveryOptionsQuery,
  DeliveryOptionsSchema,
  HandoffSchema,
  ItemAdd,
  ItemPatch,
  LeadTimeBody,
  MergeBody,
} from './schemas.js';

const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const LineParam = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  line_id: Type.String({ minLength: 1, maxLength: 64 }),
});
const CouponParam = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  code: Type.String({ minLength: 1, maxLength: 64 }),
});

export async function cartRoutes(
  app: App,
  s: { carts: CartsService; checkout: CheckoutService; delivery: DeliveryService },
): Promise<void> {
  const tags = ['carts'];
  const { carts, checkout, delivery } = s;
  const read = { auth: { scope: 'carts:read' as const, customer: true } };
  const write = { auth: { scope: 'carts:write' as const, customer: true } };

  app.post(
    '/v1/carts',
    {
      config: write,
      schema: {
        tags,
        summary: 'Open a cart (a logged-in customer gets their one open cart back)',
        body: CartCreate,
        response: { 200: CartSchema, 201: CartSchema, ...errorResponses(400) },
      },
    },
    async (req, reply) => {
      const { cart, created } = await carts.create(actorOf(req.principal), req.body ?? {});
      return reply.code(created ? 201 : 200).send(cart);
    },
  );

  app.get(
    '/v1/carts/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'Get a cart with prices and availability per line',
        params: IdParam,
        response: { 200: CartSchema, ...errorResponses(403, 404) },
      },
    },
    async (req) => carts.get(actorOf(req.principal), req.params.id),
  );

  app.patch(
    '/v1/carts/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Choose the delivery, so each line shows availability for it',
        params: IdParam,
        body: CartPatch,
        response: { 200: CartSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (req) => carts.setDelivery(actorOf(req.principal), req.params.id, req.body.delivery),
  );

  app.post(
    '/v1/carts/:id/items',
    {
      config: write,
      schema: {
        tags,
        summary: 'Add units of a SKU (adds to its line)',
        params: IdParam,
        body: ItemAdd,
        response: { 200: CartSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (req) => carts.addItem(actorOf(req.principal), req.params.id, req.body),
  );

  app.patch(
    '/v1/carts/:id/items/:line_id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Set a line quantity',
        params: LineParam,
        body: ItemPatch,
        response: { 200: CartSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (req) => carts.setQuantity(actorOf(req.principal), req.params.id, req.params.line_id, req.body.quantity),
  );

  app.delete(
    '/v1/carts/:id/items/:line_id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Remove a line',
        params: LineParam,
        response: { 200: CartSchema, ...errorResponses(403, 404, 409) },
      },
    },
    async (req) => carts.removeItem(actorOf(req.principal), req.params.id, req.params.line_id),
  );

  app.post(
    '/v1/carts/:id/coupons',
    {
      config: write,
      schema: {
        tags,
        summary: 'Apply a coupon (refused with coupon_invalid when it does not apply)',
        params: IdParam,
        body: CouponAdd,
        response: { 200: CartSchema, ...errorResponses(400, 403, 404, 409, 422) },
      },
    },
    async (req) => carts.addCoupon(actorOf(req.principal), req.params.id, req.body.code),
  );

  app.delete(
    '/v1/carts/:id/coupons/:code',
    {
      config: write,
      schema: {
        tags,
        summary: 'Remove a coupon',
        params: CouponParam,
        response: { 200: CartSchema, ...errorResponses(403, 404, 409) },
      },
    },
    async (req) => carts.removeCoupon(actorOf(req.principal), req.params.id, req.params.code),
  );

  app.post(
    '/v1/carts/:id/merge',
    {
      config: write,
      schema: {
        tags,
        summary: "At login: merge this anonymous cart into the customer's cart",
        params: IdParam,
        body: MergeBody,
        response: { 200: CartSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (req) => {
      const actor = actorOf(req.principal);
      const customerId = actor.kind === 'customer' ? actor.customerId : req.body?.customer_id;
      if (!customerId) throw problems.field('customer_id', 'name the customer whose cart this joins');
      return carts.merge(actor, req.params.id, customerId);
    },
  );

  app.post(
    '/v1/carts/:id/handoff',
    {
      config: write,
      schema: {
        tags,
        summary: 'A short code and QR payload that opens this cart elsewhere, valid 15 minutes, claimable once',
        params: IdParam,
        response: { 201: HandoffSchema, ...errorResponses(403, 404, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await carts.handoff(actorOf(req.principal), req.params.id)),
  );

  app.post(
    '/v1/carts/claim',
    {
      config: write,
      schema: {
        tags,
        summary: 'Claim a hand-off code: the same cart on this device or till',
        body: ClaimBody,
        response: { 200: CartSchema, ...errorResponses(400, 404, 409, 410) },
      },
    },
    async (req) => carts.claim(actorOf(req.principal), req.body.code),
  );

  app.get(
    '/v1/carts/:id/delivery-options',
    {
      config: read,
      schema: {
        tags,
        summary:
          'Home delivery, click & collect per store, pickup points (and endless aisle at a till), each with price and promised date',
        params: IdParam,
        querystring: DeliveryOptionsQuery,
        response: { 200: DeliveryOptionsSchema, ...errorResponses(403, 404) },
      },
    },
    async (req) => {
      // Without the lines' availability: the options read the stock they need themselves.
      const cart = await carts.get(actorOf(req.principal), req.params.id, { availability: false });
      const options = await delivery.options({
        channel_id: cart.channel_id,
        currency: cart.currency,
        lines: cart.lines,
        country: req.query.country ?? 'ES',
        merchandise_total: cart.totals?.total ?? 0,
        free_shipping_threshold: cart.free_shipping_threshold ?? undefined,
      });
      return { cart_id: cart.id, options };
    },
  );

  app.post(
    '/v1/carts/:id/checkout',
    {
      config: { auth: { scope: 'checkout:write', customer: true } },
      schema: {
        tags,
        summary: 'Place the order: stock reserved, coupons redeemed, payment authorised, in one transaction',
        params: IdParam,
        body: CheckoutBody,
        response: { 200: OrderSchema, 201: OrderSchema, ...errorResponses(400, 402, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const { order, replayed } = await checkout.checkout(actorOf(req.principal), req.params.id, req.body);
      return reply.code(replayed ? 200 : 201).send({ ...order, replayed });
    },
  );

  app.put(
    '/v1/lead-times',
    {
      config: { auth: { scope: 'network:write' } },
      schema: {
        tags: ['network'],
        summary: 'Set the days goods take between two locations (or to a door with "*")',
        body: LeadTimeBody,
        response: { 200: LeadTimeBody, ...errorResponses(400) },
      },
    },
    async (req) => delivery.setLeadTime(req.body.from_location_id, req.body.to_location_id, req.body.days),
  );
}
