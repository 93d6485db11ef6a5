/** Authorization rows of the store associate app's queue (helper B1): task Y is at store Y, not the associate's X. */
import type { Row } from './model.js';

export const rows: Record<string, Row> = {
  // Store Y's queue: not for the associate or the till key of store X (they see their own).
  'GET /v1/fulfillments/queue': {
    allow: ['keyB', 'admin'],
    ok: ['admin', 'keyB'],
    path: (fx) => `/v1/fulfillments/queue?tab=open&location_id=${fx.Y}`,
  },
  'GET /v1/fulfillments/{id}/sheet': {
    allow: ['keyB', 'admin'],
    ok: ['admin'],
    path: (fx) => `/v1/fulfillments/${fx.taskY}/sheet`,
  },
  // A code that is not in the task: 422 wrong_item for those allowed.
  'GET /v1/fulfillments/{id}/scan': {
    allow: ['keyB', 'admin'],
    path: (fx) => `/v1/fulfillments/${fx.taskY}/scan?code=NOT-IN-TASK`,
  },
  // Task Y is not ready for pickup: 409 for those allowed, refused for the others first.
  'POST /v1/fulfillments/{id}/pickup-notification': {
    allow: ['keyB', 'admin'],
    path: (fx) => `/v1/fulfillments/${fx.taskY}/pickup-notification`,
  },
};
