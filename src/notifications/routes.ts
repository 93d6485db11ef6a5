import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http/app.js';
import { errorResponses, Timestamp } from '../platform/http/schemas.js';
import { assertOrderVisible } from '../orders/index.js';
import type { NotificationsOrdersPort } from './ports.js';
import type { NotificationsService } from './service.js';

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
  { notifications, orders }: { notifications: NotificationsService; orders: NotificationsOrdersPort },
): Promise<void> {
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
}
