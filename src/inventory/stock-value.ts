/**
 * Stock per location in units and at cost: what the console's network map is coloured by
 * (GET /v1/inventory-value/locations). One grouped query. It joins the catalog's variants for their
 * unit cost, read-only, as planning's input query does: valuing all stock through the catalog's
 * port would fetch every SKU's cost into the process (20,000 SKUs × 50 locations) to sum it there.
 */
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import type { App } from '../platform/http/app.js';
import { listScope } from '../platform/auth/policy.js';
import { errorResponses } from '../platform/http/schemas.js';

export interface LocationStockValue {
  location_id: string;
  skus: number;
  on_hand: number;
  reserved: number;
  /** on hand × unit cost, minor units of the catalog's cost currency */
  value: number;
}

export async function stockValueByLocation(db: Executor, locationId?: string): Promise<LocationStockValue[]> {
  const r = await sql<{ location_id: string; skus: number; on_hand: string; reserved: string; value: string }>`
    select s.location_id, count(*)::int as skus, sum(s.on_hand)::bigint as on_hand,
      sum(s.reserved)::bigint as reserved, coalesce(sum(s.on_hand::bigint * v.unit_cost), 0)::bigint as value
    from stock_levels s left join variants v on v.sku = s.sku
    where s.on_hand > 0 ${locationId ? sql`and s.location_id = ${locationId}` : sql``}
    group by s.location_id order by s.location_id`.execute(db);
  return r.rows.map((x) => ({
    location_id: x.location_id,
    skus: x.skus,
    on_hand: Number(x.on_hand),
    reserved: Number(x.reserved),
    value: Number(x.value),
  }));
}

/** The catalog's unit costs are in this currency (catalog/service.ts DEFAULT_CURRENCY). */
const COST_CURRENCY = 'EUR';

export async function stockValueRoutes(app: App, { db }: { db: Executor }): Promise<void> {
  app.get(
    '/v1/inventory-value/locations',
    {
      config: { auth: { scope: 'inventory:read' } },
      schema: {
        tags: ['inventory'],
        summary: 'Stock per location: SKUs held, units on hand and reserved, and their value at unit cost',
        description: 'A store-bound credential sees its own location only.',
        response: {
          200: Type.Object({
            currency: Type.String(),
            items: Type.Array(
              Type.Object({
                location_id: Type.String(),
                skus: Type.Integer(),
                on_hand: Type.Integer(),
                reserved: Type.Integer(),
                value: Type.Integer({ description: 'minor units of `currency`' }),
              }),
            ),
          }),
          ...errorResponses(403),
        },
      },
    },
    async (req) => {
      const scope = listScope(req.principal, 'stock');
      return { currency: COST_CURRENCY, items: await stockValueByLocation(db, scope.locationId) };
    },
  );
}
