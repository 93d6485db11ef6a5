import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http/app.js';
import { errorResponses, Timestamp } from '../platform/http/schemas.js';
import { assertOrderVisible } from '../orders/index.js';
import type { NotificationsOrdersPort } from './ports.js';
import type { NotificationsService } from './service.js';
import type { Principal } from '../platform/http/auth-model.js';
import { problems } from '../platform/http/problems.js';
import type { ThrottleRule } from '../platform/http/rate-limit.js';
import { MESSAGE_KIND, MESSAGE_LOCALES, MESSAGE_TEMPLATES, sampleData, type MessageTemplate } from './messages.js';
import { renderMessage } from './message-render.js';

/** What the message routes need from customers: the policy check, and the person's profile rows. */
export interface MessagesCustomersPort {
  customers: { assertAccess(principal: Principal | undefined, id: string): Promise<void> };
  accounts: { memberIds(id: string): Promise<string[]> };
}
/** Like the pickup resend: a few per order and caller in ten minutes, then the agent calls the customer. */
const RESEND_THROTTLE: ThrottleRule[] = [
  {
    bucket: 'notification-resend:order',
    by: (req) => `${(req.params as { id: string }).id}:${req.principal?.id ?? req.ip}`,
    limit: { max: 3, windowMs: 600_000 },
  },
];
const LocaleQuery = Type.Union(MESSAGE_LOCALES.map((l) => Type.Literal(l)));

const Nullable = <T extends import('@sinclair/typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
const NotificationSchema = Type.Object({
  id: Type.String(),
  event_id: Type.String(),
  template: Type.String(),
  kind: Type.String(),
  channel: Type.String(),
  recipient: Nullable(Type.String()),
  subject: Nullable(Type.String()),
  status: Type.String(),
  reason: Nullable(Type.String()),
  order_id: Nullable(Type.String()),
  customer_id: Nullable(Type.String()),
  created_at: Timestamp,
});

export async function notificationRoutes(
  app: App,
  {
    notifications,
    orders,
    customers,
    accounts,
  }: {
    notifications: NotificationsService;
    orders: NotificationsOrdersPort;
  } & MessagesCustomersPort,
): Promise<void> {
  app.get(
    '/v1/notifications/templates',
    {
      config: { auth: { scope: 'promotions:read' } },
      schema: {
        tags: ['notifications'],
        summary: 'Every message template, its kind (transactional or marketing) and its languages',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({ name: Type.String(), kind: Type.String(), locales: Type.Array(Type.String()) }),
            ),
          }),
        },
      },
    },
    async () => ({
      items: MESSAGE_TEMPLATES.map((name) => ({ name, kind: MESSAGE_KIND[name], locales: [...MESSAGE_LOCALES] })),
    }),
  );

  app.get(
    '/v1/notifications/templates/:name/preview',
    {
      config: { auth: { scope: 'promotions:read' } },
      schema: {
        tags: ['notifications'],
        summary: 'A template rendered with sample data in a language (money and dates formatted for it)',
        params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) }),
        querystring: Type.Object({ locale: Type.Optional(LocaleQuery) }),
        response: {
          200: Type.Object({
            name: Type.String(),
            locale: Type.String(),
            kind: Type.String(),
            subject: Type.String(),
            text: Type.String(),
            html: Type.String(),
          }),
          ...errorResponses(400, 404),
        },
      },
    },
    async (req) => {
      const name = req.params.name as MessageTemplate;
      if (!(MESSAGE_TEMPLATES as readonly string[]).includes(name)) throw problems.notFound('template', name);
      const locale = req.query.locale ?? 'en';
      const r = renderMessage(name, sampleData(locale));
      return { name, locale: r.locale, kind: MESSAGE_KIND[name], subject: r.subject, text: r.text, html: r.html };
    },
  );

  app.get(
    '/v1/customers/:id/messages',
    {
      config: { auth: { scope: 'customers:read', customer: true } },
      schema: {
        tags: ['notifications'],
        summary: 'Every message sent or skipped for a customer (all their merged profiles), newest first, and why',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: Type.Object({ items: Type.Array(NotificationSchema) }), ...errorResponses(403, 404) },
      },
    },
    async (req) => {
      await customers.assertAccess(req.principal, req.params.id);
      return { items: await notifications.forCustomer(await accounts.memberIds(req.params.id)) };
    },
  );

  app.get(
    '/v1/orders/:id/notifications',
    {
      config: { auth: { scope: 'orders:read' } },
      schema: {
        tags: ['notifications'],
        summary: 'The notification log of an order: what was sent or skipped, to whom, and why',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: Type.Object({ items: Type.Array(NotificationSchema) }), ...errorResponses(404) },
      },
    },
    async (req) => {
      assertOrderVisible(req.principal, await orders.get(req.params.id));
      return { items: await notifications.forOrder(req.params.id) };
    },
  );

  app.post(
    '/v1/orders/:id/notifications/:log_id/resend',
    {
      config: { auth: { scope: 'orders:write' }, throttle: RESEND_THROTTLE },
      schema: {
        tags: ['notifications'],
        summary:
          'Sends one logged e-mail of an order again, now, to the same address (a new log row, its event id `resend:…`)',
        params: Type.Object({
          id: Type.String({ minLength: 1, maxLength: 64 }),
          log_id: Type.String({ minLength: 1, maxLength: 64 }),
        }),
        response: {
          200: Type.Object({
            status: Type.String(),
            reason: Type.Optional(Type.String()),
            notification: Nullable(NotificationSchema),
          }),
          ...errorResponses(404, 409, 429),
        },
      },
    },
    async (req) => {
      // Who may: the policy's `write` on the order (as cancelling it).
      assertOrderVisible(req.principal, await orders.get(req.params.id), 'write');
      const r = await notifications.resend(req.params.id, req.params.log_id);
      return { ...r.outcome, notification: r.notification };
    },
  );
}
