/**
 * Shop-floor reads: the stock lookup by name, SKU or GTIN (GET /v1/inventory/lookup) and the
 * transfer lists (GET /v1/transfers: what is on its way to a store). Read-only, staff and secret keys.
 */
import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http/app.js';
import { authorizeResource, boundLocation, listScope } from '../platform/auth/policy.js';
import { Page, PageQuery, decodeCursor, pageOf } from '../platform/http/pagination.js';
import { StringEnum, errorResponses } from '../platform/http/schemas.js';
import type { Db } from '../platform/db/schema.js';
import { StockLookup, type InventoryLookupCatalogPort, type InventoryLookupStockPort } from './lookup.js';
import type { InventoryNetworkPort } from './ports.js';
import { TransferSchema } from './schemas.js';
import { listTransfers } from './store-transfer-list.js';
import { toTransfer } from './transfers.js';
import { TRANSFER_STATUSES } from './types.js';

const Place = Type.Object({
  location_id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  on_hand: Type.Integer(),
  available: Type.Integer(),
  in_transit: Type.Integer(),
  distance_km: Type.Union([Type.Number(), Type.Null()], { description: 'from the store looking, by air' }),
});
const Money = Type.Object({ amount: Type.Integer(), currency: Type.String() });
const LookupSchema = Type.Object({
  location_id: Type.Union([Type.String(), Type.Null()]),
  items: Type.Array(
    Type.Object({
      product_id: Type.String(),
      code: Type.String(),
      name: Type.String(),
      brand: Type.String(),
      variants: Type.Array(
        Type.Object({
          sku: Type.String(),
          gtin: Type.Union([Type.String(), Type.Null()]),
          size: Type.Union([Type.String(), Type.Null()]),
          colour: Type.Union([Type.String(), Type.Null()]),
          price: Type.Union([Money, Type.Null()]),
          here: Type.Union([Place, Type.Null()]),
          stores: Type.Array(Place, { description: 'other stores holding some, nearest first (at most 5)' }),
          warehouses: Type.Array(Place),
          channels: Type.Array(
            Type.Object({
              channel_id: Type.String(),
              code: Type.String(),
              name: Type.String(),
              type: Type.String(),
              available: Type.Integer({ description: 'what this channel may promise of the size' }),
            }),
          ),
        }),
      ),
    }),
  ),
});

export async function inventoryLookupRoutes(
  app: App,
  {
    inventory,
    network,
    catalog,
    ctx,
  }: {
    inventory: InventoryLookupStockPort;
    network: InventoryNetworkPort;
    catalog: InventoryLookupCatalogPort;
    ctx: { db: Db };
  },
): Promise<void> {
  const tags = ['inventory'];
  const lookup = new StockLookup(catalog, inventory, network);

  app.get(
    '/v1/inventory/lookup',
    {
      config: { auth: { scope: 'inventory:read' } },
      schema: {
        tags,
        summary:
          'Find products by name, SKU or GTIN: each size here, in the nearest stores, in warehouses, per channel',
        querystring: Type.Object({
          q: Type.String({ minLength: 1, maxLength: 200, description: 'words of the name, a SKU or a GTIN' }),
          location_id: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 64,
              description: 'the store looking (distances from it); a store-bound caller’s own by default',
            }),
          ),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 5, description: 'products' })),
        }),
        response: { 200: LookupSchema, ...errorResponses(400, 404) },
      },
    },
    async (req) => {
      const named = req.query.location_id ?? boundLocation(req.principal);
      const at = named ? (await network.requireLocation(named)).id : null;
      const items = await lookup.lookup(req.query.q, { locationId: at, limit: req.query.limit ?? 5 });
      return { location_id: at, items };
    },
  );

  app.get(
    '/v1/transfers',
    {
      config: { auth: { scope: 'inventory:read' } },
      schema: {
        tags,
        summary: 'Transfers to or from a location (a store’s incoming list); a store-bound caller sees its own',
        querystring: Type.Object({
          ...PageQuery,
          to_location_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          from_location_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          status: Type.Optional(
            StringEnum(['open', ...TRANSFER_STATUSES] as const, {
              description: 'open = in transit or partially received',
            }),
          ),
        }),
        response: { 200: Page(TransferSchema), ...errorResponses(400, 403, 404) },
      },
    },
    async (req) => {
      const q = req.query;
      const to = q.to_location_id ? (await network.requireLocation(q.to_location_id)).id : undefined;
      const from = q.from_location_id ? (await network.requireLocation(q.from_location_id)).id : undefined;
      // A named end is stock the caller must be allowed to read; otherwise the policy's list scope.
      for (const id of [to, from]) if (id) authorizeResource(req.principal, 'read', { kind: 'stock', locationId: id });
      const scope = listScope(req.principal, 'stock');
      const limit = q.limit ?? 50;
      const { rows, lines } = await listTransfers(ctx.db, {
        to_location_id: to ?? (from ? undefined : scope.locationId),
        from_location_id: from,
        statuses: q.status === 'open' ? ['in_transit', 'partially_received'] : q.status ? [q.status] : undefined,
        after: decodeCursor<string>(q.cursor),
        limit: limit + 1,
      });
      return pageOf(
        rows.map((r) =>
          toTransfer(
            r,
            lines.filter((l) => l.transfer_id === r.id),
          ),
        ),
        limit,
        (t) => t.id,
      );
    },
  );
}
