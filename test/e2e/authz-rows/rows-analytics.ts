/**
 * Analytics (issue 15): chain-wide reports. Secret keys (analytics:read) and admins and
 * merchandisers; a key bound to store X is refused (a report mixes every store's figures);
 * associates and agents lack the scope; publishable keys and customers never reach it.
 */
import type { Row, Who } from './model.js';

const READERS: Who[] = ['keyB', 'admin', 'merch'];

export const rows: Record<string, Row> = {
  'GET /v1/analytics/channel-mix': { allow: READERS, ok: READERS },
  'GET /v1/analytics/shipping': { allow: READERS, ok: READERS },
  'GET /v1/analytics/lost-sales': { allow: READERS, ok: READERS },
  'GET /v1/analytics/operations': { allow: READERS, ok: READERS },
};
