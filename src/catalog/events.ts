import { Type } from '@sinclair/typebox';
import { defineEvents, type PayloadsOf } from '../platform/events/types.js';

/** The events the catalog emits (see docs/events.md). */
export const catalogEvents = defineEvents({
  'product.created': Type.Object(
    { id: Type.String(), code: Type.String(), skus: Type.Array(Type.String()) },
    { description: 'A product and its variants were created.' },
  ),
  'product.updated': Type.Object(
    {
      id: Type.String(),
      code: Type.String(),
      skus: Type.Array(Type.String(), { description: 'variants added or changed' }),
    },
    { description: 'A product or some of its variants changed.' },
  ),
  'price.changed': Type.Object({ skus: Type.Array(Type.String()) }, { description: 'Price-book entries changed.' }),
  'catalog.imported': Type.Object(
    {
      product_ids: Type.Optional(Type.Array(Type.String())),
      skus: Type.Optional(Type.Array(Type.String())),
      product_count: Type.Optional(Type.Integer()),
      sku_count: Type.Optional(Type.Integer()),
    },
    { description: 'A CSV import or a bulk load committed.' },
  ),
});

declare module '../platform/events/types.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the members
  interface EventMap extends PayloadsOf<typeof catalogEvents> {}
}
