/**
 * Where demand is answered out of stock, read from the answers themselves: an `onSend` hook on the
 * four routes that answer it (availability of one or many SKUs, adding to a cart, checking out).
 * The inventory, carts and checkout modules stay as they are; the hook reads only their public
 * responses (the OpenAPI contract), after the answer is decided, and never changes it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../platform/http/app.js';
import type { LostAsk, LostDemandRecorder } from './lost-demand.js';

interface AvailabilityBody {
  sku: string;
  available: number;
}
interface CartBody {
  channel_id: string;
  location_id: string | null;
  currency: string;
  lines: {
    sku: string;
    quantity: number;
    unit_price: number | null;
    availability: { status: string; available: number } | null;
  }[];
}
interface StockProblem {
  code?: string;
  lines?: { sku: string; requested: number; available?: number; location_id?: string }[];
}

/** The channel and store the caller acts for, when its credential says (keys, customers, a till). */
function callerOf(req: FastifyRequest): { channel: string | null; location: string | null } {
  const p = req.principal as { kind?: string; channelId?: string; locationId?: string | null } | undefined;
  return { channel: p?.channelId ?? null, location: p?.locationId ?? null };
}

/** What the answer says was not available, as asks (pure: the tests feed it answers). */
export function asksFrom(
  route: string,
  status: number,
  body: unknown,
  caller: { channel: string | null; location: string | null },
  requested?: { sku: string; quantity: number },
): LostAsk[] {
  if (route === 'POST /v1/carts/:id/items' && status === 200 && requested) {
    const cart = body as CartBody;
    const line = cart.lines?.find((l) => l.sku === requested.sku);
    if (!line?.availability || line.availability.status === 'available') return [];
    const short = Math.min(requested.quantity, line.quantity - Math.max(0, line.availability.available));
    return short > 0
      ? [
          {
            source: 'cart',
            channel_id: cart.channel_id,
            location_id: cart.location_id,
            sku: line.sku,
            units: short,
            currency: cart.currency,
            unit_price: line.unit_price,
          },
        ]
      : [];
  }
  if (!caller.channel) return [];
  const channel = caller.channel;
  if (route === 'POST /v1/carts/:id/checkout' && status === 409) {
    const p = body as StockProblem;
    if (p.code !== 'insufficient_stock') return [];
    return (p.lines ?? [])
      .map((l) => ({
        source: 'checkout' as const,
        channel_id: channel,
        location_id: caller.location,
        sku: l.sku,
        units: l.requested - Math.max(0, l.available ?? 0),
      }))
      .filter((a) => a.units > 0);
  }
  if ((route === 'GET /v1/availability' || route === 'POST /v1/availability/query') && status === 200) {
    const items: AvailabilityBody[] =
      route === 'GET /v1/availability'
        ? [body as AvailabilityBody]
        : ((body as { items?: AvailabilityBody[] }).items ?? []);
    // A list page asks for many SKUs at once; only a pointed question (a few SKUs) is a shopper's ask.
    if (items.length > 5) return [];
    return items
      .filter((i) => i.available === 0)
      .map((i) => ({
        source: 'availability' as const,
        channel_id: channel,
        location_id: caller.location,
        sku: i.sku,
        units: 1,
      }));
  }
  return [];
}

const AVAILABILITY = new Set(['GET /v1/availability', 'POST /v1/availability/query']);
/** The routes read, with the one status whose answer can tell of a lost ask (asksFrom). */
const ROUTES = new Map([
  ['GET /v1/availability', 200],
  ['POST /v1/availability/query', 200],
  ['POST /v1/carts/:id/items', 200],
  ['POST /v1/carts/:id/checkout', 409],
]);

export function lostDemandHook(app: App, recorder: LostDemandRecorder): void {
  // What was asked since the last flush is written before the server lets go of the database.
  app.addHook('onClose', async () => {
    await recorder.flush().catch(() => undefined);
  });
  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const route = `${req.method} ${req.routeOptions.url ?? ''}`;
    // Only the status that can tell of a lost ask is parsed: a placed order (201) is not read at all.
    if (ROUTES.get(route) !== reply.statusCode || typeof payload !== 'string') return payload;
    // An availability answer with nothing out of stock records nothing: an item answering 0 lists
    // no locations (only those with something to promise), so without an empty array in the body
    // there is none, and the body (26 KB for one SKU at 500 stores) is not parsed at all.
    if (AVAILABILITY.has(route) && !payload.includes('[]')) return payload;
    try {
      const requested =
        route === 'POST /v1/carts/:id/items' ? (req.body as { sku: string; quantity: number }) : undefined;
      for (const ask of asksFrom(route, reply.statusCode, JSON.parse(payload), callerOf(req), requested))
        recorder.record(ask);
    } catch {
      // A body this hook cannot read is no reason to fail the shopper's answer.
    }
    return payload;
  });
}
